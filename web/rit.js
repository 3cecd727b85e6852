// The driver's route run: stops in order with address, phone, needs, planned time and a
// navigation link; picked up / not at home / delivered with one tap, offline like the dagstaat.
import { el, show } from './dom.js';
import { t } from './i18n.js';
import { eventRecorder, nowHHMM, repo, showSyncState } from './sync.js';

/** Per stop id the status the events give: the last one not undone (the server's fold too). */
export function stopStates(doc) {
  const rejected = new Set(Object.keys(doc.rejected ?? {}));
  const events = (doc.events ?? []).filter((e) => e && !rejected.has(e.id));
  const undone = new Set(events.filter((e) => String(e.kind) === 'undo').map((e) => String(e.target)));
  const states = new Map();
  for (const event of events) {
    const kind = String(event.kind);
    if (kind === 'undo' || undone.has(String(event.id))) continue;
    states.set(String(event.stop), { status: kind, time: String(event.time ?? ''), event: String(event.id) });
  }
  return states;
}

function navigationLink(stop) {
  return `https://www.google.com/maps/dir/?api=1&destination=${stop.lat},${stop.lon}`;
}

/** Opens a route run (by document id) in `main`; returns a function that closes it. */
export async function openRouteRun(main, me, documentId, connection) {
  main.replaceChildren(el('p', { class: 'loading' }, t('rit.loading')));
  const r = await repo();
  const handle = await r.find(`automerge:${documentId}`, { signal: AbortSignal.timeout(20_000) });
  const { record, persist } = eventRecorder(r, handle, me, () => ({ time: nowHHMM() }));

  function stopRow(raw, state) {
    // Strings the server wrote come back as ImmutableString: read them as plain text.
    const stop = { ...raw, id: String(raw.id), kind: String(raw.kind), name: String(raw.name), place: String(raw.place), phone: String(raw.phone ?? ''), time: String(raw.time) };
    const status = state?.status ?? 'planned';
    const needs = ['wheelchair', 'walker', 'escort'].filter((n) => stop[n]).map((n) => t(`needs.${n}`));
    const buttons = [];
    if (status === 'planned' && stop.kind === 'pickup') {
      buttons.push(el('button', { type: 'button', onclick: () => record({ kind: 'picked_up', stop: stop.id }) }, t('rit.pickedUp')));
      buttons.push(el('button', { type: 'button', class: 'secondary', onclick: () => record({ kind: 'not_home', stop: stop.id }) }, t('rit.notHome')));
    }
    if (status === 'planned' && stop.kind === 'dropoff') {
      buttons.push(el('button', { type: 'button', onclick: () => record({ kind: 'delivered', stop: stop.id }) }, t('rit.delivered')));
    }
    if (state && status !== 'cancelled') {
      buttons.push(el('button', { type: 'button', class: 'secondary', onclick: () => record({ kind: 'undo', target: state.event }) }, t('action.undo')));
    }
    return el(
      'li',
      { class: `client stop ${status}`, 'data-stop': String(stop.id) },
      el(
        'div',
        { class: 'who' },
        el('strong', {}, `${stop.time} · ${t(`rit.kind.${stop.kind}`)} · ${stop.name}`),
        el('span', {}, stop.place),
        needs.length ? el('span', { class: 'needs' }, needs.join(', ')) : null,
        el('span', { class: 'status' }, status === 'planned' ? t('rit.status.planned') : t(`rit.status.${status}`, { time: state.time })),
        el('span', {}, stop.phone ? el('a', { href: `tel:${stop.phone}` }, stop.phone) : null, ' ', el('a', { href: navigationLink(stop), target: '_blank', rel: 'noopener' }, t('rit.navigate'))),
      ),
      el('div', { class: 'actions' }, buttons),
    );
  }

  function render() {
    const doc = handle.doc();
    if (!doc) return;
    const states = stopStates(doc);
    const stops = doc.stops ?? [];
    const done = stops.filter((s) => states.has(String(s.id))).length;
    const rejected = Object.values(doc.rejected ?? {});
    show(
      main,
      el('p', {}, el('a', { href: '#/' }, t('dagstaat.back'))),
      el('h1', {}, t('rit.title', { vehicle: String(doc.vehicle ?? '') })),
      el('p', { class: 'muted' }, `${String(doc.date ?? '')} · ${t(`rit.direction.${String(doc.direction)}`)} · ${t('rit.progress', { done, total: stops.length })}`),
      rejected.length ? el('div', { class: 'notice error', role: 'alert' }, t('dagstaat.rejected'), el('ul', {}, rejected.map((why) => el('li', {}, String(why))))) : null,
      el('ol', { class: 'people card stops' }, stops.map((s) => stopRow(s, states.get(String(s.id))))),
    );
  }

  handle.on('change', render);
  const timer = setInterval(() => showSyncState(r, handle, connection), 500);
  document.addEventListener('visibilitychange', persist);
  render();
  showSyncState(r, handle, connection);
  return () => {
    clearInterval(timer);
    handle.off('change', render);
    document.removeEventListener('visibilitychange', persist);
  };
}
