// After the first load the shell and the last data seen come from the device, with the server gone.
import { expect, test } from '@playwright/test';
import { login, startServer, waitForServiceWorker } from './support/server.js';

test('coach reloads with the server down and still sees the shell and the day', async ({ page, context }) => {
  const server = await startServer();
  try {
    await login(page, server.url, 'coach');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn locaties vandaag');
    await waitForServiceWorker(page);
    // Really offline: the server process is gone and the browser has no network.
    await server.stop();
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn locaties vandaag');
    await expect(page.getByRole('heading', { name: 'Zorgboerderij De Hooiberg' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Je bent offline' })).toBeVisible();
    await expect(page.locator('#connection')).toHaveText('Offline');
  } finally {
    await server.stop();
    server.cleanup();
  }
});

test('without any data on the device, offline shows the login with an explanation', async ({ page, context }) => {
  const server = await startServer();
  try {
    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen');
    await waitForServiceWorker(page);
    await server.stop();
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen');
    await expect(page.getByRole('alert')).toContainText('offline');
  } finally {
    await server.stop();
    server.cleanup();
  }
});
