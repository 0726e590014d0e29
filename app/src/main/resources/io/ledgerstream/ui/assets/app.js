// The explorer's shell: a router over the History API (so /ui/accounts/A-1 is a real, reloadable URL), the token
// field, and one page at a time, each given an AbortSignal that fires when the user leaves it.

import {token} from './api.js';
import {h, mount} from './dom.js';
import {errorView} from './view.js';

const routes = [
  {path: /^\/ui\/?$/, page: () => import('./pages/overview.js')},
  {path: /^\/ui\/accounts\/([^/]+)\/?$/, page: () => import('./pages/account.js')},
  {path: /^\/ui\/transfers\/([^/]+)\/?$/, page: () => import('./pages/transfer.js')},
  {path: /^\/ui\/correlations\/([^/]+)\/?$/, page: () => import('./pages/correlation.js')},
  {path: /^\/ui\/live\/?$/, page: () => import('./pages/live.js')},
  {path: /^\/ui\/dlq\/?$/, page: () => import('./pages/dlq.js')},
  {path: /^\/ui\/projections\/?$/, page: () => import('./pages/projections.js')},
];

const main = document.getElementById('main');
let leave = null;

/** Goes to another explorer URL without reloading; replace keeps the history entry (for filters and as-of). */
export function navigate(url, {replace = false} = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  return show({focus: !replace});
}

async function show({focus}) {
  leave?.abort();
  const controller = new AbortController();
  leave = controller;
  highlightNav();
  const route = routes.find(candidate => candidate.path.test(location.pathname));
  if (!route) {
    document.title = 'Not found · Ledgerstream';
    mount(main, h('div', {class: 'page-head'}, h('h1', {tabindex: '-1'}, 'No such page')),
      h('div', {class: 'empty'}, h('p', {}, `Nothing lives at ${location.pathname}.`),
        h('p', {}, h('a', {href: '/ui/'}, 'Go to the overview'))));
    if (focus) main.querySelector('h1')?.focus();
    return;
  }
  const params = location.pathname.match(route.path).slice(1).map(decodeURIComponent);
  main.setAttribute('aria-busy', 'true');
  try {
    const page = await route.page();
    if (controller.signal.aborted) return;
    document.title = `${page.title(params)} · Ledgerstream`;
    await page.render(main, {params, query: new URLSearchParams(location.search), signal: controller.signal, navigate},
      () => focus && main.querySelector('h1')?.focus());
  } catch (error) {
    if (error.name === 'AbortError' || controller.signal.aborted) return;
    console.error(error);
    mount(main, h('div', {class: 'page-head'}, h('h1', {tabindex: '-1'}, 'This page failed')),
      errorView(error, {retry: () => show({focus: false})}));
  } finally {
    if (leave === controller) main.removeAttribute('aria-busy');
  }
}

function highlightNav() {
  const section = location.pathname.replace(/\/$/, '') || '/ui';
  for (const link of document.querySelectorAll('.nav a')) {
    const target = link.getAttribute('href').replace(/\/$/, '');
    const current = target === '/ui' ? section === '/ui' : section.startsWith(target);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function interceptLinks() {
  document.addEventListener('click', event => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/ui')) return;
    event.preventDefault();
    if (url.pathname === location.pathname && url.search === location.search && url.hash) {
      location.hash = url.hash;
      return;
    }
    navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', () => show({focus: true}));
}

function tokenField() {
  const toggle = document.getElementById('token-toggle');
  const panel = document.getElementById('token-panel');
  const input = document.getElementById('token-input');
  const label = document.getElementById('token-toggle-label');
  const status = document.getElementById('token-status');
  const describe = () => {
    const set = Boolean(token.get());
    toggle.classList.toggle('is-set', set);
    label.textContent = set ? 'Token set' : 'Token';
    status.textContent = set
      ? 'A token is set for this tab and sent as Authorization: Bearer on every request.'
      : 'No token: fine on the loopback-only default. When the API requires one, paste it here; it stays in this tab (sessionStorage).';
  };
  const open = expanded => {
    panel.hidden = !expanded;
    toggle.setAttribute('aria-expanded', String(expanded));
    if (expanded) input.focus();
  };
  toggle.addEventListener('click', () => open(panel.hidden));
  panel.addEventListener('keydown', event => {
    if (event.key === 'Escape') {
      open(false);
      toggle.focus();
    }
  });
  panel.addEventListener('submit', event => {
    event.preventDefault();
    token.set(input.value.trim());
    input.value = '';
    describe();
    open(false);
    show({focus: false});
  });
  document.getElementById('token-clear').addEventListener('click', () => {
    token.set('');
    input.value = '';
    describe();
    show({focus: false});
  });
  document.addEventListener('ledger:token', () => open(true));
  describe();
}

document.addEventListener('served-by', event => {
  document.getElementById('served-by').textContent = `Served by ${event.detail}`;
});

tokenField();
interceptLinks();
show({focus: false});
