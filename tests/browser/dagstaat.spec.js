// The coach's dagstaat: offline recording, reload offline, reconnect; concurrent edits; scope.
import { expect, test } from '@playwright/test';
import { bearer, login, nextTuesday, startServer, waitForServiceWorker } from './support/server.js';

async function openDagstaat(page, url, date) {
  const me = await (await page.request.get(`${url}/api/me`)).json();
  const location = me.locations[0].id;
  await page.goto(`${url}/#/dagstaat/${location}/${date}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Dagstaat /);
  await expect(page.locator('#connection')).toHaveText('Alles verzonden', { timeout: 15_000 });
  return location;
}

function morning(page) {
  return page.getByRole('region', { name: 'Ochtend' });
}

/** A coach logged in on next Tuesday's dagstaat, synced; with the first client of the morning. */
async function coachOnTheDay(page, url) {
  const date = nextTuesday();
  await login(page, url, 'coach');
  await expect(page.getByRole('link', { name: 'Dagstaat openen' })).toBeVisible();
  const location = await openDagstaat(page, url, date);
  const name = (await morning(page).locator('li.client strong').allTextContents())[0];
  return { date, location, name };
}

async function checkInAt(page, name, time) {
  await page.getByLabel('Tijd').fill(time);
  await morning(page).locator('li.client', { hasText: name }).getByRole('button', { name: 'Binnen' }).click();
}

/** The server's attendance rows of the morning with the client present from `minute`. */
async function presentFrom(page, url, { location, date }, minute) {
  const headers = await bearer(page.request, url, 'coordinator');
  const projection = await (await page.request.get(`${url}/api/attendance?location_id=${location}&date=${date}&limit=500`, { headers })).json();
  return projection.items.filter((r) => r.dagdeel === 'ochtend' && r.status === 'present' && r.present_from === minute);
}

test('offline: three check-ins and a no-show survive a reload and reach the server on reconnect', async ({ page, context }) => {
  let server = await startServer();
  try {
    const date = nextTuesday();
    await login(page, server.url, 'coach');
    await expect(page.getByRole('link', { name: 'Dagstaat openen' })).toBeVisible();
    const location = await openDagstaat(page, server.url, date);
    await waitForServiceWorker(page);
    const rows = morning(page).locator('li.client');
    const names = await rows.locator('strong').allTextContents();
    expect(names.length).toBeGreaterThanOrEqual(4);

    // The server goes away (the bus drives into the shed).
    const { dataDir, url } = server;
    await server.stop();
    await context.setOffline(true);
    await expect(page.locator('#connection')).toHaveText('Offline – wijzigingen worden bewaard', { timeout: 15_000 });

    await page.getByLabel('Tijd').fill('09:10');
    for (const name of names.slice(0, 3)) {
      await morning(page).locator('li.client', { hasText: name }).getByRole('button', { name: 'Binnen' }).click();
      await expect(morning(page).locator('li.client', { hasText: name })).toContainText('Aanwezig sinds 09:10');
    }
    const absent = morning(page).locator('li.client', { hasText: names[3] });
    await absent.getByRole('button', { name: 'Afwezig' }).click();
    await absent.getByLabel('Reden').selectOption('ziek');
    await absent.getByLabel('Toelichting').fill('Moeder belde om 8 uur');
    await absent.getByRole('button', { name: 'Opslaan' }).click();
    await expect(absent).toContainText('Afwezig: ziek');

    // Reload with no server and no network: shell from the service worker, data from IndexedDB.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Dagstaat /);
    for (const name of names.slice(0, 3)) {
      await expect(morning(page).locator('li.client', { hasText: name })).toContainText('Aanwezig sinds 09:10');
    }
    await expect(morning(page).locator('li.client', { hasText: names[3] })).toContainText('Afwezig: ziek');

    // Back online on the same address and data: the phone syncs by itself.
    server = await startServer(dataDir, url.replace('http://', ''));
    await context.setOffline(false);
    await expect(page.locator('#connection')).toHaveText('Alles verzonden', { timeout: 20_000 });
    const headers = await bearer(page.request, server.url, 'coordinator');
    const projection = await (await page.request.get(`${server.url}/api/attendance?location_id=${location}&date=${date}&limit=500`, { headers })).json();
    const morningRows = projection.items.filter((r) => r.dagdeel === 'ochtend');
    expect(morningRows.filter((r) => r.status === 'present' && r.present_from === 9 * 60 + 10)).toHaveLength(3);
    const noShow = morningRows.filter((r) => r.status === 'no_show');
    expect(noShow).toHaveLength(1);
    expect(noShow[0].no_show_reason).toBe('ziek');
    expect(noShow[0].no_show_note).toBe('Moeder belde om 8 uur');
  } finally {
    await server.stop();
    server.cleanup();
  }
});

test('losing the network shows offline at once, and the tap made meanwhile is sent on return', async ({ page, context }) => {
  const server = await startServer();
  try {
    const day = await coachOnTheDay(page, server.url);

    // The server stays up; only the phone's network goes. Its open socket must not keep the light green.
    await context.setOffline(true);
    await expect(page.locator('#connection')).toHaveText('Offline – wijzigingen worden bewaard', { timeout: 5_000 });
    await checkInAt(page, day.name, '09:25');
    await expect(page.locator('#connection')).toHaveText('Offline – wijzigingen worden bewaard');

    await context.setOffline(false);
    await expect(page.locator('#connection')).toHaveText('Alles verzonden', { timeout: 15_000 });
    expect(await presentFrom(page, server.url, day, 9 * 60 + 25)).toHaveLength(1);
  } finally {
    await server.stop();
    server.cleanup();
  }
});

test('a server that stops answering turns the light to offline, and the tap made meanwhile is sent when it answers again', async ({ page }) => {
  test.setTimeout(90_000);
  const server = await startServer();
  // Sockets opened, and heartbeats sent and answered (CBOR keeps the type as plain text).
  const traffic = { sockets: 0, asked: 0, answered: 0 };
  const isHeartbeat = (payload) => typeof payload !== 'string' && payload.includes('heartbeat');
  page.on('websocket', (socket) => {
    traffic.sockets += 1;
    socket.on('framesent', ({ payload }) => { if (isHeartbeat(payload)) traffic.asked += 1; });
    socket.on('framereceived', ({ payload }) => { if (isHeartbeat(payload)) traffic.answered += 1; });
  });
  try {
    const day = await coachOnTheDay(page, server.url);

    // A quiet, healthy connection: the phone asks, the server answers, and the socket stays.
    const socketsBefore = traffic.sockets;
    await expect.poll(() => traffic.answered, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(traffic.asked).toBeGreaterThan(0);
    // Past the answer deadline of that question: a phone that ignored the answer would reconnect.
    await page.waitForTimeout(9_000);
    expect(traffic.sockets).toBe(socketsBefore);
    await expect(page.locator('#connection')).toHaveText('Alles verzonden');

    // The phone keeps its network (no offline event) and its socket stays open, but the server
    // hangs: only the phone's heartbeat can tell.
    server.pause();
    await checkInAt(page, day.name, '09:35');
    await expect(page.locator('#connection')).toHaveText('Offline – wijzigingen worden bewaard', { timeout: 25_000 });

    server.resume();
    await expect(page.locator('#connection')).toHaveText('Alles verzonden', { timeout: 20_000 });
    expect(await presentFrom(page, server.url, day, 9 * 60 + 35)).toHaveLength(1);
  } finally {
    server.resume();
    await server.stop();
    server.cleanup();
  }
});

test('two coaches edit the same client at the same time and both edits survive', async ({ browser }) => {
  let server = await startServer();
  try {
    const date = nextTuesday();
    const phones = [await browser.newContext(), await browser.newContext()];
    const pages = await Promise.all(phones.map((c) => c.newPage()));
    for (const page of pages) {
      await login(page, server.url, 'coach');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn locaties vandaag');
    }
    const location = (await Promise.all(pages.map((page) => openDagstaat(page, server.url, date))))[0];
    const name = (await morning(pages[0]).locator('li.client strong').first().textContent()).trim();
    // Both tap before either sees the other's tap, while the server is away for a moment: one checks
    // the client in at 09:00, the other at 09:20 in their own time field. (Tapped together online, the
    // first tap could reach the second phone and replace its button before its own tap lands.)
    const { dataDir, url } = server;
    await server.stop();
    for (const page of pages) {
      await expect(page.locator('#connection')).toHaveText('Offline – wijzigingen worden bewaard', { timeout: 15_000 });
    }
    await pages[0].getByLabel('Tijd').fill('09:00');
    await pages[1].getByLabel('Tijd').fill('09:20');
    await Promise.all(pages.map((page) => morning(page).locator('li.client', { hasText: name }).getByRole('button', { name: 'Binnen' }).click()));
    await expect(morning(pages[0]).locator('li.client', { hasText: name })).toContainText('Aanwezig sinds 09:00');
    await expect(morning(pages[1]).locator('li.client', { hasText: name })).toContainText('Aanwezig sinds 09:20');
    server = await startServer(dataDir, url.replace('http://', ''));
    for (const page of pages) {
      await expect(morning(page).locator('li.client', { hasText: name })).toContainText('Aanwezig sinds 09:00', { timeout: 15_000 });
      await expect(page.locator('#connection')).toHaveText('Alles verzonden', { timeout: 15_000 });
    }
    // The first then records the departure; the second sees it.
    await pages[0].getByLabel('Tijd').fill('12:30');
    await morning(pages[0]).locator('li.client', { hasText: name }).getByRole('button', { name: 'Vertrokken' }).click();
    await expect(morning(pages[1]).locator('li.client', { hasText: name })).toContainText('Aanwezig 09:00–12:30', { timeout: 15_000 });
    const headers = await bearer(pages[0].request, server.url, 'coordinator');
    const document = await (await pages[0].request.get(`${server.url}/api/locations/${location}/dagstaat?date=${date}`, { headers })).json();
    expect(document.url).toMatch(/^automerge:/);
    await expect
      .poll(async () => {
        const rows = (await (await pages[0].request.get(`${server.url}/api/attendance?location_id=${location}&date=${date}&limit=500`, { headers })).json()).items;
        return rows.filter((r) => r.dagdeel === 'ochtend' && r.status === 'present').map((r) => [r.present_from, r.present_to]);
      })
      .toEqual([[9 * 60, 12 * 60 + 30]]);
    for (const context of phones) await context.close();
  } finally {
    await server.stop();
    server.cleanup();
  }
});

test("a coach cannot open another location's dagstaat", async ({ page }) => {
  const server = await startServer();
  try {
    await login(page, server.url, 'coach');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn locaties vandaag');
    const headers = await bearer(page.request, server.url, 'admin');
    const locations = (await (await page.request.get(`${server.url}/api/locations`, { headers })).json()).items;
    const me = await (await page.request.get(`${server.url}/api/me`)).json();
    const other = locations.find((l) => l.id !== me.locations[0].id);
    await page.goto(`${server.url}/#/dagstaat/${other.id}/${nextTuesday()}`);
    await expect(page.getByRole('alert')).toHaveText('Niet gevonden.');
  } finally {
    await server.stop();
    server.cleanup();
  }
});
