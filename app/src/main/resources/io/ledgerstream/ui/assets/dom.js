// Small helpers to build the DOM without innerHTML, so nothing the API returns is ever parsed as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(element, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An HTML element: h('a', {href: '/ui/'}, 'Overview'). */
export function h(tag, attrs, ...children) {
  return append(apply(document.createElement(tag), attrs), children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), attrs), children);
}

/** Replaces an element's children; a page heading that had the focus passes it on to the new one. */
export function mount(element, ...children) {
  const active = document.activeElement;
  const headingHadFocus = active && active.tagName === 'H1' && element.contains(active);
  element.replaceChildren();
  append(element, children);
  if (headingHadFocus) element.querySelector('h1')?.focus();
  return element;
}

export function encode(id) {
  return encodeURIComponent(id);
}

export const links = {
  account: id => `/ui/accounts/${encode(id)}`,
  transfer: id => `/ui/transfers/${encode(id)}`,
  correlation: id => `/ui/correlations/${encode(id)}`,
  search: q => `/ui/?q=${encode(q)}`,
};

/** An id in monospace, shortened in the middle when long, whole in its title. */
export function idText(id, href) {
  if (id === null || id === undefined) return h('span', {class: 'muted'}, '—');
  const text = id.length > 18 ? `${id.slice(0, 8)}…${id.slice(-6)}` : id;
  return href ? h('a', {class: 'id', href, title: id}, text) : h('span', {class: 'id', title: id}, text);
}

const fractionDigits = new Map();

function digitsOf(currency) {
  if (!fractionDigits.has(currency)) {
    let digits = 2;
    try {
      digits = new Intl.NumberFormat('en', {style: 'currency', currency}).resolvedOptions().maximumFractionDigits;
    } catch {
      // a code Intl does not know: show two decimals and the code
    }
    fractionDigits.set(currency, digits);
  }
  return fractionDigits.get(currency);
}

/** Minor units as money, e.g. 123456 EUR as "€1,234.56". Exact: no floating point on the minor units. */
export function money(minor, currency, {sign = false} = {}) {
  if (minor === null || minor === undefined) return '—';
  const digits = digitsOf(currency);
  const negative = BigInt(minor) < 0n;
  const abs = negative ? -BigInt(minor) : BigInt(minor);
  const scale = 10n ** BigInt(digits);
  const whole = (abs / scale).toLocaleString('en');
  const fraction = digits > 0 ? '.' + (abs % scale).toString().padStart(digits, '0') : '';
  let symbol = currency + ' ';
  try {
    const part = new Intl.NumberFormat('en', {style: 'currency', currency, currencyDisplay: 'narrowSymbol'})
      .formatToParts(0).find(p => p.type === 'currency');
    if (part) symbol = part.value;
  } catch {
    // keep the code
  }
  const prefix = negative ? '−' : sign ? '+' : '';
  return `${prefix}${symbol}${whole}${fraction}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
const clockFormat = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'});

/** A timestamp for people, with the exact ISO-8601 value in its title and datetime. */
export function time(iso, {clock = false} = {}) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h('span', {}, iso);
  return h('time', {datetime: iso, title: iso}, (clock ? clockFormat : timeFormat).format(date));
}

export function badge(text, tone) {
  return h('span', {class: ['badge', tone && `badge-${tone}`]}, text);
}

/** The tone of a status word: accepted, open, completed are good; rejected and failed are bad. */
export function tone(status) {
  switch (status) {
    case 'OPEN': case 'COMPLETED': case 'ACCEPTED': case 'SERVING': case 'RUNNING': return 'good';
    case 'REJECTED': case 'FAILED': case 'NEEDS_ATTENTION': case 'ABANDONED': case 'ERROR': return 'bad';
    case 'REQUESTED': case 'DEBITED': case 'BUILDING': case 'REBALANCING': return 'busy';
    default: return 'quiet';
  }
}

/** A page heading that takes focus after navigation, so keyboard and screen reader users land on the new page. */
export function heading(text, ...extra) {
  return h('div', {class: 'page-head'}, h('h1', {tabindex: '-1'}, text), ...extra);
}

export function notice(kind, ...children) {
  return h('div', {class: ['notice', kind], role: kind === 'error' ? 'alert' : 'status'}, ...children);
}

export function empty(...children) {
  return h('div', {class: 'empty'}, ...children);
}

export function loading(what) {
  return h('p', {class: 'loading', role: 'status'}, `Loading ${what}…`);
}

/** A term and its value, for fact lists. */
export function fact(term, ...value) {
  return [h('dt', {}, term), h('dd', {}, ...value)];
}

export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    }, {once: true});
  });
}
