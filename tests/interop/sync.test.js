// The real JS client (@automerge/automerge-repo + websocket adapter, in node) against the Rust sync server.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { ImmutableString } from '@automerge/automerge';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { DEMO_PASSWORD, email, nextTuesday, startServer } from '../browser/support/server.js';

let server;
const repos = [];

before(async () => {
  server = await startServer();
});

after(async () => {
  // A repo whose server went away keeps retrying; do not let its shutdown hold the run.
  const quickly = (promise) => Promise.race([promise.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000))]);
  for (const repo of repos) await quickly(repo.shutdown());
  await server.stop();
  server.cleanup();
});

async function api(path, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function token(role) {
  return (await api('/auth/token', { method: 'POST', body: { email: email(role), password: DEMO_PASSWORD } })).token;
}

/** A phone: its own repo (in memory) connected to /sync with its user's token. */
function phone(userToken) {
  const url = `${server.url.replace('http', 'ws')}/sync?token=${encodeURIComponent(userToken)}`;
  const repo = new Repo({ network: [new WebSocketClientAdapter(url)] });
  repos.push(repo);
  return repo;
}

async function until(check, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function event(fields) {
  const out = {};
  for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? new ImmutableString(value) : value;
  return out;
}

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());

test('a phone syncs a dagstaat, records a check-in and a no-show, and the server projects them', async () => {
  const coachToken = await token('coach');
  const me = await api('/me', { token: coachToken });
  const location = me.locations[0].id;
  const day = nextTuesday();
  const ref = await api(`/locations/${location}/dagstaat?date=${day}`, { token: coachToken });
  assert.match(ref.url, /^automerge:/);

  const handle = await phone(coachToken).find(ref.url);
  const doc = handle.doc();
  // Rust writes scalar strings; automerge JS shows them as ImmutableString.
  assert.equal(String(doc.kind), 'dagstaat');
  assert.equal(doc.location_id, location);
  assert.ok(Object.keys(doc.clients).length >= 20, 'the farm has its clients on the list');
  const morning = Object.entries(doc.clients)
    .filter(([, c]) => c.dagdelen.map(String).includes('ochtend'))
    .map(([id]) => Number(id));
  assert.ok(morning.length >= 2, 'clients are expected on Tuesday morning');
  const [first, second] = morning;

  handle.change((d) => {
    d.events.push(event({ id: 'js-1', kind: 'check_in', client_id: first, time: '09:30', author: me.id, recorded_at: new Date().toISOString() }));
    d.events.push(event({ id: 'js-2', kind: 'no_show', client_id: second, dagdeel: 'ochtend', reason: 'ziek', note: 'Moeder belde', author: me.id, recorded_at: new Date().toISOString() }));
  });

  const rows = await until(async () => {
    const page = await api(`/attendance?location_id=${location}&date=${day}&limit=500`, { token: coachToken });
    const present = page.items.find((r) => r.client_id === first && r.dagdeel === 'ochtend' && r.status === 'present');
    const absent = page.items.find((r) => r.client_id === second && r.status === 'no_show');
    return present && absent ? { present, absent } : null;
  }, 'the projection');
  assert.equal(rows.absent.no_show_reason, 'ziek');
  assert.equal(rows.absent.no_show_note, 'Moeder belde');
  assert.equal(rows.present.recorded_by, me.id);
  assert.equal(rows.present.present_from, 9 * 60 + 30);

  // A second phone of the same location gets both events from the server.
  const other = await phone(coachToken).find(ref.url);
  await until(() => other.doc().events.length >= 2, 'the second phone to receive the events');
  assert.deepEqual(other.doc().events.map((e) => e.id.toString()).sort(), ['js-1', 'js-2']);

  // Durability: the server is killed and started on the same data; a new phone gets every event.
  await server.stop();
  server = await startServer(server.dataDir);
  const fresh = await token('coach');
  const again = await phone(fresh).find(ref.url);
  await until(() => again.doc().events.length >= 2, 'the events after a restart');
  const page = await api(`/attendance?location_id=${location}&date=${day}&client_id=${first}`, { token: fresh });
  assert.ok(page.items.some((r) => r.status === 'present'));
});

test('an invalid event is marked rejected by the server, visible on the phone, and does not count', async () => {
  const coachToken = await token('coach');
  const me = await api('/me', { token: coachToken });
  const location = me.locations[0].id;
  const ref = await api(`/locations/${location}/dagstaat?date=${today}`, { token: coachToken });
  const handle = await phone(coachToken).find(ref.url);
  handle.change((d) => {
    d.events.push(event({ id: 'bad-1', kind: 'check_in', client_id: 999999, time: '00:02', author: me.id, recorded_at: new Date().toISOString() }));
  });
  const rejected = await until(() => {
    const entries = Object.entries(handle.doc().rejected);
    return entries.length > 0 ? entries : null;
  }, 'the rejection to reach the phone');
  assert.match(String(rejected[0][1]), /not on this day's list/);
  const page = await api(`/attendance?location_id=${location}&date=${today}&client_id=999999`, { token: coachToken });
  assert.equal(page.total, 0);
});

test("a coach cannot open another location's dagstaat", async () => {
  const adminToken = await token('admin');
  const coachToken = await token('coach');
  const me = await api('/me', { token: coachToken });
  const locations = await api('/locations', { token: adminToken });
  const elsewhere = locations.items.find((l) => l.id !== me.locations[0].id);
  const ref = await api(`/locations/${elsewhere.id}/dagstaat?date=${today}`, { token: adminToken });
  await assert.rejects(phone(coachToken).find(ref.url), /unavailable/i);
});

test('the socket refuses connections without a valid login', async () => {
  const status = await new Promise((resolve, reject) => {
    const request = http.get(`${server.url}/sync?token=forged`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    request.on('response', (response) => resolve(response.statusCode));
    request.on('upgrade', () => resolve(101));
    request.on('error', reject);
  });
  assert.equal(status, 401);
});
