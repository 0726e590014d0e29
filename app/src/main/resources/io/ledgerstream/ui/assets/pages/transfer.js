// /ui/transfers/{id}: a transfer's states as a state machine, each reached state with its time, and its steps.

import {maybe} from '../api.js';
import {badge, empty, encode, fact, h, heading, idText, links, loading, money, mount, s, sleep, time, tone} from '../dom.js';
import {errorView, patiently, startingNotice} from '../view.js';

export const title = ([id]) => `Transfer ${id}`;

/** The events that move a transfer into each state. */
const ENTERS = {TransferRequested: 'REQUESTED', TransferDebitRecorded: 'DEBITED', TransferCompleted: 'COMPLETED', TransferFailed: 'FAILED',
  TransferNeedsAttention: 'NEEDS_ATTENTION'};
/** The states a transfer stays in: the worker sends it nothing more. */
const SETTLED = ['COMPLETED', 'FAILED', 'NEEDS_ATTENTION'];

const STATES = {
  REQUESTED: {x: 20, y: 16},
  DEBITED: {x: 20, y: 128},
  COMPLETED: {x: 20, y: 240},
  FAILED: {x: 236, y: 184},
  NEEDS_ATTENTION: {x: 452, y: 240},
};
// a leg is given up when it went unanswered at every try (see --transfer-max-tries)
const EDGES = [
  {from: 'REQUESTED', to: 'DEBITED', label: 'debited'},
  {from: 'DEBITED', to: 'COMPLETED', label: 'credited'},
  {from: 'REQUESTED', to: 'FAILED', label: 'debit rejected or given up'},
  {from: 'DEBITED', to: 'FAILED', label: 'credit rejected or given up, refunded'},
  {from: 'DEBITED', to: 'NEEDS_ATTENTION', label: 'refund rejected or unanswered', above: true},
];
const NODE_W = 164, NODE_H = 56;

export async function render(main, {params: [id], signal}, ready) {
  const status = h('div');
  mount(main, heading(`Transfer ${id}`), status, loading('the transfer'));
  ready();
  if (await load(main, id, signal, status)) follow(main, id, signal, status);
}

/** Until the transfer settles, looks again every two seconds, without holding up the page. */
async function follow(main, id, signal, status) {
  for (;;) {
    try {
      await sleep(2000, signal);
    } catch {
      return;
    }
    if (!await load(main, id, signal, status)) return;
  }
}

/** Shows the transfer as it is now; true while it has not settled, so it is worth looking again. */
async function load(main, id, signal, status) {
  let transfer, correlation;
  try {
    [transfer, correlation] = await patiently(async () => {
      const found = await maybe(`/transfers/${encode(id)}`, {signal});
      if (!found) return [null, null];
      const link = await maybe(`/transfers/${encode(id)}/correlation`, {signal});
      return [found, link ? await maybe(`/correlations/${encode(link.correlationId)}`, {signal}) : null];
    }, {signal, onWait: error => mount(status, startingNotice(error))});
  } catch (error) {
    if (signal.aborted) return false;
    mount(main, heading(`Transfer ${id}`), errorView(error, {retry: () => render(main, {params: [id], signal}, () => {})}));
    return false;
  }
  if (signal.aborted) return false;
  if (!transfer) {
    mount(main, heading(`Transfer ${id}`), empty(h('p', {}, `There is no transfer “${id}”.`),
      h('p', {class: 'muted'}, 'Transfer ids are exact and case-sensitive; a transfer requested a moment ago may not be in the projection yet.'),
      h('p', {}, h('a', {href: links.search(id)}, `Search for “${id}” everywhere`))));
    return false;
  }
  show(main, id, transfer, correlation);
  const settled = SETTLED.includes(transfer.status);
  return !(settled && correlation);
}

function show(main, id, transfer, correlation) {
  const entries = correlation ? correlation.entries : [];
  const reached = {};
  for (const entry of entries) {
    if (entry.kind === 'EVENT' && ENTERS[entry.type] && entry.aggregateId === id) reached[ENTERS[entry.type]] = entry.timestamp;
  }
  reached.REQUESTED ??= transfer.requestedAt;
  reached[transfer.status] ??= transfer.updatedAt;
  const path = transfer.status === 'COMPLETED' ? ['REQUESTED', 'DEBITED', 'COMPLETED']
    : transfer.status === 'FAILED' ? (transfer.refunded ? ['REQUESTED', 'DEBITED', 'FAILED'] : ['REQUESTED', 'FAILED'])
      : transfer.status === 'NEEDS_ATTENTION' ? ['REQUESTED', 'DEBITED', 'NEEDS_ATTENTION']
        : transfer.status === 'DEBITED' ? ['REQUESTED', 'DEBITED'] : ['REQUESTED'];
  const steps = entries.filter(entry => entry.kind === 'EVENT' || (entry.kind === 'RESULT' && entry.type === 'REJECTED'));
  mount(main,
    heading(`Transfer ${id}`, badge(transfer.status, tone(transfer.status))),
    h('div', {class: 'grid-2'},
      h('section', {class: 'panel', 'aria-labelledby': 'transfer-title'},
        h('h2', {id: 'transfer-title'}, 'Transfer'),
        h('p', {class: 'big-number'}, money(transfer.amountMinor, transfer.currency)),
        h('dl', {class: 'facts'},
          fact('From', h('a', {href: links.account(transfer.from)}, transfer.from)),
          fact('To', h('a', {href: links.account(transfer.to)}, transfer.to)),
          fact('Status', badge(transfer.status, tone(transfer.status)), transfer.refunded ? ' (refunded)' : ''),
          transfer.failureCode ? fact('Why', h('span', {class: 'bad-text'}, `${transfer.failureCode}: ${transfer.failureReason || ''}`)) : null,
          transfer.status === 'NEEDS_ATTENTION' ? fact('What to do', h('span', {},
            `The transfer worker could not give the ${money(transfer.amountMinor, transfer.currency)} back to ${transfer.from}: `
            + 'it left the source and did not arrive. An operator brings it back by hand (see the README\'s Transfers section).')) : null,
          fact('Requested', time(transfer.requestedAt)),
          fact('Last change', time(transfer.updatedAt)),
          fact('Version', String(transfer.version)),
          fact('Causal chain', correlation ? h('a', {href: links.correlation(correlation.correlationId)}, 'Open the causal graph')
            : h('span', {class: 'muted'}, 'not started by the transfer worker yet')))),
      h('section', {class: 'panel', 'aria-labelledby': 'machine-title'},
        h('h2', {id: 'machine-title'}, 'States'),
        stateMachine(path, reached, transfer.status))),
    h('section', {class: 'panel', 'aria-labelledby': 'steps-title'},
      h('h2', {id: 'steps-title'}, 'Steps'),
      steps.length ? h('ol', {class: 'steps'}, steps.map(entry => h('li', {class: ['step', entry.kind === 'RESULT' && 'step-rejected']},
        h('span', {class: 'step-kind'}, entry.kind === 'RESULT' ? 'rejected' : entry.aggregateType),
        h('span', {class: 'step-main'}, h('strong', {}, entry.kind === 'RESULT' ? entry.fields.rejectionCode : entry.type), ' on ',
          h('a', {href: entry.aggregateType === 'account' ? links.account(entry.aggregateId) : links.transfer(entry.aggregateId)}, entry.aggregateId),
          entry.kind === 'RESULT' ? h('span', {class: 'muted'}, ` ${entry.fields.rejectionMessage}`) : null),
        h('span', {class: 'step-meta'}, time(entry.timestamp), ' · ', idText(entry.id)))))
        : empty(h('p', {}, 'The transfer worker has not taken a step yet.'))));
}

function stateMachine(path, reached, current) {
  const taken = new Set(path.slice(1).map((state, i) => `${path[i]}>${state}`));
  return s('svg', {class: 'machine', viewBox: '0 0 636 312', role: 'img',
    'aria-label': `Transfer states: went through ${path.join(', then ')}; now ${current}`},
  s('defs', {}, s('marker', {id: 'm-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'},
    s('path', {d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head'}))),
  EDGES.map(edge => {
    const a = STATES[edge.from], b = STATES[edge.to];
    const on = taken.has(`${edge.from}>${edge.to}`);
    const sameColumn = a.x === b.x;
    const x1 = sameColumn ? a.x + NODE_W / 2 : a.x + NODE_W, y1 = a.y + NODE_H / 2 + (sameColumn ? NODE_H / 2 : 0);
    const x2 = sameColumn ? b.x + NODE_W / 2 : b.x + NODE_W / 2, y2 = b.y - 2;
    const d = sameColumn ? `M${x1},${y1} L${x2},${y2}` : `M${x1},${y1} C${x2},${y1} ${x2},${y1} ${x2},${y2}`;
    // labels beside vertical arrows, above the first sideways one and below the second, clear of both curves
    const lx = x1 + 10, ly = sameColumn ? (y1 + y2) / 2 + 4 : edge.from === 'REQUESTED' || edge.above ? y1 - 6 : y1 + 18;
    return s('g', {class: ['transition', on && 'is-taken']},
      s('path', {d, 'marker-end': 'url(#m-arrow)'}),
      s('text', {x: lx, y: ly}, edge.label));
  }),
  Object.entries(STATES).map(([state, at]) => {
    const isOn = path.includes(state);
    return s('g', {class: ['state', isOn && 'is-reached', state === current && 'is-current', (state === 'FAILED' || state === 'NEEDS_ATTENTION') && 'is-failure'],
      dataset: {state}},
    s('rect', {x: at.x, y: at.y, width: NODE_W, height: NODE_H, rx: 28}),
    s('text', {class: 'state-name', x: at.x + NODE_W / 2, y: at.y + 24, 'text-anchor': 'middle'}, state.replace('_', ' ')),
    s('text', {class: 'state-time', x: at.x + NODE_W / 2, y: at.y + 42, 'text-anchor': 'middle'},
      isOn && reached[state] ? new Date(reached[state]).toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'}) : isOn ? '' : 'not reached'));
  }));
}
