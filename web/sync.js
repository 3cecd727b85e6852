// The one automerge-repo of the PWA (IndexedDB on the device, websocket to the server) and the
// helpers every synced screen shares: strings as ImmutableString, the time now, the sync light.
import { ImmutableString, IndexedDBStorageAdapter, initializeWasm, Repo, WebSocketClientAdapter } from './vendor/automerge-repo.js';
import { t } from './i18n.js';

const SERVER_STORAGE_ID = 'dagstaat-server';
let repoPromise = null;

export function repo() {
  repoPromise ??= (async () => {
    await initializeWasm('/vendor/automerge.wasm');
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocketClientAdapter(`${scheme}://${window.location.host}/sync`);
    followNetwork(socket);
    keepAlive(socket);
    return new Repo({ storage: new IndexedDBStorageAdapter('dagstaat'), network: [socket] });
  })();
  return repoPromise;
}

/**
 * When the phone loses its network, an open websocket can linger until TCP gives up, and the sync
 * light would keep saying "synced". So the socket is closed as soon as the browser reports offline,
 * and opened again at once when it reports online (instead of at the adapter's next retry).
 */
function followNetwork(adapter) {
  const closed = () => !adapter.socket || adapter.socket.readyState >= WebSocket.CLOSING;
  window.addEventListener('offline', () => {
    if (!closed()) adapter.disconnect();
  });
  window.addEventListener('online', () => {
    if (closed() && adapter.peerId) adapter.connect(adapter.peerId, adapter.peerMetadata);
  });
}

/** Quiet for this long, the phone asks the server whether it still hears it ... */
const QUIET_MS = 10_000;
/** ... and takes the socket for dead when nothing at all came back within this long of asking. */
const ANSWER_WITHIN_MS = 8_000;
const CHECK_EVERY_MS = 1_000;

/**
 * A phone can keep its network and still lose the server (a shed's wifi without uplink, a server
 * that hangs). The browser then reports nothing, and the open socket lingers without an error:
 * the light would say "not sent yet" instead of offline, and the changes would wait for TCP. So
 * the phone asks with a heartbeat after a quiet spell, and reconnects when no answer comes.
 * The deadline counts from the question, not from the last message, so a phone whose timers
 * were paused in the background asks again before it judges.
 */
function keepAlive(adapter) {
  let joined = null;
  let lastHeard = Date.now();
  let askedAt = null;
  const heard = () => {
    lastHeard = Date.now();
    askedAt = null;
  };
  adapter.on('peer-candidate', () => {
    joined = adapter.socket;
    heard();
  });
  adapter.on('message', heard);
  setInterval(() => {
    const socket = adapter.socket;
    if (!socket || socket !== joined || socket.readyState !== WebSocket.OPEN) {
      askedAt = null;
      return;
    }
    const now = Date.now();
    if (askedAt !== null && now - askedAt >= ANSWER_WITHIN_MS) {
      joined = null;
      askedAt = null;
      adapter.disconnect();
      adapter.connect(adapter.peerId, adapter.peerMetadata);
    } else if (askedAt === null && now - lastHeard >= QUIET_MS) {
      askedAt = now;
      adapter.send({ type: 'heartbeat', senderId: adapter.peerId, targetId: adapter.remotePeerId });
    }
  }, CHECK_EVERY_MS);
}

export function nowHHMM() {
  return new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' }).format(new Date());
}

/** Status strings are ImmutableString in the document (DESIGN.md): no text merging. */
export function strings(fields) {
  const out = {};
  for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? new ImmutableString(value) : value;
  return out;
}

/**
 * Appends events to a document's `events` list as the signed-in user, and writes them to IndexedDB
 * at once: automerge-repo saves after a short delay, and a tap must be on disk before the phone's
 * screen locks or the app is closed. `persist` also serves the page-hide flush.
 */
export function eventRecorder(r, handle, me, defaults = () => ({})) {
  const persist = () => r.flush([handle.documentId]).catch((error) => console.error('not saved', error));
  const record = (fields) => {
    handle.change((doc) => {
      doc.events.push(strings({ id: crypto.randomUUID(), author: me.id, recorded_at: new Date().toISOString(), ...defaults(), ...fields }));
    });
    persist();
  };
  return { record, persist };
}

/** offline | pending | synced, shown in the connection light. */
export function showSyncState(r, handle, connection) {
  const online = navigator.onLine && r.peers.length > 0;
  const serverHeads = handle.getSyncInfo?.(SERVER_STORAGE_ID)?.lastHeads ?? [];
  const synced = online && [...handle.heads()].sort().join() === [...serverHeads].sort().join();
  const state = !online ? 'offline' : synced ? 'synced' : 'pending';
  connection.textContent = t(`sync.${state}`);
  connection.dataset.sync = state;
  connection.classList.toggle('offline', state !== 'synced');
}
