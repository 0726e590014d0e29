// A correlation's causal chain drawn in SVG: one lane per aggregate, one node per command or event in causal order,
// an arrow from each to what it caused, rejected commands marked.

import {links, s} from './dom.js';

const LANE = 224, NODE_W = 200, NODE_H = 48, ROW = 70, HEAD = 44, PAD = 12;

/** Commands and events as nodes, each command carrying its result; arrows from causation to effect. */
export function causalGraph(entries) {
  const seen = new Set();
  const nodes = [];
  const results = new Map();
  for (const entry of entries) {
    if (entry.kind === 'RESULT') {
      results.set(entry.commandId, entry);
      continue;
    }
    const key = `${entry.kind}:${entry.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    nodes.push(entry);
  }
  const lanes = [...new Set(nodes.map(laneOf))];
  const byId = new Map(nodes.map((node, row) => [node.id, {node, row, lane: lanes.indexOf(laneOf(node))}]));
  const edges = nodes.flatMap(node => {
    const cause = node.causationId && node.causationId !== node.id ? byId.get(node.causationId) : null;
    return cause ? [{from: cause, to: byId.get(node.id)}] : [];
  });
  const width = PAD * 2 + lanes.length * LANE;
  const height = HEAD + nodes.length * ROW + PAD;
  const x = lane => PAD + lane * LANE + (LANE - NODE_W) / 2;
  const y = row => HEAD + row * ROW + (ROW - NODE_H) / 2;
  const rejected = nodes.filter(node => results.get(node.id)?.type === 'REJECTED').length;
  return s('svg', {class: 'graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': `Causal graph: ${nodes.filter(n => n.kind === 'COMMAND').length} commands and `
      + `${nodes.filter(n => n.kind === 'EVENT').length} events across ${lanes.length} aggregates`
      + (rejected ? `, ${rejected} rejected` : '')},
  s('defs', {},
    s('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'},
      s('path', {d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head'})),
    s('marker', {id: 'arrow-bad', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'},
      s('path', {d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head bad'}))),
  lanes.map((lane, i) => {
    const [type, id] = lane.split('\u0000');
    return s('g', {class: 'lane'},
      s('rect', {class: ['lane-bg', i % 2 && 'odd'], x: PAD + i * LANE, y: 0, width: LANE, height}),
      s('a', {href: type === 'account' ? links.account(id) : links.transfer(id)},
        s('text', {class: 'lane-title', x: PAD + i * LANE + LANE / 2, y: 26, 'text-anchor': 'middle'}, `${type} ${id}`)));
  }),
  edges.map(({from, to}) => {
    const bad = results.get(from.node.id)?.type === 'REJECTED';
    const x1 = x(from.lane) + NODE_W / 2, y1 = y(from.row) + NODE_H;
    const x2 = x(to.lane) + NODE_W / 2, y2 = y(to.row);
    const bend = Math.max(12, (y2 - y1) / 2);
    const d = from.lane === to.lane ? `M${x1},${y1} L${x2},${y2 - 2}`
      : `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2 - 2}`;
    return s('path', {class: ['edge', bad && 'edge-bad'], d, 'marker-end': bad ? 'url(#arrow-bad)' : 'url(#arrow)'});
  }),
  nodes.map((node, row) => {
    const lane = lanes.indexOf(laneOf(node));
    const result = results.get(node.id);
    const isRejected = result?.type === 'REJECTED';
    const code = result?.fields?.rejectionCode;
    const line2 = node.kind === 'EVENT' ? `event · v${node.aggregateVersion}`
      : result ? `command · ${isRejected ? `rejected${code ? ` ${code}` : ''}` : 'accepted'}` : 'command · no result yet';
    const label = `${node.kind === 'EVENT' ? 'Event' : 'Command'} ${node.type} on ${node.aggregateType} ${node.aggregateId}`
      + (node.kind === 'EVENT' ? `, version ${node.aggregateVersion}` : result ? `, ${result.type.toLowerCase()}${code ? ` ${code}` : ''}` : '');
    const href = node.aggregateType === 'account' ? links.account(node.aggregateId) : links.transfer(node.aggregateId);
    return s('a', {href, 'aria-label': label, class: ['node', `node-${node.kind.toLowerCase()}`, isRejected && 'node-rejected'],
      dataset: {kind: node.kind, type: node.type, id: node.id}},
    s('title', {}, `${label}\nid ${node.id}\ncaused by ${node.causationId || '—'}\n${node.timestamp || ''}`),
    s('rect', {x: x(lane), y: y(row), width: NODE_W, height: NODE_H, rx: node.kind === 'COMMAND' ? 10 : 3}),
    s('text', {class: 'node-type', x: x(lane) + 12, y: y(row) + 20}, node.type),
    s('text', {class: 'node-sub', x: x(lane) + 12, y: y(row) + 37}, line2));
  }));
}

function laneOf(entry) {
  return `${entry.aggregateType}\u0000${entry.aggregateId}`;
}
