// The state of a day from its events, as the phone shows it offline. The server's fold
// (sync/src/dagstaat/fold.rs) is authoritative; this one follows the same rules:
// sort by time, kind, id; an undo takes an event back; presence wins over a no-show.
import { getObjectId } from './vendor/automerge-repo.js';

const RANK = { check_in: 0, check_out: 1, no_show: 2, undo: 3 };

export function parseTime(text) {
  const match = /^(\d\d):(\d\d)$/.exec(text ?? '');
  if (!match) return null;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minute <= 24 * 60 ? minute : null;
}

export function formatMinute(minute) {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function readEvent(raw) {
  const text = (value) => (value === undefined || value === null ? undefined : String(value));
  return {
    object: getObjectId(raw),
    id: text(raw.id),
    kind: text(raw.kind),
    client: Number(raw.client_id),
    minute: parseTime(text(raw.time)),
    dagdeel: text(raw.dagdeel),
    reason: text(raw.reason),
    note: text(raw.note) ?? '',
    target: text(raw.target),
  };
}

function wellFormed(e) {
  if (!e.id || !(e.kind in RANK)) return false;
  if (e.kind === 'check_in' || e.kind === 'check_out') return Number.isInteger(e.client) && e.minute !== null;
  if (e.kind === 'no_show') return Number.isInteger(e.client) && !!e.dagdeel && !!e.reason;
  return !!e.target;
}

/** Per client and dagdeel: status, times, no-show reason; plus the events the server rejected. */
export function dayState(doc) {
  const rejectedReasons = doc.rejected ?? {};
  const events = (doc.events ?? []).map(readEvent);
  const rejected = events.filter((e) => e.object in rejectedReasons).map((e) => ({ ...e, why: String(rejectedReasons[e.object]) }));
  const accepted = events.filter((e) => !(e.object in rejectedReasons) && wellFormed(e));
  const undone = new Set(accepted.filter((e) => e.kind === 'undo').map((e) => e.target));
  const live = accepted
    .filter((e) => e.kind !== 'undo' && !undone.has(e.id))
    .sort((a, b) => (a.minute ?? 0) - (b.minute ?? 0) || RANK[a.kind] - RANK[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const visits = new Map();
  for (const e of live) {
    const list = visits.get(e.client) ?? [];
    const open = list.at(-1);
    if (e.kind === 'check_in' && (!open || open.to !== null)) list.push({ from: e.minute, to: null, event: e, outEvent: null });
    if (e.kind === 'check_out' && open && open.to === null) {
      open.to = e.minute;
      open.outEvent = e;
    }
    visits.set(e.client, list);
  }

  const windows = (doc.dagdelen ?? []).map((d) => ({ dagdeel: String(d.dagdeel), start: parseTime(String(d.start)), end: parseTime(String(d.end)) }));
  const clients = new Map();
  for (const [key, info] of Object.entries(doc.clients ?? {})) {
    const id = Number(key);
    const expected = new Set((info.dagdelen ?? []).map(String));
    const own = visits.get(id) ?? [];
    const parts = {};
    for (const w of windows) {
      const overlapping = own.filter((v) => v.from < w.end && (v.from >= w.start || v.to === null || v.to > w.start));
      // A no-show is an expected client not coming: elsewhere it says nothing.
      const noShow = expected.has(w.dagdeel) ? live.filter((e) => e.kind === 'no_show' && e.client === id && e.dagdeel === w.dagdeel).at(-1) : undefined;
      const present = overlapping.length > 0;
      parts[w.dagdeel] = {
        expected: expected.has(w.dagdeel),
        status: present ? (expected.has(w.dagdeel) ? 'present' : 'unexpected') : noShow ? 'no_show' : 'expected',
        from: present ? Math.max(w.start, Math.min(...overlapping.map((v) => v.from))) : null,
        to: present && overlapping.every((v) => v.to !== null) ? Math.min(w.end, Math.max(...overlapping.map((v) => v.to))) : null,
        noShow: present ? null : noShow ?? null,
        conflict: present && !!noShow,
      };
    }
    clients.set(id, { id, name: String(info.name), wheelchair: !!info.wheelchair, walker: !!info.walker, escort: !!info.escort, parts, visits: own });
  }
  return { windows, clients, rejected };
}
