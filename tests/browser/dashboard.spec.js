// The coordinator dashboard on last month's attendance (recorded by the demo through the sync hub).
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

test('coordinator sees occupancy, a trend chart, no-show rates and allocations', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await login(page, server.url, 'coordinator');
  await page.getByRole('link', { name: 'Bezetting en toewijzingen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bezetting en toewijzingen');

  const rows = page.locator('#occupancy-table tbody tr');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(4);

  const chart = page.getByRole('img', { name: 'Bezetting en no-shows per periode, in procenten' });
  await expect(chart).toBeVisible();
  const points = await chart.locator('polyline.occupancy').getAttribute('points');
  expect(points.split(' ').length).toBeGreaterThan(4);

  await expect(page.locator('#no-show-clients li').first()).toContainText('%');

  const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const csv = await (await page.request.get(new URL(csvHref, server.url).href)).text();
  expect(csv.split('\r\n')[0]).toContain('locatie;periode;dagdeel;capaciteit');

  // Per month: fewer rows, same totals of planned dagdelen.
  const plannedTotal = async () =>
    (await page.locator('#occupancy-table tbody tr td:nth-child(5)').allTextContents()).reduce((s, v) => s + Number(v), 0);
  const weekly = await plannedTotal();
  await page.locator('select[name=group]').selectOption('month');
  await page.getByRole('button', { name: 'Toon' }).click();
  await expect.poll(async () => (await page.locator('#occupancy-table tbody tr td:nth-child(2)').first().textContent())).toMatch(/^\d{4}-\d{2}$/);
  expect(await plannedTotal()).toBe(weekly);
});
