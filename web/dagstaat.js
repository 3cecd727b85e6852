// The coach's dagstaat: today's clients per dagdeel, check in/out, no-show, undo. Works offline:
// the document lives in IndexedDB (automerge-repo) and syncs over /sync whenever the server is reachable.
import { api, NetworkError } from './api.js';
import { el, show } from './dom.js';
import { dayState, formatMinute } from './fold.js';
import { t } from './i18n.js';
import { eventRecorder, nowHHMM, repo, showSyncState } from './sync.js';

const REASONS = ['ziek', 'afgemeld', 'onaangekondigd', 'niet_thuis', 'overig'];

/** The document's URL: from the server when online, remembered on the device for offline days. */
async function documentUrl(locationId, date) {
  const key = `dagstaat.url.${locationId}.${date}`;
  try {
    const ref = await api(`/locations/${locationId}/dagstaat?date=${date}`);
    localStorage.setItem(key, ref.url);
    return ref.url;
  } catch (error) {
    const remembered = localStorage.getItem(key);
    if (error instanceof NetworkError && remembered) return remembered;
    throw error;
  }
}

/** Opens the dagstaat screen in `main`; returns a function that closes it. */
export async function openDagstaat(main, me, locationId, date, connection) {
  const location = me.locations.find((l) => l.id === locationId);
  main.replaceChildren(el('p', { class: 'loading' }, t('dagstaat.loading')));
  const url = await documentUrl(locationId, date);
  const handle = await (await repo()).find(url, { signal: AbortSignal.timeout(20_000) });

  const view = { search: '', time: nowHHMM(), timeEdited: false, absentFor: null };
  const r = await repo();
  const { record, persist } = eventRecorder(r, handle, me);

  function rowFor(client, dagdeel) {
    const part = client.parts[dagdeel];
    const open = client.visits.at(-1)?.to === null ? client.visits.at(-1) : null;
    const last = client.visits.at(-1);
    const needs = ['wheelchair', 'walker', 'escort'].filter((n) => client[n]).map((n) => t(`needs.${n}`));
    let status;
    if (part.status === 'present' || part.status === 'unexpected') {
      status = part.to === null ? t('status.presentSince', { from: formatMinute(part.from) }) : t('status.presentFromTo', { from: formatMinute(part.from), to: formatMinute(part.to) });
    } else if (part.status === 'no_show') {
      status = t('status.absent', { reason: t(`reason.${part.noShow.reason}`) });
    } else {
      status = t('status.expected');
    }
    const buttons = [];
    if (part.status === 'expected') {
      buttons.push(el('button', { type: 'button', onclick: () => record({ kind: 'check_in', client_id: client.id, time: view.time }) }, t('action.checkIn')));
      buttons.push(el('button', { type: 'button', class: 'secondary', onclick: () => { view.absentFor = `${client.id}/${dagdeel}`; render(); } }, t('action.absent')));
    }
    if (open && part.status !== 'expected' && part.status !== 'no_show') {
      buttons.push(el('button', { type: 'button', onclick: () => record({ kind: 'check_out', client_id: client.id, time: view.time }) }, t('action.checkOut')));
    }
    const undoTarget = part.status === 'no_show' ? part.noShow : part.status !== 'expected' ? (last?.outEvent ?? last?.event) : null;
    if (undoTarget) {
      buttons.push(el('button', { type: 'button', class: 'secondary', onclick: () => record({ kind: 'undo', target: undoTarget.id }) }, t('action.undo')));
    }
    const absentForm =
      view.absentFor === `${client.id}/${dagdeel}`
        ? el(
            'form',
            {
              class: 'absent',
              onsubmit: (event) => {
                event.preventDefault();
                const data = new FormData(event.target);
                view.absentFor = null;
                record({ kind: 'no_show', client_id: client.id, dagdeel, reason: data.get('reason'), note: String(data.get('note') ?? '').slice(0, 500) });
              },
            },
            el('label', {}, t('absent.reason'), el('select', { name: 'reason', required: true }, REASONS.map((r) => el('option', { value: r }, t(`reason.${r}`))))),
            el('label', {}, t('absent.note'), el('input', { name: 'note', maxlength: '500', autocomplete: 'off' })),
            el('div', { class: 'actions' }, el('button', { type: 'submit' }, t('absent.save')), el('button', { type: 'button', class: 'secondary', onclick: () => { view.absentFor = null; render(); } }, t('absent.cancel'))),
          )
        : null;
    return el(
      'li',
      { class: `client ${part.status}`, 'data-client': String(client.id) },
      el('div', { class: 'who' }, el('strong', {}, client.name), needs.length ? el('span', { class: 'needs' }, needs.join(', ')) : null, el('span', { class: 'status' }, status), part.conflict ? el('span', { class: 'notice error' }, t('status.conflict')) : null),
      el('div', { class: 'actions' }, buttons),
      absentForm,
    );
  }

  function render() {
    const doc = handle.doc();
    if (!doc) return;
    const state = dayState(doc);
    const search = view.search.trim().toLowerCase();
    const parts = [...state.clients.values()].flatMap((c) => Object.values(c.parts));
    const totals = {
      expected: parts.filter((p) => p.expected).length,
      present: parts.filter((p) => p.status === 'present' || p.status === 'unexpected').length,
      absent: parts.filter((p) => p.status === 'no_show').length,
    };
    const sections = state.windows.map((w) => {
      const rows = [...state.clients.values()]
        .filter((c) => c.parts[w.dagdeel].expected || c.parts[w.dagdeel].status !== 'expected')
        .filter((c) => !search || c.name.toLowerCase().includes(search))
        .sort((a, b) => a.name.localeCompare(b.name, 'nl'));
      return el(
        'section',
        { class: 'card', 'aria-label': t(`dagdeel.${w.dagdeel}`) },
        el('h2', {}, `${t(`dagdeel.${w.dagdeel}`)} ${formatMinute(w.start)}–${formatMinute(w.end)}`),
        rows.length ? el('ul', { class: 'people' }, rows.map((c) => rowFor(c, w.dagdeel))) : el('p', { class: 'muted' }, t('expected.none')),
      );
    });
    const focused = document.activeElement?.name;
    show(
      main,
      el('p', {}, el('a', { href: '#/' }, t('dagstaat.back'))),
      el('h1', {}, t('dagstaat.title', { name: location?.name ?? '' })),
      el('p', { class: 'muted' }, date),
      el('div', { class: 'stats', role: 'status', 'aria-label': t('dagstaat.totals') },
        el('div', { class: 'stat' }, el('strong', {}, String(totals.expected)), t('total.expected')),
        el('div', { class: 'stat' }, el('strong', {}, String(totals.present)), t('total.present')),
        el('div', { class: 'stat' }, el('strong', {}, String(totals.absent)), t('total.absent'))),
      state.rejected.length
        ? el('div', { class: 'notice error', role: 'alert' }, t('dagstaat.rejected'), el('ul', {}, state.rejected.map((e) => el('li', {}, e.why))))
        : null,
      el('div', { class: 'controls' },
        el('label', {}, t('dagstaat.time'), el('input', { type: 'time', name: 'time', value: view.time, oninput: (e) => { view.time = e.target.value || nowHHMM(); view.timeEdited = true; } })),
        el('label', {}, t('dagstaat.search'), el('input', { type: 'search', name: 'search', value: view.search, autocomplete: 'off', oninput: (e) => { view.search = e.target.value; render(); } }))),
      ...sections,
    );
    if (focused === 'search') {
      const input = main.querySelector('input[name=search]');
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }
  }

  function updateSync() {
    showSyncState(r, handle, connection);
    if (!view.timeEdited) {
      const now = nowHHMM();
      if (now !== view.time) {
        view.time = now;
        const input = main.querySelector('input[name=time]');
        if (input && document.activeElement !== input) input.value = now;
      }
    }
  }

  handle.on('change', render);
  const timer = setInterval(updateSync, 500);
  document.addEventListener('visibilitychange', persist);
  render();
  updateSync();
  return () => {
    clearInterval(timer);
    handle.off('change', render);
    document.removeEventListener('visibilitychange', persist);
  };
}

