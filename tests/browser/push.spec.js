// A push message delivered to the service worker (CDP ServiceWorker.deliverPushMessage, as a push
// service would) shows a notification; the home offers notifications only on the user's tap.
import { expect, test } from '@playwright/test';
import { login, startServer, waitForServiceWorker } from './support/server.js';

let server;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server.stop();
  server.cleanup();
});

test('a push message shows a notification from the service worker', async ({ page, context }) => {
  await context.grantPermissions(['notifications'], { origin: server.url });
  await login(page, server.url, 'coach');
  await expect(page.getByRole('heading', { name: 'Meldingen' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Meldingen aanzetten' })).toBeVisible();
  await waitForServiceWorker(page);

  const cdp = await context.newCDPSession(page);
  const registration = new Promise((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const live = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(server.url));
      if (live) resolve(live.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;

  const message = { kind: 'not_home', title: 'Niet thuis: Anna Jansen', body: 'De chauffeur trof Anna om 08:12 niet thuis.', url: '#/', tag: 'not-home-1' };
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(server.url).origin, registrationId, data: JSON.stringify(message) });

  const shown = () =>
    page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag })));
  // In the full suite on two cores the notification was once not there within the default 5 s;
  // with a longer wait, 46 runs beside three busy loops passed.
  await expect.poll(shown, { timeout: 15000 }).toContainEqual({ title: message.title, body: message.body, tag: message.tag });
});
