// Starts the real dagstaat server with its own SQLite database in a temp directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEMO_PASSWORD = 'browser-test-password';
const BINARY = process.env.DAGSTAAT_BIN || resolve(import.meta.dirname, '../../../target/debug/dagstaat');

/** Starts a server; pass the data directory and address of a stopped one to restart it. */
export async function startServer(dataDir = mkdtempSync(join(tmpdir(), 'dagstaat-browser-')), bind = '127.0.0.1:0') {
  const child = spawn(BINARY, ['serve'], {
    env: {
      ...process.env,
      DAGSTAAT_DATA_DIR: dataDir,
      DAGSTAAT_BIND: bind,
      DAGSTAAT_DEMO_PASSWORD: DEMO_PASSWORD,
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/dagstaat ready at (http:\/\/[\d.:]+)/);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGKILL');
        await exited;
      }
    },
    /** Freezes the server (SIGSTOP): connections stay open, but nothing answers. */
    pause() {
      child.kill('SIGSTOP');
    },
    resume() {
      child.kill('SIGCONT');
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function email(role) {
  return `${role}@demo.dagstaat.nl`;
}

/** The next Tuesday (Amsterdam): clients are scheduled, whatever day the tests run. */
export function nextTuesday() {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  do date.setUTCDate(date.getUTCDate() + 1);
  while (date.getUTCDay() !== 2);
  return date.toISOString().slice(0, 10);
}

/** Request headers with an API token of the demo user of `role`. */
export async function bearer(request, url, role) {
  const response = await request.post(`${url}/api/auth/token`, { data: { email: email(role), password: DEMO_PASSWORD } });
  return { authorization: `Bearer ${(await response.json()).token}` };
}

/** Logs in through the form, as a person would. */
export async function login(page, url, role) {
  await page.goto(url);
  await page.getByLabel('E-mailadres').fill(email(role));
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

/** Waits until the service worker controls the page (the shell is cached from then on). */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}
