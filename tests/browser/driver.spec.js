// The driver's route run: marked offline, kept across a reload, synced on reconnect; the coach's
// dagstaat then shows the client as not at home. The planner's screen shows the checked plan.
import { expect, test } from '@playwright/test';
import { bearer, login, nextTuesday, startServer, waitForServiceWorker } from './support/server.js';

/** The coordinator plans the inbound rides of `date` for the coach's location and publishes the
 * first route to the demo driver; returns that run. */
async function publishedRun(request, url, date) {
  const planner = await bearer(request, url, 'coordinator');
  const driver = await bearer(request, url, 'driver');
  const driverId = (await (await request.get(`${url}/api/me`, { headers: driver })).json()).id;
  const coachMe = await (await request.get(`${url}/api/me`, { headers: await bearer(request, url, 'coach') })).json();
  const location = coachMe.locations[0].id;
  let plan = await (await request.post(`${url}/api/transport/plans`, { headers: planner, data: { date, direction: 'inbound', location_ids: [location], time_budget_seconds: 1 } })).json();
  while (plan.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 250));
    plan = await (await request.get(`${url}/api/transport/plans/${plan.id}`, { headers: planner })).json();
  }
  expect(plan.report.feasible).toBe(true);
  const vehicle = plan.routes[0].vehicle_id;
  const published = await request.post(`${url}/api/transport/plans/${plan.id}/publish`, { headers: planner, data: { drivers: [{ vehicle_id: vehicle, driver_user_id: driverId }] } });
  expect(published.ok()).toBe(true);
  const runs = await (await request.get(`${url}/api/transport/runs?date=${date}`, { headers: driver })).json();
  return { run: runs[0], location };
}

test('driver marks not at home offline; after reconnecting the coach sees the no-show', async ({ browser }) => {
  let server = await startServer();
  const date = nextTuesday();
  const driverContext = await browser.newContext();
  const coachContext = await browser.newContext();
  try {
    const driverPage = await driverContext.newPage();
    const { run, location } = await publishedRun(driverPage.request, server.url, date);
    await login(driverPage, server.url, 'driver');
    // Logged in (and the home kept for offline use) before moving on: a route change while the
    // login is still in flight asks the server who this is, gets a 401 and forgets that home.
    await expect(driverPage.getByRole('heading', { level: 1 })).toHaveText('Mijn ritten vandaag');
    await waitForServiceWorker(driverPage);
    await driverPage.goto(`${server.url}/#/rit/${run.document_id}`);
    await expect(driverPage.getByRole('heading', { level: 1 })).toHaveText(/^Rit /);
    await expect(driverPage.locator('#connection')).toHaveText('Alles verzonden', { timeout: 15_000 });
    const firstPickup = driverPage.locator('li.stop', { hasText: 'Ophalen' }).first();
    const name = (await firstPickup.locator('strong').textContent()).split(' · ').at(-1);
    await expect(firstPickup.getByRole('link', { name: 'Navigeer' })).toHaveAttribute('href', /google\.com\/maps\/dir/);

    // In the bus without signal.
    const { dataDir, url } = server;
    await server.stop();
    await driverContext.setOffline(true);
    await expect(driverPage.locator('#connection')).toHaveText('Offline – wijzigingen worden bewaard', { timeout: 15_000 });
    await firstPickup.getByRole('button', { name: 'Niet thuis' }).click();
    await expect(firstPickup).toContainText('Niet thuis (');

    // Reload offline: the mark is kept on the phone.
    await driverPage.reload();
    await expect(driverPage.getByRole('heading', { level: 1 })).toHaveText(/^Rit /);
    await expect(driverPage.locator('li.stop', { hasText: name }).first()).toContainText('Niet thuis (');

    // Signal again: the phone syncs by itself.
    server = await startServer(dataDir, url.replace('http://', ''));
    await driverContext.setOffline(false);
    await expect(driverPage.locator('#connection')).toHaveText('Alles verzonden', { timeout: 20_000 });

    // The coach's list shows the client as absent, not at home.
    const coachPage = await coachContext.newPage();
    await login(coachPage, server.url, 'coach');
    await coachPage.goto(`${server.url}/#/dagstaat/${location}/${date}`);
    await expect(coachPage.getByRole('heading', { level: 1 })).toHaveText(/^Dagstaat /);
    await expect(coachPage.locator('li.client', { hasText: name }).first()).toContainText('Afwezig: niet thuis', { timeout: 15_000 });
  } finally {
    await driverContext.close();
    await coachContext.close();
    await server.stop();
    server.cleanup();
  }
});

test('the planner plans a day and sees the checked routes with a sketch', async ({ page }) => {
  const server = await startServer();
  try {
    await login(page, server.url, 'coordinator');
    await page.getByRole('link', { name: 'Vervoer plannen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vervoer plannen');
    await page.getByLabel('Datum').fill(nextTuesday());
    await page.getByLabel('Rekentijd (seconden)').fill('1');
    await page.getByRole('button', { name: 'Plannen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Planning /, { timeout: 20_000 });
    await expect(page.getByRole('region', { name: 'Controle van de planning' })).toContainText('De planning klopt');
    await expect(page.getByLabel('Zoektocht')).toHaveText(/^\d+ rondes gezocht, (tot de vaste grens|gestopt door de rekentijd)/);
    await expect(page.getByRole('img', { name: 'Schets van de routes' })).toBeVisible();
    await expect(page.locator('table tbody tr').first()).toBeVisible();
    await page.getByRole('button', { name: 'Publiceren naar chauffeurs' }).click();
    await expect(page.getByText('Gepubliceerd naar de chauffeurs')).toBeVisible();
  } finally {
    await server.stop();
    server.cleanup();
  }
});
