// /ui/correlations/{id}: every command, event and result of one correlation, as a causal graph and as a list.

import {api, ApiError} from '../api.js';
import {badge, empty, encode, h, heading, idText, links, loading, mount, time, tone} from '../dom.js';
import {causalGraph} from '../graph.js';
import {errorView, patiently, startingNotice} from '../view.js';

export const title = ([id]) => `Correlation ${id.length > 20 ? `${id.slice(0, 8)}…` : id}`;

export async function render(main, {params: [id], signal}, ready) {
  const status = h('div');
  mount(main, heading('Correlation', h('span', {class: 'id heading-id'}, id)), status, loading('the causal chain'));
  ready();
  let correlation;
  try {
    correlation = await patiently(() => api(`/correlations/${encode(id)}`, {signal}),
      {signal, onWait: error => mount(status, startingNotice(error))});
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof ApiError && error.status === 404) {
      mount(main, heading('Correlation', h('span', {class: 'id heading-id'}, id)), empty(
        h('p', {}, `Nothing is correlated by “${id}”.`),
        h('p', {class: 'muted'}, 'A correlation id is the commandId of the first command unless the client set one. '
          + 'The index may also not have caught up with a command sent a moment ago.'),
        h('p', {}, h('a', {href: links.search(id)}, `Search for “${id}” everywhere`))));
      return;
    }
    mount(main, heading('Correlation'), errorView(error, {retry: () => render(main, {params: [id], signal}, () => {})}));
    return;
  }
  const entries = correlation.entries;
  const commands = entries.filter(e => e.kind === 'COMMAND');
  const events = entries.filter(e => e.kind === 'EVENT');
  const rejections = entries.filter(e => e.kind === 'RESULT' && e.type === 'REJECTED');
  const transfers = [...new Set(entries.filter(e => e.aggregateType === 'transfer').map(e => e.aggregateId))];
  mount(main,
    heading('Correlation', h('span', {class: 'id heading-id'}, id)),
    h('p', {class: 'lede'}, `${commands.length} command${commands.length === 1 ? '' : 's'}, ${events.length} event${events.length === 1 ? '' : 's'}`,
      rejections.length ? [', ', h('span', {class: 'bad-text'}, `${rejections.length} rejected`)] : '',
      transfers.length ? [' · transfer ', transfers.map((t, i) => [i ? ', ' : '', h('a', {href: links.transfer(t)}, t)])] : ''),
    h('section', {class: 'panel', 'aria-labelledby': 'graph-title'},
      h('h2', {id: 'graph-title'}, 'Causal graph'),
      h('p', {class: 'hint'}, 'One lane per aggregate; commands have round corners, events square ones; each arrow goes from a cause to what it caused. Select a node to open its aggregate.'),
      h('div', {class: 'graph-scroll', tabindex: '0', 'aria-label': 'Causal graph, scrolls sideways'}, causalGraph(entries)),
      legend()),
    h('section', {class: 'panel', 'aria-labelledby': 'steps-title'},
      h('h2', {id: 'steps-title'}, 'In causal order'),
      h('ol', {class: 'steps'}, entries.map(entry => step(entry)))));
}

function legend() {
  return h('ul', {class: 'legend', 'aria-label': 'Legend'},
    h('li', {}, h('span', {class: 'swatch swatch-command'}), 'command'),
    h('li', {}, h('span', {class: 'swatch swatch-event'}), 'event'),
    h('li', {}, h('span', {class: 'swatch swatch-rejected'}), 'rejected command'));
}

function step(entry) {
  const aggregate = h('a', {href: entry.aggregateType === 'account' ? links.account(entry.aggregateId) : links.transfer(entry.aggregateId)},
    `${entry.aggregateType} ${entry.aggregateId}`);
  const code = entry.fields?.rejectionCode;
  return h('li', {class: ['step', `step-${entry.kind.toLowerCase()}`]},
    h('span', {class: 'step-kind'}, entry.kind.toLowerCase()),
    h('span', {class: 'step-main'},
      entry.kind === 'RESULT' ? badge(entry.type, tone(entry.type)) : h('strong', {}, entry.type),
      ' on ', aggregate,
      entry.aggregateVersion ? h('span', {class: 'muted'}, ` v${entry.aggregateVersion}`) : null,
      code ? h('span', {class: 'bad-text'}, ` ${code}: ${entry.fields.rejectionMessage}`) : null),
    h('span', {class: 'step-meta'}, time(entry.timestamp), ' · ', idText(entry.id)));
}
