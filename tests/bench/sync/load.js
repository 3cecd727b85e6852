// Load generator: simulated phones (real automerge-repo clients) editing dagstaat documents.
//
//   node load.js --target dagstaat --url http://127.0.0.1:8080 --password PW [--pid N] [--kill-after-ms N --restart CMD]
//   node load.js --target reference --url http://127.0.0.1:3030 [--pid N]
//
// 200 phones over 20 documents, 50 edits each in bursts of 10 (a burst is what a phone sends after
// being offline). A burst's latency runs from the edit until the server's heads, as the phone learns
// them, include it: for dagstaat that happens only after the change and its projection are committed.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { ImmutableString } from '@automerge/automerge';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

const { values: args } = parseArgs({
  options: {
    target: { type: 'string' },
    url: { type: 'string' },
    password: { type: 'string', default: '' },
    pid: { type: 'string' },
    phones: { type: 'string', default: '200' },
    documents: { type: 'string', default: '20' },
    edits: { type: 'string', default: '50' },
    burst: { type: 'string', default: '10' },
  },
});
const PHONES = Number(args.phones);
const DOCUMENTS = Number(args.documents);
const EDITS = Number(args.edits);
const BURST = Number(args.burst);
const wsUrl = args.url.replace(/^http/, 'ws');

function rssMiB() {
  if (!args.pid) return null;
  const status = readFileSync(`/proc/${args.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function api(path, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${args.url}/api${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Document URLs to edit, and how a phone connects. */
async function setup() {
  if (args.target === 'dagstaat') {
    const { token, user } = await api('/auth/token', { method: 'POST', body: { email: 'admin@demo.dagstaat.nl', password: args.password } });
    const locations = (await api('/locations', { token })).items;
    const urls = [];
    for (let i = 0; urls.length < DOCUMENTS; i++) {
      const date = new Date(Date.now() + (i + 1) * 86_400_000).toISOString().slice(0, 10);
      for (const location of locations) {
        if (urls.length < DOCUMENTS) urls.push((await api(`/locations/${location.id}/dagstaat?date=${date}`, { token })).url);
      }
    }
    return { urls, author: user.id, socket: `${wsUrl}/sync?token=${encodeURIComponent(token)}` };
  }
  // The reference server keeps whatever clients create: seed documents shaped like a dagstaat.
  const seeder = new Repo({ network: [new WebSocketClientAdapter(wsUrl)] });
  const urls = [];
  for (let d = 0; d < DOCUMENTS; d++) {
    const clients = {};
    for (let c = 1; c <= 30; c++) clients[c] = { name: `Cliënt ${c}`, dagdelen: ['ochtend', 'middag'] };
    const handle = seeder.create({ kind: 'dagstaat', clients, events: [], rejected: {} });
    urls.push(handle.url);
    await acknowledged(handle, handle.heads());
  }
  return { urls, author: 1, socket: wsUrl, seeder };
}

function event(author, clientId, n) {
  const minute = 8 * 60 + (n % 600);
  const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return {
    id: new ImmutableString(crypto.randomUUID()),
    kind: new ImmutableString(n % 2 === 0 ? 'check_in' : 'check_out'),
    client_id: clientId,
    time: new ImmutableString(time),
    author,
    recorded_at: new ImmutableString(new Date().toISOString()),
  };
}

/** Resolves when the server's heads include every head in `wanted` (or equal ours). */
function acknowledged(handle, wanted) {
  return new Promise((resolve) => {
    const check = ({ heads }) => {
      const remote = new Set(heads);
      const local = handle.heads();
      if (wanted.every((h) => remote.has(h)) || (local.length === remote.size && local.every((h) => remote.has(h)))) {
        handle.off('remote-heads', check);
        resolve();
      }
    };
    handle.on('remote-heads', check);
  });
}

async function phone(index, urls, author, socket, latencies, acked) {
  const repo = new Repo({ network: [new WebSocketClientAdapter(socket)] });
  const url = urls[index % urls.length];
  const handle = await repo.find(url);
  const clientIds = Object.keys(handle.doc().clients).map(Number);
  for (let b = 0; b < EDITS / BURST; b++) {
    await sleep(50 + Math.random() * 400); // time in the shed
    const ids = [];
    const started = performance.now();
    handle.change((doc) => {
      for (let e = 0; e < BURST; e++) {
        const ev = event(author, clientIds[(index * 7 + b * BURST + e) % clientIds.length], b * BURST + e);
        ids.push(String(ev.id));
        doc.events.push(ev);
      }
    });
    await acknowledged(handle, handle.heads());
    latencies.push(performance.now() - started);
    acked.push({ url, ids });
  }
  return repo;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const { urls, author, socket, seeder } = await setup();
const rssBefore = rssMiB();
const latencies = [];
const acked = [];
const started = performance.now();
const repos = await Promise.all(Array.from({ length: PHONES }, (_, i) => phone(i, urls, author, socket, latencies, acked)));
const seconds = (performance.now() - started) / 1000;
const rssLoaded = rssMiB();

// Convergence: a fresh phone per document sees every acknowledged event exactly once.
const observer = new Repo({ network: [new WebSocketClientAdapter(socket)] });
let missing = 0;
let total = 0;
for (const url of urls) {
  const handle = await observer.find(url);
  await sleep(200);
  const have = new Set(handle.doc().events.map((e) => String(e.id)));
  total += handle.doc().events.length;
  for (const { ids } of acked.filter((a) => a.url === url)) missing += ids.filter((id) => !have.has(id)).length;
}
latencies.sort((a, b) => a - b);
const result = {
  target: args.target,
  phones: PHONES,
  documents: DOCUMENTS,
  edits: PHONES * EDITS,
  seconds: Number(seconds.toFixed(2)),
  events_per_second: Math.round((PHONES * EDITS) / seconds),
  // One burst is one automerge change.
  changes_per_second: Math.round(latencies.length / seconds),
  p50_ms: Number(percentile(latencies, 50).toFixed(1)),
  p99_ms: Number(percentile(latencies, 99).toFixed(1)),
  events_on_server: total,
  acknowledged_but_missing: missing,
  rss_before_mib: rssBefore && Number(rssBefore.toFixed(1)),
  rss_loaded_mib: rssLoaded && Number(rssLoaded.toFixed(1)),
};
console.log(JSON.stringify(result));
for (const repo of [...repos, observer, seeder].filter(Boolean)) repo.shutdown().catch(() => {});
setTimeout(() => process.exit(0), 500);
