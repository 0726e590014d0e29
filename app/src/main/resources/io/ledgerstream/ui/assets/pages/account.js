// /ui/accounts/{id}: the summary, the balance over time, every event with its metadata, and the state as of a point.

import {api, ApiError, maybe, query as toQuery} from '../api.js';
import {badge, empty, encode, fact, h, heading, idText, links, loading, money, mount, time, tone} from '../dom.js';
import {balanceChart} from '../chart.js';
import {errorView, patiently, startingNotice} from '../view.js';

export const title = ([id]) => `Account ${id}`;

const PAGE = 1000;
const MAX_PAGES = 20;

/** How each event moves the balance, in minor units. */
const DELTAS = {
  MoneyDeposited: p => BigInt(p.amountMinor),
  MoneyWithdrawn: p => -BigInt(p.amountMinor),
  TransferDebited: p => -BigInt(p.amountMinor),
  TransferCredited: p => BigInt(p.amountMinor),
  TransferRefunded: p => BigInt(p.amountMinor),
};

export async function render(main, {params: [id], query, signal, navigate}, ready) {
  const asOfVersion = query.get('asOfVersion');
  const asOf = query.get('asOf');
  const status = h('div');
  mount(main, heading(`Account ${id}`), status, loading('the account'));
  ready();
  let summary, current, events;
  try {
    [summary, current, events] = await patiently(async () => {
      const now = await maybe(`/accounts/${encode(id)}`, {signal});
      if (!now) return [null, null, []];
      const past = asOfVersion || asOf ? await api(`/accounts/${encode(id)}${toQuery({asOfVersion, asOf})}`, {signal}) : now;
      return [past, now, await allEvents(id, signal)];
    }, {signal, onWait: error => mount(status, startingNotice(error))});
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof ApiError && error.status === 404 && (asOfVersion || asOf)) {
      mount(main, heading(`Account ${id}`), asOfForm(id, null, {asOfVersion, asOf}, navigate),
        empty(h('p', {}, `Account ${id} did not exist at that point.`), h('p', {}, h('a', {href: links.account(id)}, 'Show it now'))));
      return;
    }
    mount(main, heading(`Account ${id}`), errorView(error, {retry: () => render(main, {params: [id], query, signal, navigate}, () => {})}));
    return;
  }
  if (signal.aborted) return;
  if (!current) {
    mount(main, heading(`Account ${id}`), empty(
      h('p', {}, `There is no account “${id}”.`),
      h('p', {class: 'muted'}, 'Account ids are exact and case-sensitive. The projection may also not have caught up with an account opened a moment ago.'),
      h('p', {}, h('a', {href: links.search(id)}, `Search for “${id}” everywhere`))));
    return;
  }
  const points = balances(events);
  const shownVersion = summary.version;
  mount(main,
    heading(`Account ${id}`, badge(summary.status, tone(summary.status))),
    asOfVersion || asOf ? h('p', {class: 'notice info', role: 'status'},
      `As of version ${shownVersion}${asOf ? ` (${asOf})` : ''}: rebuilt from the events up to that point. `,
      h('a', {href: links.account(id)}, 'Back to now')) : null,
    h('div', {class: 'grid-2'},
      h('section', {class: 'panel summary', 'aria-labelledby': 'summary-title'},
        h('h2', {id: 'summary-title'}, 'Balance'),
        h('p', {class: 'big-number', 'data-testid': 'balance'}, money(summary.balanceMinor, summary.currency)),
        h('dl', {class: 'facts'},
          fact('Owner', h('a', {href: links.search(summary.owner)}, summary.owner)),
          fact('Currency', summary.currency),
          fact('Overdraft limit', money(summary.overdraftLimitMinor, summary.currency)),
          fact('Version', String(summary.version), summary.version !== current.version ? h('span', {class: 'muted'}, ` of ${current.version}`) : null),
          fact('Opened', time(summary.openedAt)),
          fact('Last change', time(summary.updatedAt)))),
      h('section', {class: 'panel', 'aria-labelledby': 'asof-title'},
        h('h2', {id: 'asof-title'}, 'As of'),
        asOfForm(id, current, {asOfVersion, asOf}, navigate))),
    h('section', {class: 'panel', 'aria-labelledby': 'chart-title'},
      h('h2', {id: 'chart-title'}, 'Balance over time'),
      points.length ? balanceChart(points, summary.currency, {highlight: asOfVersion || asOf ? shownVersion : undefined,
        width: main.clientWidth - 44})
        : empty(h('p', {}, 'No events yet.'))),
    h('section', {class: 'panel', 'aria-labelledby': 'events-title'},
      h('h2', {id: 'events-title'}, `Events (${events.length})`),
      h('p', {class: 'hint'}, 'Newest first. Each names the command that caused it and the correlation it belongs to.'),
      timeline(events, points, summary.currency, asOfVersion || asOf ? shownVersion : null)));
}

async function allEvents(id, signal) {
  const events = [];
  let from = 1;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await maybe(`/accounts/${encode(id)}/events?fromVersion=${from}&limit=${PAGE}`, {signal});
    if (!body) break;
    events.push(...body.events);
    if (body.events.length < PAGE) break;
    from = body.nextFromVersion;
  }
  return events;
}

function balances(events) {
  let balance = 0n;
  return events.map(event => {
    const delta = DELTAS[event.payload.type];
    if (delta) balance += delta(event.payload);
    return {version: event.metadata.aggregateVersion, balance: balance.toString(), type: event.payload.type,
      occurredAt: event.metadata.occurredAt, delta: delta ? delta(event.payload) : null};
  });
}

function asOfForm(id, current, {asOfVersion, asOf}, navigate) {
  const version = h('input', {id: 'asof-version', name: 'asOfVersion', type: 'number', min: 1, max: current?.version,
    value: asOfVersion || '', inputmode: 'numeric'});
  const at = h('input', {id: 'asof-time', name: 'asOf', type: 'datetime-local', step: 1, value: asOf ? localInput(asOf) : ''});
  const form = h('form', {class: 'asof', onsubmit: event => {
    event.preventDefault();
    const params = version.value ? {asOfVersion: version.value} : at.value ? {asOf: new Date(at.value).toISOString()} : {};
    navigate(`${links.account(id)}${toQuery(params)}`, {replace: true});
  }},
  h('p', {class: 'hint'}, 'The state rebuilt from the events up to a version or a moment.'),
  h('div', {class: 'field'}, h('label', {for: 'asof-version'}, 'Version'), version),
  h('div', {class: 'field'}, h('label', {for: 'asof-time'}, 'or time (your time zone)'), at),
  h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'button primary'}, 'Show'),
    h('a', {class: 'button', href: links.account(id)}, 'Now')));
  return form;
}

function localInput(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 19);
}

function timeline(events, points, currency, asOfVersion) {
  if (!events.length) return empty(h('p', {}, 'No events.'));
  return h('ol', {class: 'timeline', reversed: true}, events.map((event, i) => {
    const {metadata, payload} = event;
    const point = points[i];
    const later = asOfVersion !== null && metadata.aggregateVersion > asOfVersion;
    return h('li', {class: ['event', later && 'is-later'], dataset: {type: payload.type, version: metadata.aggregateVersion}},
      h('div', {class: 'event-version', 'aria-label': `version ${metadata.aggregateVersion}`}, `v${metadata.aggregateVersion}`),
      h('div', {class: 'event-body'},
        h('div', {class: 'event-title'}, h('strong', {}, payload.type),
          point.delta !== null ? h('span', {class: ['delta', point.delta < 0n ? 'minus' : 'plus']}, money(point.delta, currency, {sign: true})) : null,
          h('span', {class: 'muted'}, `balance ${money(point.balance, currency)}`)),
        details(payload),
        h('dl', {class: 'event-meta'},
          fact('When', time(metadata.occurredAt)),
          fact('Event', idText(metadata.eventId)),
          fact('Command', idText(metadata.commandId)),
          fact('Caused by', idText(metadata.causationId)),
          fact('Correlation', idText(metadata.correlationId, links.correlation(metadata.correlationId))))));
  }).reverse());
}

function details(payload) {
  const parts = [];
  if (payload.transferId) parts.push(['transfer ', h('a', {href: links.transfer(payload.transferId)}, payload.transferId)]);
  if (payload.counterpartyAccountId) {
    const word = payload.type === 'TransferCredited' ? 'from ' : 'to ';
    parts.push([word, h('a', {href: links.account(payload.counterpartyAccountId)}, payload.counterpartyAccountId)]);
  }
  if (payload.reference) parts.push(`reference “${payload.reference}”`);
  if (payload.channel) parts.push(`via ${payload.channel}`);
  if (payload.owner) parts.push(['owner ', h('a', {href: links.search(payload.owner)}, payload.owner)]);
  if (payload.currency) parts.push(payload.currency);
  if (payload.overdraftLimitMinor) parts.push(`overdraft ${money(payload.overdraftLimitMinor, payload.currency)}`);
  if (payload.reason) parts.push(`reason “${payload.reason}”`);
  if (!parts.length) return null;
  return h('p', {class: 'event-detail'}, parts.map((part, i) => [i ? ' · ' : '', part]));
}
