// Finance closes last month (recorded by the demo through the sync hub) into a WMO323
// declaration, downloads it and records the municipality's answer; admin edits contract rules.
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

test('finance previews, closes and answers a month', async ({ page }) => {
  await login(page, server.url, 'finance');
  await page.getByRole('link', { name: 'Maand afsluiten en declareren' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Declareren (iWmo WMO323)');
  await page.getByLabel('Gemeente').selectOption({ label: 'Ede (0228)' });
  await page.getByRole('button', { name: 'Bekijk de maand' }).click();

  const lines = page.locator('details.billing-line');
  await expect(lines.first()).toBeVisible();
  await lines.first().locator('summary').click();
  await expect(lines.first().getByText(/min aanwezig/).first()).toBeVisible();

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Maand afsluiten en declaratie maken' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Declaratie DS\d{10} \(\d{4}-\d{2}\)$/);

  const xmlLink = page.getByRole('link', { name: 'Download WMO323 (XML)' });
  const xml = await (await page.request.get(new URL(await xmlLink.getAttribute('href'), server.url).href)).text();
  expect(xml).toContain('<wmo323:Bericht');
  expect(xml).toContain('\r\n');

  const firstLine = page.locator('li[data-reference]').first();
  const reference = await firstLine.getAttribute('data-reference');
  await page.getByLabel(`Regel ${reference} afgewezen`).check();
  await firstLine.getByLabel('Retourcode').fill('0200');
  await page.getByRole('button', { name: 'Antwoord opslaan' }).click();
  await expect(page.locator(`li[data-reference="${reference}"]`)).toContainText('Afgewezen (0200)');
  await expect(page.locator('li[data-reference]').nth(1)).toContainText('Goedgekeurd');

  // Back at the month: the rejected line may be declared again.
  await page.getByRole('link', { name: '← Terug naar de maand' }).click();
  await page.getByRole('button', { name: 'Bekijk de maand' }).click();
  await expect(page.locator('.disposition.new')).toHaveCount(1);
});

test('admin changes the minimum presence of a contract', async ({ page }) => {
  await login(page, server.url, 'admin');
  await page.getByRole('link', { name: 'Contractregels' }).click();
  const form = page.locator('form[data-contract]').first();
  await form.getByLabel('Minimale aanwezigheid voor een dagdeel').fill('210');
  await form.getByLabel('No-shows declareren').selectOption('capped');
  await form.getByLabel('Maximum no-shows per maand').fill('0');
  await form.getByRole('button', { name: 'Regels opslaan' }).click();
  await expect(form.getByRole('status')).toContainText('no_show_max_per_month');
  await form.getByLabel('Maximum no-shows per maand').fill('2');
  await form.getByRole('button', { name: 'Regels opslaan' }).click();
  await expect(form.getByRole('status')).toHaveText('Opgeslagen.');
  await page.reload();
  await expect(page.locator('form[data-contract]').first().getByLabel('Minimale aanwezigheid voor een dagdeel')).toHaveValue('210');
});
