// /ui/projections: the projections generations, a rebuild's progress and lag, and starting or abandoning one.

import {api} from '../api.js';
import {badge, fact, h, heading, loading, mount, notice, sleep, time, tone} from '../dom.js';
import {errorView, patiently, startingNotice} from '../view.js';

export const title = () => 'Projections';

const POLL_MS = 2000;

export async function render(main, {signal}, ready) {
  const status = h('div');
  const outcome = h('div', {'aria-live': 'polite'});
  const body = h('div', {}, loading('the projections'));
  const rebuild = h('button', {type: 'button', class: 'button primary', id: 'rebuild', disabled: true}, 'Start a rebuild');
  const abandon = h('button', {type: 'button', class: 'button danger', id: 'abandon', hidden: true}, 'Abandon the rebuild');
  mount(main, heading('Projections'),
    h('p', {class: 'lede'}, 'The read side is rebuilt blue/green: a new generation reads every log from the beginning beside the serving one, '
      + 'and queries switch to it once it has caught up.'),
    h('div', {class: 'toolbar'}, rebuild, abandon), status, outcome, body);
  ready();
  const act = async (path, verb) => {
    if (!window.confirm(verb === 'rebuild'
      ? 'Start rebuilding every projection from the beginning of the logs? The serving generation keeps answering meanwhile.'
      : 'Abandon the rebuild in progress? Its state, group and internal topics are removed; the serving generation is untouched.')) return;
    try {
      const generation = await api(path, {method: 'POST', signal});
      mount(outcome, notice('success', verb === 'rebuild' ? `Generation ${generation.generation} is building.` : `Generation ${generation.generation} was abandoned.`));
    } catch (error) {
      if (!signal.aborted) mount(outcome, errorView(error));
    }
  };
  rebuild.addEventListener('click', () => act('/admin/projections/rebuild', 'rebuild'));
  abandon.addEventListener('click', () => act('/admin/projections/rebuild/abandon', 'abandon'));
  await refresh({signal, status, body, rebuild, abandon});
  follow({signal, status, body, rebuild, abandon});
}

/** Polls for as long as the page is open, without holding up its rendering. */
async function follow(view) {
  while (!view.signal.aborted) {
    try {
      await sleep(POLL_MS, view.signal);
    } catch {
      return;
    }
    await refresh(view);
  }
}

async function refresh({signal, status, body, rebuild, abandon}) {
  try {
    const overview = await patiently(() => api('/admin/projections', {signal}),
      {signal, onWait: error => mount(status, startingNotice(error))});
    mount(status);
    const building = overview.building !== null && overview.building !== undefined;
    rebuild.disabled = building;
    abandon.hidden = !building;
    mount(body, overview.generations.map(generation));
  } catch (error) {
    if (!signal.aborted) mount(status, errorView(error));
  }
}

function generation(g) {
  const hasLag = g.total !== undefined;
  const done = hasLag && g.total > 0 ? Math.min(1, g.processed / g.total) : hasLag ? 1 : null;
  const eta = g.state === 'BUILDING' && g.eventsPerSecond > 0 ? Math.round(g.lag / g.eventsPerSecond) : null;
  return h('section', {class: ['panel', 'generation', `generation-${g.state.toLowerCase()}`], 'aria-labelledby': `gen-${g.generation}`,
    dataset: {generation: g.generation, state: g.state}},
  h('div', {class: 'generation-head'},
    h('h2', {id: `gen-${g.generation}`}, `Generation ${g.generation}`), badge(g.state, tone(g.state)),
    g.streams ? badge(`streams ${g.streams}`, tone(g.streams)) : null),
  done !== null ? h('div', {class: 'progress'},
    h('progress', {max: 1, value: done, 'aria-label': `Generation ${g.generation} progress`}),
    h('span', {}, `${Math.floor(done * 100)}% · ${Number(g.processed).toLocaleString()} of ${Number(g.total).toLocaleString()} records`)) : null,
  h('dl', {class: 'facts compact'},
    fact('Application id', h('code', {}, g.applicationId)),
    hasLag ? fact('Lag', `${Number(g.lag).toLocaleString()} records${g.caughtUp ? ' (caught up)' : ''}`) : null,
    hasLag ? fact('Rate', `${g.eventsPerSecond} records/s`) : null,
    eta !== null ? fact('Time left', eta < 90 ? `about ${eta} s` : `about ${Math.round(eta / 60)} min`) : null,
    fact('Started', time(g.startedAt)),
    g.servingSince ? fact('Serving since', time(g.servingSince)) : null,
    g.endedAt ? fact('Ended', time(g.endedAt), g.cleanedUp ? ' (cleaned up)' : '') : null),
  g.partitions?.length ? h('details', {}, h('summary', {}, `Lag per input partition (${g.partitions.length})`),
    h('div', {class: 'table-scroll'}, h('table', {class: 'table'},
      h('thead', {}, h('tr', {}, ['Topic', 'Partition', 'Committed', 'End', 'Lag'].map(name => h('th', {scope: 'col'}, name)))),
      h('tbody', {}, g.partitions.map(p => h('tr', {class: p.lag > 0 ? 'is-lagging' : null},
        h('td', {}, p.topic), h('td', {class: 'num'}, p.partition), h('td', {class: 'num'}, p.committed),
        h('td', {class: 'num'}, p.end), h('td', {class: 'num'}, p.lag))))))) : null);
}
