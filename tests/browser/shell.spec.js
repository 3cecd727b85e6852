// The PWA shell: every role logs in and sees its own home; the shell works offline after the first load.
import { expect, test } from '@playwright/test';
import { login, startServer } from './support/server.js';

let server;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server.stop();
  server.cleanup();
});

const homes = {
  coach: 'Mijn locaties vandaag',
  driver: 'Mijn ritten vandaag',
  coordinator: 'Bezetting vandaag',
  finance: 'Financiën',
  admin: 'Beheer',
};

for (const [role, heading] of Object.entries(homes)) {
  test(`${role} logs in and sees their home`, async ({ page }) => {
    await login(page, server.url, role);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
  });
}

test('coach home lists the farm with its dagdelen', async ({ page }) => {
  await login(page, server.url, 'coach');
  await expect(page.getByRole('heading', { name: 'Zorgboerderij De Hooiberg' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Ochtend 09:00–13:00/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Atelier De Linde' })).toHaveCount(0);
});

test('a wrong password gives a Dutch message and no session', async ({ page }) => {
  await page.goto(server.url);
  await page.getByLabel('E-mailadres').fill('coach@demo.dagstaat.nl');
  await page.getByLabel('Wachtwoord').fill('fout-wachtwoord');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('alert')).toHaveText('Onbekend e-mailadres of verkeerd wachtwoord.');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen');
});

test('logout returns to the login form and ends the session', async ({ page }) => {
  await login(page, server.url, 'finance');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Financiën');
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen');
  const me = await page.request.get(`${server.url}/api/me`);
  expect(me.status()).toBe(401);
});

test('English is available', async ({ page }) => {
  await login(page, server.url, 'driver');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My routes today');
  await page.getByRole('button', { name: 'Wissel naar Nederlands' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn ritten vandaag');
});

test('the manifest makes the app installable', async ({ page }) => {
  const response = await page.request.get(`${server.url}/manifest.webmanifest`);
  expect(response.ok()).toBe(true);
  const manifest = await response.json();
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.map((i) => i.sizes)).toEqual(['192x192', '512x512']);
  for (const icon of manifest.icons) {
    expect((await page.request.get(`${server.url}${icon.src}`)).headers()['content-type']).toBe('image/png');
  }
});
