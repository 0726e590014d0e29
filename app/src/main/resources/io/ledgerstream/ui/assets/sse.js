// GET /events/stream read with fetch rather than EventSource, which cannot send an Authorization header: the
// Server-Sent Events are parsed here, and a dropped connection resumes after the last event with Last-Event-ID.

import {ApiError, headers} from './api.js';
import {sleep} from './dom.js';

/** Splits a text/event-stream into events: {id, event, data}; comments are passed on as {comment}. */
export class SseParser {
  constructor(onMessage) {
    this.onMessage = onMessage;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.id = null;
    this.event = null;
    this.data = [];
  }

  push(chunk) {
    this.buffer += chunk;
    let newline;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const length = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + length);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0 || this.event) {
        this.onMessage({id: this.id, event: this.event || 'message', data: this.data.join('\n')});
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) {
      this.onMessage({comment: line.slice(1).trim()});
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

/**
 * Follows the event stream until the signal aborts, reconnecting after drops and resuming after the last event.
 * onState receives 'connecting', 'open', 'reconnecting', 'denied' or 'failed' with a detail.
 */
export async function follow({params, lastEventId, onEvent, onState, signal}) {
  let last = lastEventId || null;
  let backoff = 1000;
  while (!signal.aborted) {
    onState('connecting', {lastEventId: last});
    try {
      const extra = {Accept: 'text/event-stream'};
      if (last) extra['Last-Event-ID'] = last;
      const response = await fetch(`/events/stream${params}`, {headers: headers(extra), signal, cache: 'no-store'});
      if (!response.ok) {
        let problem = null;
        try { problem = await response.json(); } catch { problem = null; }
        const error = new ApiError(response.status, problem, problem?.detail || `The API answered ${response.status}.`);
        if (error.denied) {
          onState('denied', {error});
          return;
        }
        if (response.status === 400) {
          onState('failed', {error});
          return;
        }
        throw error;
      }
      let opened = false;
      const parser = new SseParser(message => {
        if (message.comment !== undefined) {
          if (!opened) {
            opened = true;
            backoff = 1000;
            onState('open', {lastEventId: last});
          }
          return;
        }
        if (message.event === 'overflow') {
          const body = JSON.parse(message.data);
          last = body.lastEventId || last;
          return;
        }
        if (message.id) last = message.id;
        onEvent(JSON.parse(message.data), message.id);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch (error) {
      if (signal.aborted || error.name === 'AbortError') return;
      onState('reconnecting', {lastEventId: last, error, retryIn: backoff});
      try {
        await sleep(backoff, signal);
      } catch {
        return;
      }
      backoff = Math.min(backoff * 2, 15000);
      continue;
    }
    if (signal.aborted) return;
    onState('reconnecting', {lastEventId: last, retryIn: 500});
    try {
      await sleep(500, signal);
    } catch {
      return;
    }
  }
}
