// The balance over an account's life, as a step chart drawn in SVG from its events.

import {money, s} from './dom.js';

const LEFT = 84, RIGHT = 16, TOP = 16, BOTTOM = 36;

/**
 * points: [{version, balance (minor units), type, occurredAt}], oldest first. highlight: a version to mark (as-of).
 * width: the pixels it will take, so its text stays at its own size on a phone as on a desktop.
 */
export function balanceChart(points, currency, {highlight, width = 1000} = {}) {
  const chartWidth = Math.max(280, Math.round(width));
  const chartHeight = chartWidth < 600 ? 190 : 250;
  // minor units as numbers: exact up to 2^53, and a chart needs no more
  const values = points.map(point => Number(point.balance));
  const low = Math.min(0, ...values), high = Math.max(0, ...values);
  const span = high - low || 1;
  const x = i => LEFT + (points.length === 1 ? (chartWidth - LEFT - RIGHT) / 2 : i * (chartWidth - LEFT - RIGHT) / (points.length - 1));
  const y = value => TOP + (high - value) / span * (chartHeight - TOP - BOTTOM);
  let path = '';
  points.forEach((point, i) => {
    path += i === 0 ? `M${x(i)},${y(values[i])}` : `H${x(i)}V${y(values[i])}`;
  });
  const ticks = [...new Set([high, low, 0])];
  const last = points[points.length - 1];
  const description = `Balance after each of ${points.length} events, from ${money(points[0].balance, currency)} `
    + `at version ${points[0].version} to ${money(last.balance, currency)} at version ${last.version}`;
  return s('svg', {class: 'chart', viewBox: `0 0 ${chartWidth} ${chartHeight}`, role: 'img', 'aria-label': description},
    ticks.map(value => [
      s('line', {class: value === 0 ? 'zero' : 'grid', x1: LEFT, x2: chartWidth - RIGHT, y1: y(value), y2: y(value)}),
      s('text', {class: 'tick', x: LEFT - 8, y: y(value) + 4, 'text-anchor': 'end'},
        money(Math.round(value), currency)),
    ]),
    s('path', {class: 'area', d: `${path}V${y(0)}H${x(0)}Z`}),
    s('path', {class: 'line', d: path}),
    points.map((point, i) => s('circle', {
      class: ['dot', highlight === point.version && 'dot-highlight', point.balance < 0 && 'dot-negative'],
      cx: x(i), cy: y(values[i]), r: highlight === point.version ? 6 : 3.5},
    s('title', {}, `v${point.version} ${point.type}: ${money(point.balance, currency)} at ${point.occurredAt}`))),
    s('text', {class: 'tick', x: x(0), y: chartHeight - 10, 'text-anchor': points.length === 1 ? 'middle' : 'start'}, `v${points[0].version}`),
    points.length > 1 ? s('text', {class: 'tick', x: x(points.length - 1), y: chartHeight - 10, 'text-anchor': 'end'}, `v${last.version}`) : null);
}
