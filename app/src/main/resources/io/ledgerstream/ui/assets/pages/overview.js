// /ui/: find anything by id, the totals per currency, and how fast events arrive.

import {api, maybe} from '../api.js';
import {badge, empty, encode, fact, h, heading, idText, links, loading, money, mount, s, sleep, tone} from '../dom.js';
import {errorView, patiently, startingNotice} from '../view.js';

export const title = () => 'Overview';

const RATE_POLL_MS = 5000;
const RATE_SAMPLES = 24;

export async function render(main, {query, signal, navigate}, ready) {
  const q = (query.get('q') || '').trim();
  const input = h('input', {id: 'search', name: 'q', type: 'search', value: q, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'A-1, T-1, alice, a command or correlation id', required: true});
  const form = h('form', {class: 'search', role: 'search', onsubmit: event => {
    event.preventDefault();
    const value = input.value.trim();
    if (value) navigate(`/ui/?q=${encode(value)}`);
  }},
  h('label', {for: 'search'}, 'Find an account, transfer, owner, command or correlation'),
  h('div', {class: 'search-row'}, input, h('button', {type: 'submit', class: 'button primary'}, 'Find')));
  const results = h('section', {class: 'results', 'aria-live': 'polite', 'aria-label': 'Search results'});
  const totals = h('section', {class: 'panel', 'aria-labelledby': 'totals-title'},
    h('h2', {id: 'totals-title'}, 'Totals per currency'), loading('the totals'));
  const rates = h('section', {class: 'panel', 'aria-labelledby': 'rates-title'},
    h('h2', {id: 'rates-title'}, 'Event rate'), loading('the rates'));
  mount(main, heading('Overview'), form, results, h('div', {class: 'grid-2'}, totals, rates));
  ready();
  if (q) search(q, results, signal);
  watchStats(totals, rates, signal);
}

async function search(q, results, signal) {
  mount(results, loading(`matches for “${q}”`));
  const probes = [
    maybe(`/accounts/${encode(q)}`, {signal}).then(account => account && h('li', {},
      badge('Account', 'quiet'), ' ', h('a', {href: links.account(q)}, q), ' ',
      h('span', {class: 'muted'}, `${account.owner} · ${money(account.balanceMinor, account.currency)} · `),
      badge(account.status, tone(account.status)))),
    maybe(`/transfers/${encode(q)}`, {signal}).then(transfer => transfer && h('li', {},
      badge('Transfer', 'quiet'), ' ', h('a', {href: links.transfer(q)}, q), ' ',
      h('span', {class: 'muted'}, `${transfer.from} → ${transfer.to} · ${money(transfer.amountMinor, transfer.currency)} · `),
      badge(transfer.status, tone(transfer.status)))),
    maybe(`/owners/${encode(q)}/accounts`, {signal}).then(owner => owner && owner.accounts.length > 0 && h('li', {},
      badge('Owner', 'quiet'), ' ', h('strong', {}, q), h('span', {class: 'muted'}, ` has ${owner.accounts.length} account(s): `),
      owner.accounts.map((account, i) => [i > 0 ? ', ' : '', h('a', {href: links.account(account.accountId)}, account.accountId),
        h('span', {class: 'muted'}, ` ${money(account.balanceMinor, account.currency)}`)]))),
    maybe(`/commands/${encode(q)}`, {signal}).then(result => result && h('li', {},
      badge('Command', 'quiet'), ' ', idText(q), ' ', badge(result.status, tone(result.status)),
      h('span', {class: 'muted'}, ` on ${result.aggregateType} `),
      h('a', {href: result.aggregateType === 'account' ? links.account(result.aggregateId) : links.transfer(result.aggregateId)},
        result.aggregateId),
      result.correlationId ? [' · ', h('a', {href: links.correlation(result.correlationId)}, 'its causal chain')] : null)),
    maybe(`/correlations/${encode(q)}`, {signal}).then(correlation => correlation && h('li', {},
      badge('Correlation', 'quiet'), ' ', h('a', {href: links.correlation(q)}, idText(q)),
      h('span', {class: 'muted'}, ` ${correlation.entries.length} commands, events and results`))),
  ];
  const settled = await Promise.allSettled(probes);
  if (signal.aborted) return;
  const found = settled.filter(p => p.status === 'fulfilled' && p.value).map(p => p.value);
  const failed = settled.find(p => p.status === 'rejected');
  if (found.length > 0) {
    mount(results, h('h2', {}, `Found for “${q}”`), h('ul', {class: 'hits'}, found));
  } else if (failed) {
    mount(results, errorView(failed.reason, {retry: () => search(q, results, signal)}));
  } else {
    mount(results, empty(h('p', {}, `Nothing has the id “${q}”.`),
      h('p', {class: 'muted'}, 'Ids are exact and case-sensitive: an account id (A-1), a transfer id, an owner, or a command or correlation id.')));
  }
}

async function watchStats(totals, rates, signal) {
  const samples = [];
  while (!signal.aborted) {
    try {
      const stats = await patiently(() => api('/stats', {signal}), {signal,
        onWait: error => mount(totals, h('h2', {id: 'totals-title'}, 'Totals per currency'), startingNotice(error))});
      samples.push({at: performance.now(), events: countEvents(stats.counts), stats});
      if (samples.length > RATE_SAMPLES + 1) samples.shift();
      showTotals(totals, stats);
      showRates(rates, samples);
    } catch (error) {
      if (signal.aborted) return;
      mount(totals, h('h2', {id: 'totals-title'}, 'Totals per currency'), errorView(error));
    }
    try {
      await sleep(RATE_POLL_MS, signal);
    } catch {
      return;
    }
  }
}

function countEvents(counts) {
  return Object.entries(counts || {}).filter(([name]) => name.startsWith('events.'))
    .reduce((sum, [, value]) => sum + Number(value), 0);
}

function showTotals(section, stats) {
  const currencies = Object.values(stats.totals || {}).sort((a, b) => a.currency.localeCompare(b.currency));
  if (currencies.length === 0) {
    mount(section, h('h2', {id: 'totals-title'}, 'Totals per currency'),
      empty(h('p', {}, 'No accounts yet.'), h('p', {class: 'muted'}, 'Open one with POST /accounts/{id}/commands or the send command; see the README.')));
    return;
  }
  mount(section, h('h2', {id: 'totals-title'}, 'Totals per currency'),
    h('div', {class: 'currency-cards'}, currencies.map(total => {
      const inTransit = BigInt(total.debitedMinor) - BigInt(total.creditedMinor) - BigInt(total.refundedMinor);
      return h('article', {class: 'currency-card', dataset: {currency: total.currency}},
        h('h3', {}, total.currency),
        h('p', {class: 'big-number'}, money(total.balanceMinor, total.currency)),
        h('dl', {class: 'facts compact'},
          fact('Accounts', `${total.accounts} (${total.openAccounts} open, ${total.closedAccounts} closed)`),
          fact('Deposited', money(total.depositedMinor, total.currency)),
          fact('Withdrawn', money(total.withdrawnMinor, total.currency)),
          fact('In transit', money(inTransit, total.currency)),
          fact('Events', Number(total.events).toLocaleString())));
    })),
    h('p', {class: 'hint'}, `Summed over ${stats.instances?.length || 1} instance(s): ${(stats.instances || []).join(', ')}`));
}

function showRates(section, samples) {
  const last = samples[samples.length - 1];
  const counts = last.stats.counts || {};
  const perSecond = [];
  for (let i = 1; i < samples.length; i++) {
    const seconds = (samples[i].at - samples[i - 1].at) / 1000;
    perSecond.push(seconds > 0 ? Math.max(0, samples[i].events - samples[i - 1].events) / seconds : 0);
  }
  const now = perSecond.length ? perSecond[perSecond.length - 1] : null;
  mount(section, h('h2', {id: 'rates-title'}, 'Event rate'),
    h('p', {class: 'big-number'}, now === null ? '…' : `${now.toFixed(1)}`, h('span', {class: 'unit'}, ' events/s')),
    sparkline(perSecond),
    h('p', {class: 'hint'}, now === null
      ? 'Measured by this page from GET /stats every 5 s; the first rate comes with the second reading.'
      : `Over the last ${Math.round((last.at - samples[0].at) / 1000)} s, measured by this page from GET /stats every 5 s.`),
    h('dl', {class: 'facts compact'},
      fact('Events', last.events.toLocaleString()),
      fact('Commands accepted', Number(counts['commands.ACCEPTED'] || 0).toLocaleString()),
      fact('Commands rejected', Number(counts['commands.REJECTED'] || 0).toLocaleString()),
      fact('Transfers', ['COMPLETED', 'FAILED', 'NEEDS_ATTENTION', 'DEBITED', 'REQUESTED']
        .map(status => `${Number(counts[`transfers.${status}`] || 0)} ${status.toLowerCase()}`).join(', '))));
}

function sparkline(values) {
  const width = 240, height = 48;
  const max = Math.max(1, ...values);
  const step = width / Math.max(1, RATE_SAMPLES - 1);
  const points = values.map((value, i) => [width - (values.length - 1 - i) * step, height - 4 - (value / max) * (height - 8)]);
  return s('svg', {class: 'sparkline', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': values.length ? `Event rate over the last ${values.length} readings, at most ${max.toFixed(1)} per second` : 'No rate yet'},
  s('line', {x1: 0, x2: width, y1: height - 4, y2: height - 4, class: 'axis'}),
  points.length > 1 ? s('polyline', {points: points.map(p => p.join(',')).join(' '), class: 'spark'}) : null);
}
