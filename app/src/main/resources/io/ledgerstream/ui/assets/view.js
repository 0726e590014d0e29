// What every page shows when data is missing or the API fails, so empty and error states look and act alike.

import {ApiError} from './api.js';
import {h, notice, sleep} from './dom.js';

/** Opens the token field in the header and puts the cursor in it. */
export function askForToken() {
  document.dispatchEvent(new CustomEvent('ledger:token'));
}

/** A failed request as a person can act on it: reach the API, set a token, or retry. */
export function errorView(error, {retry} = {}) {
  const actions = [];
  if (error instanceof ApiError && error.denied) {
    actions.push(h('button', {type: 'button', class: 'button primary', onclick: askForToken}, 'Set a token'));
  }
  if (retry) actions.push(h('button', {type: 'button', class: 'button', onclick: retry}, 'Try again'));
  const title = !(error instanceof ApiError) ? 'Something went wrong'
    : error.status === 0 ? 'API unreachable'
      : error.denied ? 'Not allowed'
        : `The API answered ${error.status}`;
  return notice('error', h('strong', {}, title), h('p', {}, error.message),
    actions.length ? h('div', {class: 'actions'}, actions) : null);
}

/**
 * Runs a load, and while the API answers 503 (the node starting, projections restoring or moving) says so and tries
 * again every two seconds until it answers or the page is left.
 */
export async function patiently(load, {signal, onWait}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await load();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 503 || signal.aborted) throw error;
      onWait?.(error, attempt);
      await sleep(2000, signal);
    }
  }
}

/** The notice shown while patiently waits. */
export function startingNotice(error) {
  return notice('warn', h('strong', {}, 'The node is not ready yet'),
    h('p', {}, `${error.message} Trying again every two seconds…`));
}
