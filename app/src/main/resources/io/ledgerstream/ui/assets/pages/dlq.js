// /ui/dlq: the dead letters, why each could not be processed, and re-driving selected ones, each at most once.

import {api, ApiError, query as toQuery} from '../api.js';
import {badge, empty, encode, fact, h, heading, loading, mount, notice, time} from '../dom.js';
import {errorView, patiently, startingNotice} from '../view.js';

export const title = () => 'Dead letters';

export async function render(main, {query, signal, navigate}, ready) {
  const before = query.get('before') || '';
  const status = h('div', {id: 'dlq-status'});
  mount(main, heading('Dead letters'), status, loading('the dead letters'));
  ready();
  let page;
  try {
    page = await patiently(() => api(`/admin/dlq${toQuery({before, limit: 50})}`, {signal}),
      {signal, onWait: error => mount(status, startingNotice(error))});
  } catch (error) {
    if (signal.aborted) return;
    mount(main, heading('Dead letters'), errorView(error, {retry: () => render(main, {query, signal, navigate}, () => {})}));
    return;
  }
  const selected = new Set();
  const redrive = h('button', {type: 'button', class: 'button primary', id: 'redrive', disabled: true}, 'Re-drive selected');
  const outcome = h('div', {id: 'dlq-outcome', 'aria-live': 'polite'});
  const refresh = () => render(main, {query, signal, navigate}, () => {});
  const updateButton = () => {
    redrive.disabled = selected.size === 0;
    redrive.textContent = selected.size ? `Re-drive ${selected.size} selected` : 'Re-drive selected';
  };
  const confirm = confirmDialog(selected, async () => {
    redrive.disabled = true;
    try {
      const done = await api('/admin/dlq/redrive', {method: 'POST', body: {letters: [...selected]}, signal});
      mount(outcome, notice('success', h('strong', {}, `Re-drove ${done.redriven.length} letter${done.redriven.length === 1 ? '' : 's'}`),
        h('ul', {}, done.redriven.map(r => h('li', {}, `${r.letter} → ${r.topic}/${r.partition}@${r.offset}`)))));
      selected.clear();
      await refreshList();
    } catch (error) {
      if (signal.aborted) return;
      mount(outcome, errorView(error));
      updateButton();
    }
  });
  const table = h('div', {class: 'letters'});
  const refreshList = async () => {
    const fresh = await api(`/admin/dlq${toQuery({before, limit: 50})}`, {signal});
    mount(table, letters(fresh.letters, selected, updateButton));
    updateButton();
  };
  redrive.addEventListener('click', () => confirm.open());
  mount(table, letters(page.letters, selected, updateButton));
  mount(main,
    heading('Dead letters'),
    h('p', {class: 'lede'}, 'Records the command side could not read: bytes that do not decode, unknown schema ids or command types, oversized values. '
      + 'Re-driving produces a letter\u2019s original key, value and headers to the topic it came from, once; if it fails again it comes back here as a new letter.'),
    h('div', {class: 'toolbar'}, redrive,
      h('button', {type: 'button', class: 'button', onclick: () => refresh()}, 'Refresh'),
      before ? h('a', {class: 'button', href: '/ui/dlq'}, 'Newest') : null,
      page.next ? h('a', {class: 'button', href: `/ui/dlq?before=${encode(page.next)}`}, 'Older') : null),
    outcome, table, confirm.element);
}

function letters(list, selected, changed) {
  if (!list.length) {
    return empty(h('p', {}, 'No dead letters. Every record so far could be read.'),
      h('p', {class: 'muted'}, 'On the command line: java -jar app/target/ledgerstream.jar dlq list'));
  }
  return h('ul', {class: 'letter-list'}, list.map(letter => {
    const box = h('input', {type: 'checkbox', id: `letter-${letter.position}`, value: letter.position,
      disabled: Boolean(letter.redrive) || !letter.redrivable, checked: selected.has(letter.position),
      onchange: event => {
        if (event.target.checked) selected.add(letter.position);
        else selected.delete(letter.position);
        changed();
      }});
    const state = letter.redrive ? badge('re-driven', 'good') : letter.redrivable ? badge('waiting', 'busy') : badge('cannot re-drive', 'quiet');
    const exception = (letter.exception || 'unknown').split('.').pop();
    return h('li', {class: ['letter', letter.redrive && 'is-redriven'], dataset: {position: letter.position}},
      h('div', {class: 'letter-head'},
        box,
        h('label', {for: `letter-${letter.position}`, class: 'letter-title'},
          h('span', {class: 'id'}, letter.position), ' ', h('strong', {}, exception)),
        state),
      h('p', {class: 'letter-message'}, letter.message || 'No message.'),
      h('dl', {class: 'facts compact'},
        fact('From', letter.topic ? `${letter.topic}/${letter.originPartition}@${letter.originOffset}` : h('span', {class: 'muted'}, 'unknown')),
        fact('When', time(letter.timestamp)),
        fact('Key', letter.key ?? h('span', {class: 'muted'}, 'none or binary')),
        fact('Value', h('code', {}, letter.valuePreview ?? '(none)'), h('span', {class: 'muted'}, ` ${letter.valueSize ?? 0} bytes`)),
        letter.redrivenFrom ? fact('Re-driven from', letter.redrivenFrom) : null,
        letter.redrive ? fact('Re-driven', `${letter.redrive.topic}/${letter.redrive.partition}@${letter.redrive.offset} by ${letter.redrive.by} `,
          time(letter.redrive.redrivenAt)) : null,
        !letter.redrivable ? fact('Why not', letter.notRedrivableBecause) : null),
      more(letter.position));
  }));
}

/** Headers, bytes and stack trace, fetched when opened. */
function more(position) {
  const body = h('div', {class: 'letter-more'});
  const details = h('details', {}, h('summary', {}, 'Headers, bytes and stack trace'), body);
  details.addEventListener('toggle', async () => {
    if (!details.open || body.dataset.loaded) return;
    mount(body, loading('the letter'));
    try {
      const letter = await api(`/admin/dlq/${encode(position)}`);
      body.dataset.loaded = 'true';
      mount(body,
        h('h3', {}, 'Headers'),
        h('dl', {class: 'facts compact headers'}, letter.headers.map(header => fact(header.name,
          header.text !== undefined ? header.text : header.base64 !== undefined ? h('code', {}, `base64 ${header.base64}`) : '(null)'))),
        h('h3', {}, 'Value'),
        letter.value ? h('pre', {class: 'bytes'}, letter.value.text !== undefined ? letter.value.text : letter.value.hex) : h('p', {}, '(none)'),
        letter.stackTrace ? [h('h3', {}, 'Stack trace'), h('pre', {class: 'trace'}, letter.stackTrace)] : null);
    } catch (error) {
      mount(body, error instanceof ApiError ? errorView(error) : h('p', {}, String(error)));
    }
  });
  return details;
}

function confirmDialog(selected, onConfirm) {
  const list = h('ul');
  const dialog = h('dialog', {class: 'dialog', 'aria-labelledby': 'confirm-title'},
    h('form', {method: 'dialog'},
      h('h2', {id: 'confirm-title'}, 'Re-drive these letters?'),
      h('p', {}, 'Each goes back to the topic it came from, once, all of them in one transaction. A letter cannot be re-driven twice.'),
      list,
      h('div', {class: 'actions'},
        h('button', {type: 'submit', value: 'cancel', class: 'button'}, 'Cancel'),
        h('button', {type: 'submit', value: 'redrive', class: 'button primary', id: 'confirm-redrive'}, 'Re-drive'))));
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'redrive') onConfirm();
  });
  return {
    element: dialog,
    open() {
      mount(list, [...selected].map(position => h('li', {class: 'id'}, position)));
      dialog.returnValue = '';
      dialog.showModal();
    },
  };
}
