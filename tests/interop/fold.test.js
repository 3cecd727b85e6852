// The PWA's fold (web/fold.js, what a phone shows offline) against the server's Rust fold, on the
// documents of tests/fixtures/fold/cases.json (written by `cargo run -p dagstaat-sync --example
// fold_fixtures`, checked against the Rust fold by sync/tests/fold_fixtures.rs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as Automerge from '@automerge/automerge';
import { dayState } from '../../web/fold.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/fold/cases.json', import.meta.url), 'utf8'));

/** What the phone shows of one client in one dagdeel, in the Rust fold's terms. */
function shown(part) {
  return {
    status: part.status,
    present_from: part.from,
    present_to: part.to,
    no_show_reason: part.noShow ? part.noShow.reason : null,
    conflict: part.conflict,
  };
}

function rust(entry) {
  return {
    status: entry.status,
    present_from: entry.present_from,
    present_to: entry.present_to,
    no_show_reason: entry.no_show_reason,
    conflict: entry.conflict,
  };
}

test('the PWA folds every fixture day as the server does', () => {
  assert.ok(fixtures.cases.length >= 100);
  let compared = 0;
  fixtures.cases.forEach((fixture, n) => {
    const doc = Automerge.load(Buffer.from(fixture.doc, 'base64'));
    const state = dayState(doc);
    const byKey = new Map(fixture.dagdelen.map((e) => [`${e.client_id}/${e.dagdeel}`, e]));
    for (const [clientId, client] of state.clients) {
      for (const [dagdeel, part] of Object.entries(client.parts)) {
        const entry = byKey.get(`${clientId}/${dagdeel}`);
        // The server lists a client x dagdeel when it is expected or something happened.
        if (!entry) {
          assert.equal(part.status, 'expected', `case ${n}: ${clientId}/${dagdeel} only on the phone`);
          assert.equal(part.expected, false, `case ${n}: ${clientId}/${dagdeel}`);
          continue;
        }
        assert.deepEqual(shown(part), rust(entry), `case ${n}: client ${clientId}, ${dagdeel}`);
        compared += 1;
      }
    }
    // Everyone the server folds for a listed client, the phone shows too.
    for (const entry of fixture.dagdelen) {
      if (state.clients.has(entry.client_id)) assert.ok(state.clients.get(entry.client_id).parts[entry.dagdeel], `case ${n}: ${entry.client_id}/${entry.dagdeel}`);
    }
  });
  assert.ok(compared > 300, `compared ${compared} client x dagdelen`);
});
