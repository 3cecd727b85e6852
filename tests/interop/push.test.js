// Web push against a local fake push service: the payload is decrypted with an independent
// implementation (npm http_ece), the VAPID JWT verified with node's crypto.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';
import ece from 'http_ece';
import { DEMO_PASSWORD, email, startServer } from '../browser/support/server.js';

let server;
let pushService;
const received = [];
let flakyCalls = 0;

/** A push service on this machine: /ok accepts, /gone says 410, /flaky fails once with 503. */
function startPushService() {
  return new Promise((resolve) => {
    const service = http.createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ path: request.url, headers: request.headers, body: Buffer.concat(chunks) });
        if (request.url.startsWith('/gone')) response.writeHead(410);
        else if (request.url.startsWith('/flaky') && flakyCalls++ === 0) response.writeHead(503, { 'retry-after': '1' });
        else response.writeHead(201);
        response.end();
      });
    });
    service.listen(0, '127.0.0.1', () => resolve(service));
  });
}

before(async () => {
  server = await startServer();
  pushService = await startPushService();
});

after(async () => {
  pushService.close();
  await server.stop();
  server.cleanup();
});

async function api(path, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');

/** What a browser does on subscribe: a P-256 key pair and a 16-byte auth secret. */
function browserKeys() {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, p256dh: b64url(ecdh.getPublicKey()), auth: crypto.randomBytes(16) };
}

/** Verifies `vapid t=<jwt>, k=<key>` as a push service would; returns the JWT claims. */
function verifyVapid(authorization, serverKey) {
  const match = /^vapid t=([^,]+),\s*k=(.+)$/.exec(authorization);
  assert.ok(match, `VAPID authorization header: ${authorization}`);
  const [jwt, k] = [match[1], match[2].trim()];
  assert.equal(k, serverKey, 'k is the key the server publishes');
  const [header, claims, signature] = jwt.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url')), { alg: 'ES256', typ: 'JWT' });
  const raw = Buffer.from(k, 'base64url');
  const publicKey = crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64url(raw.subarray(1, 33)), y: b64url(raw.subarray(33, 65)) },
    format: 'jwk',
  });
  const valid = crypto.verify('sha256', Buffer.from(`${header}.${claims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  assert.ok(valid, 'the JWT signature verifies with the published key');
  return JSON.parse(Buffer.from(claims, 'base64url'));
}

test('a test notification is encrypted for the browser, signed with VAPID, retried and cleaned up', async () => {
  const token = (await api('/auth/token', { method: 'POST', body: { email: email('coordinator'), password: DEMO_PASSWORD } })).token;
  const { public_key: serverKey } = await api('/push/key', { token });
  assert.equal(Buffer.from(serverKey, 'base64url').length, 65);

  const base = `http://127.0.0.1:${pushService.address().port}`;
  const keys = browserKeys();
  for (const path of ['/ok/1', '/gone/2', '/flaky/3']) {
    await api('/push/subscriptions', { token, method: 'POST', body: { endpoint: `${base}${path}`, keys: { p256dh: keys.p256dh, auth: b64url(keys.auth) } } });
  }
  const report = await api('/push/test', { token, method: 'POST' });
  assert.deepEqual(report, { delivered: 2, expired: 1, failed: 0 });

  const delivery = received.find((r) => r.path === '/ok/1');
  assert.equal(delivery.headers['content-encoding'], 'aes128gcm');
  assert.ok(Number(delivery.headers.ttl) > 0, 'a TTL is set');
  const claims = verifyVapid(delivery.headers.authorization, serverKey);
  assert.equal(claims.aud, base, 'aud is the push service origin');
  const now = Math.floor(Date.now() / 1000);
  assert.ok(claims.exp > now && claims.exp <= now + 24 * 3600, `exp within 24 h: ${claims.exp - now}`);
  assert.match(claims.sub, /^mailto:[^@\s]+@[^@\s]+$/, 'a real contact');

  const plaintext = ece.decrypt(delivery.body, { version: 'aes128gcm', privateKey: keys.ecdh, authSecret: keys.auth });
  assert.ok(plaintext.length <= 3052);
  const notification = JSON.parse(plaintext.toString('utf8'));
  assert.equal(notification.kind, 'test');
  assert.equal(notification.title, 'Dagstaat');
  assert.doesNotMatch(plaintext.toString('utf8'), /\d{9}/, 'no BSN-like numbers');

  assert.equal(received.filter((r) => r.path === '/flaky/3').length, 2, 'the 503 was retried');
  const left = (await api('/push/subscriptions', { token })).map((s) => new URL(s.endpoint).pathname).sort();
  assert.deepEqual(left, ['/flaky/3', '/ok/1'], 'the 410 subscription was removed');
});

test('subscriptions must name a push service and carry real keys', async () => {
  const token = (await api('/auth/token', { method: 'POST', body: { email: email('coach'), password: DEMO_PASSWORD } })).token;
  const response = await fetch(`${server.url}/api/push/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ endpoint: 'http://10.1.2.3/push', keys: { p256dh: 'AAAA', auth: 'short' } }),
  });
  assert.equal(response.status, 422);
  const problem = await response.json();
  assert.deepEqual(problem.errors.map((e) => e.field), ['endpoint', 'keys.p256dh', 'keys.auth']);
});
