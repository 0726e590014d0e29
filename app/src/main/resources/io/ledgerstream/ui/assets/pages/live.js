// /ui/live: new events as they are committed, filtered, resuming after a dropped connection with nothing missed.

import {query as toQuery} from '../api.js';
import {follow} from '../sse.js';
import {empty, h, heading, idText, links, mount, time} from '../dom.js';
import {errorView} from '../view.js';

export const title = () => 'Live events';

const KEEP = 300;

export async function render(main, {query, signal, navigate}, ready) {
  const filters = {
    aggregateType: query.get('aggregateType') || '',
    aggregateId: query.get('aggregateId') || '',
    correlationId: query.get('correlationId') || '',
    from: query.get('from') === 'beginning' ? 'beginning' : '',
  };
  const type = h('select', {id: 'live-type', name: 'aggregateType'},
    ['', 'account', 'transfer'].map(value => h('option', {value, selected: filters.aggregateType === value}, value || 'any')));
  const aggregate = h('input', {id: 'live-aggregate', name: 'aggregateId', value: filters.aggregateId, autocomplete: 'off', placeholder: 'A-1'});
  const correlation = h('input', {id: 'live-correlation', name: 'correlationId', value: filters.correlationId, autocomplete: 'off'});
  const replay = h('input', {id: 'live-replay', name: 'from', type: 'checkbox', value: 'beginning', checked: filters.from === 'beginning'});
  const form = h('form', {class: 'filters', onsubmit: event => {
    event.preventDefault();
    navigate(`/ui/live${toQuery({aggregateType: type.value, aggregateId: aggregate.value.trim(),
      correlationId: correlation.value.trim(), from: replay.checked ? 'beginning' : ''})}`, {replace: true});
  }},
  h('div', {class: 'field'}, h('label', {for: 'live-type'}, 'Aggregate type'), type),
  h('div', {class: 'field'}, h('label', {for: 'live-aggregate'}, 'Aggregate id'), aggregate),
  h('div', {class: 'field'}, h('label', {for: 'live-correlation'}, 'Correlation id'), correlation),
  h('div', {class: 'field check'}, replay, h('label', {for: 'live-replay'}, 'Replay the log from the beginning')),
  h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'button primary'}, 'Apply')));

  const state = h('p', {class: 'stream-state', id: 'stream-state', role: 'status', dataset: {state: 'connecting'}}, 'Connecting…');
  const pause = h('button', {type: 'button', class: 'button', 'aria-pressed': 'false'}, 'Pause');
  const count = h('span', {class: 'muted'});
  const list = h('ol', {class: 'live-list', id: 'live-events', 'aria-live': 'off'});
  const placeholder = empty(h('p', {}, 'Waiting for events. New ones appear here the moment they are committed.'),
    h('p', {class: 'muted'}, 'Send a command, or tick “Replay the log from the beginning”.'));
  const problem = h('div');
  mount(main, heading('Live events'), form,
    h('div', {class: 'stream-bar'}, state, h('div', {class: 'actions'}, count, pause)), problem, placeholder, list);
  ready();

  let lastEventId = null;
  let received = 0;
  let stream = null;
  const params = toQuery({aggregateType: filters.aggregateType, aggregateId: filters.aggregateId,
    correlationId: filters.correlationId, from: filters.from});
  const setState = (name, text) => {
    state.dataset.state = name;
    state.textContent = text;
  };
  const start = () => {
    stream = new AbortController();
    signal.addEventListener('abort', () => stream.abort(), {once: true});
    follow({params, lastEventId, signal: stream.signal,
      onEvent: (event, id) => {
        lastEventId = id;
        received++;
        count.textContent = `${received} received`;
        placeholder.remove();
        list.prepend(row(event, id));
        while (list.children.length > KEEP) list.lastChild.remove();
      },
      onState: (name, detail) => {
        mount(problem);
        if (name === 'open') setState('open', detail.lastEventId ? `Connected, resumed after ${detail.lastEventId}` : 'Connected: showing new events');
        else if (name === 'connecting') setState('connecting', 'Connecting…');
        else if (name === 'reconnecting') setState('reconnecting', `Connection lost; reconnecting in ${Math.round(detail.retryIn / 1000) || 1} s${detail.lastEventId ? `, to resume after ${detail.lastEventId}` : ''}…`);
        else if (name === 'denied' || name === 'failed') {
          setState('stopped', 'Stopped');
          mount(problem, errorView(detail.error, {retry: () => start()}));
        }
      }});
  };
  pause.addEventListener('click', () => {
    const paused = pause.getAttribute('aria-pressed') === 'true';
    if (paused) {
      pause.setAttribute('aria-pressed', 'false');
      pause.textContent = 'Pause';
      start();
    } else {
      stream?.abort();
      pause.setAttribute('aria-pressed', 'true');
      pause.textContent = 'Resume';
      setState('paused', lastEventId ? `Paused; resuming continues after ${lastEventId}` : 'Paused');
    }
  });
  start();
}

function row(event, id) {
  const {metadata, payload, aggregateType} = event;
  const href = aggregateType === 'account' ? links.account(metadata.aggregateId) : links.transfer(metadata.aggregateId);
  // money is amountMinor on most events, a structured amount {minor, currency} on TransferRequested v2
  const minor = payload.amountMinor ?? payload.amount?.minor;
  const amount = minor !== undefined ? ` · amount ${Number(minor).toLocaleString()} (minor units)` : '';
  return h('li', {class: 'live-event', dataset: {id, type: payload.type, aggregate: metadata.aggregateId}},
    h('span', {class: 'live-time'}, time(metadata.occurredAt, {clock: true})),
    h('span', {class: 'live-what'}, h('strong', {}, payload.type),
      ' on ', h('a', {href}, `${aggregateType} ${metadata.aggregateId}`), h('span', {class: 'muted'}, ` v${metadata.aggregateVersion}${amount}`)),
    h('span', {class: 'live-ids'}, 'correlation ', idText(metadata.correlationId, links.correlation(metadata.correlationId))));
}
