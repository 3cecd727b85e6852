// The PWA shell: login, a home per role, offline fallback to the last data seen on this device.
import { api, ApiProblem, NetworkError } from './api.js';
import { renderContracts } from './contracts.js';
import { openDagstaat } from './dagstaat.js';
import { renderBilling, renderDeclaration } from './finance.js';
import { notificationControl } from './notifications.js';
import { renderOccupancy } from './occupancy.js';
import { renderPlanning } from './planning.js';
import { openRouteRun } from './rit.js';
import { el } from './dom.js';
import { currentLanguage, formatTime, setLanguage, t } from './i18n.js';

const main = document.getElementById('main');
const connection = document.getElementById('connection');
const logoutButton = document.getElementById('logout');
const languageButton = document.getElementById('language');
const CACHE_KEY = 'dagstaat.home';

/** Replaces the page content and moves keyboard and screen-reader focus to it. */
function show(...nodes) {
  main.replaceChildren(...nodes.filter((node) => node !== null && node !== undefined));
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

/** Today's date in the Netherlands, as YYYY-MM-DD. */
function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
}

function saveCache(me, data) {
  localStorage.setItem(CACHE_KEY, JSON.stringify({ me, data, savedAt: Date.now() }));
}

function loadCache() {
  try {
    return JSON.parse(localStorage.getItem(CACHE_KEY));
  } catch {
    return null;
  }
}

// Whether the last API call reached the server: a phone can have Wi-Fi in a shed and still no way out.
let serverReachable = true;

function updateConnection() {
  if (closeScreen) return; // the dagstaat screen shows its own sync state
  const online = navigator.onLine && serverReachable;
  connection.textContent = online ? '' : t('connection.offline');
  connection.classList.toggle('offline', !online);
}

function renderChrome(me) {
  document.documentElement.lang = currentLanguage();
  languageButton.textContent = t('language.switch');
  languageButton.setAttribute('aria-label', t('language.label'));
  logoutButton.textContent = t('logout');
  logoutButton.hidden = !me;
  updateConnection();
}

// ---- Login ----

/** A login request is on its way (the session cookie is not there yet). */
let loginInFlight = false;

function renderLogin(notice) {
  renderChrome(null);
  const message = el('p', { id: 'login-message', class: notice ? 'notice offline' : '', role: 'alert' }, notice || '');
  const form = el(
    'form',
    { class: 'card', novalidate: true, 'aria-describedby': 'login-message' },
    el('label', {}, t('login.email'), el('input', { name: 'email', type: 'email', autocomplete: 'username', required: true })),
    el(
      'label',
      {},
      t('login.password'),
      el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    ),
    el('button', { type: 'submit' }, t('login.submit')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    loginInFlight = true;
    try {
      const me = await api('/auth/login', {
        method: 'POST',
        body: { email: data.get('email'), password: data.get('password') },
      });
      loginInFlight = false;
      // To the screen the address names now (it may have changed while logging in).
      await route(me);
    } catch (error) {
      message.className = 'notice error';
      message.textContent = error instanceof ApiProblem || error instanceof NetworkError ? error.userMessage() : String(error);
    } finally {
      loginInFlight = false;
    }
  });
  show(el('h1', {}, t('login.title')), message, form);
}

// ---- Homes per role ----

async function expectedToday(location) {
  return { ...location, day: await api(`/locations/${location.id}/expected?date=${today()}`) };
}

/** Fetches what the role's home shows; kept on the device for offline use. */
async function loadHome(me) {
  switch (me.role) {
    case 'coach':
    case 'coordinator':
      return { locations: await Promise.all(me.locations.map(expectedToday)) };
    case 'driver': {
      const [vehicles, runs] = await Promise.all([api('/vehicles?active=true'), api(`/transport/runs?date=${today()}`)]);
      return { vehicles: vehicles.items, runs };
    }
    case 'finance': {
      const date = today();
      const [dagbesteding, vervoer, municipalities] = await Promise.all([
        api(`/allocations?date=${date}&product_category=07&limit=1`),
        api(`/allocations?date=${date}&product_category=08&limit=1`),
        api('/municipalities'),
      ]);
      return { dagbesteding: dagbesteding.total, vervoer: vervoer.total, municipalities: municipalities.items };
    }
    case 'admin': {
      const [users, locations, clients] = await Promise.all([
        api('/users?limit=1'),
        api('/locations?limit=1'),
        api('/clients?limit=1'),
      ]);
      return { users: users.total, locations: locations.total, clients: clients.total };
    }
    default:
      return {};
  }
}

function needsOf(client) {
  return ['wheelchair', 'walker', 'escort'].filter((need) => client[need]).map((need) => t(`needs.${need}`));
}

function dagdeelCard(setting, withNames) {
  const expected = setting.clients.length;
  const over = expected - setting.capacity;
  return el(
    'section',
    { class: 'card', 'aria-label': t(`dagdeel.${setting.dagdeel}`) },
    el(
      'div',
      { class: 'dagdeel' },
      el('h3', {}, `${t(`dagdeel.${setting.dagdeel}`)} ${setting.start}–${setting.end}`),
      el('span', { class: over > 0 ? 'count over' : 'count' }, t('expected.count', { expected, capacity: setting.capacity })),
    ),
    over > 0 ? el('p', { class: 'notice error' }, t('expected.full', { over })) : null,
    withNames
      ? expected === 0
        ? el('p', { class: 'muted' }, t('expected.none'))
        : el(
            'ul',
            { class: 'people' },
            setting.clients.map((c) =>
              el('li', {}, el('span', {}, `${c.first_name} ${c.last_name}`), el('span', { class: 'needs' }, needsOf(c).join(', '))),
            ),
          )
      : null,
  );
}

function locationsView(data, withNames) {
  if (data.locations.length === 0) return [el('p', { class: 'notice offline' }, t('home.noLocations'))];
  return data.locations.map((location) =>
    el(
      'section',
      { 'aria-label': location.name },
      el('h2', {}, location.name),
      el('p', {}, el('a', { class: 'button', href: `#/dagstaat/${location.id}/${today()}` }, t('dagstaat.open'))),
      location.day.dagdelen.map((d) => dagdeelCard(d, withNames)),
    ),
  );
}

function stat(label, value) {
  return el('div', { class: 'stat' }, el('strong', {}, String(value)), label);
}

const homes = {
  coach: (me, data) => [...locationsView(data, true), notificationControl()],
  coordinator: (me, data) => [
    el('p', {}, el('a', { class: 'button', href: '#/occupancy' }, t('occupancy.open')), ' ', el('a', { class: 'button', href: '#/planning' }, t('planning.open'))),
    ...locationsView(data, false),
    notificationControl(),
  ],
  driver: (me, data) => [
    data.runs?.length
      ? el(
          'ul',
          { class: 'people card' },
          data.runs.map((run) =>
            el('li', {}, el('a', { class: 'button', href: `#/rit/${run.document_id}` }, t('driver.run', { direction: t(`rit.direction.${run.direction}`), stops: run.stops.length, first: run.stops[0]?.planned ?? '' }))),
          ),
        )
      : el('p', { class: 'card' }, t('driver.noRoutes')),
    el('h2', {}, t('driver.vehicles')),
    el(
      'ul',
      { class: 'people card' },
      data.vehicles.map((v) =>
        el('li', {}, t('driver.vehicle', { name: v.name, plate: v.license_plate, seats: v.seats, wheelchairs: v.wheelchair_places })),
      ),
    ),
    notificationControl(),
  ],
  finance: (me, data) => [
    el('p', {}, el('a', { class: 'button', href: '#/billing' }, t('billing.open'))),
    el('h2', {}, t('finance.allocations')),
    el('div', { class: 'stats' }, stat(t('finance.dagbesteding'), data.dagbesteding), stat(t('finance.vervoer'), data.vervoer)),
    el('h2', {}, t('finance.municipalities')),
    el('ul', { class: 'people card' }, data.municipalities.map((m) => el('li', {}, `${m.name} (${m.code})`))),
  ],
  admin: (me, data) => [
    el(
      'div',
      { class: 'stats' },
      stat(t('admin.users'), data.users),
      stat(t('admin.locations'), data.locations),
      stat(t('admin.clients'), data.clients),
    ),
    el('p', {}, el('a', { class: 'button', href: '#/contracts' }, t('rules.open')), ' ', el('a', { class: 'button', href: '#/billing' }, t('billing.open'))),
    el('p', {}, el('a', { href: '/api/docs/' }, t('admin.docs'))),
  ],
};

function renderHome(me, data, offlineSince) {
  renderChrome(me);
  const notice = offlineSince ? el('p', { class: 'notice offline', role: 'status' }, t('offline.cached', { time: formatTime(new Date(offlineSince)) })) : null;
  show(
    el('h1', {}, t(`home.${me.role}.title`)),
    el('p', { class: 'muted' }, `${t('home.hello', { name: me.display_name })} · ${t(`role.${me.role}`)}`),
    notice,
    ...(homes[me.role] || (() => []))(me, data),
  );
}

async function showHome(me) {
  const data = await loadHome(me);
  saveCache(me, data);
  serverReachable = true;
  renderHome(me, data, null);
}

// ---- Routes ----

let closeScreen = null;

/** `#/dagstaat/<location>/<date>` opens a dagstaat; anything else is the home. */
function dagstaatRoute() {
  const match = /^#\/dagstaat\/(\d+)(?:\/(\d{4}-\d{2}-\d{2}))?$/.exec(window.location.hash);
  return match ? { locationId: Number(match[1]), date: match[2] ?? today() } : null;
}

/** `#/rit/<document id>` opens a driver's route run. */
function ritRoute() {
  const match = /^#\/rit\/([1-9A-HJ-NP-Za-km-z]+)$/.exec(window.location.hash);
  return match ? match[1] : null;
}

async function showRouteRun(me, documentId) {
  renderChrome(me);
  try {
    closeScreen = await openRouteRun(main, me, documentId, connection);
  } catch (error) {
    const message = error instanceof ApiProblem || error instanceof NetworkError ? error.userMessage() : t('rit.unavailable');
    show(el('p', {}, el('a', { href: '#/' }, t('dagstaat.back'))), el('p', { class: 'notice error', role: 'alert' }, message));
  }
}

async function showDagstaat(me, route) {
  renderChrome(me);
  try {
    closeScreen = await openDagstaat(main, me, route.locationId, route.date, connection);
  } catch (error) {
    const message = error instanceof ApiProblem || error instanceof NetworkError ? error.userMessage() : t('dagstaat.unavailable');
    show(el('p', {}, el('a', { href: '#/' }, t('dagstaat.back'))), el('p', { class: 'notice error', role: 'alert' }, message));
  }
}

/** Office screens that need the server: billing, declarations, contract rules, occupancy. */
function officeRoute() {
  const hash = window.location.hash;
  let match = /^#\/billing\/declaration\/(\d+)$/.exec(hash);
  if (match) return (container) => renderDeclaration(container, match[1]);
  match = /^#\/billing(?:\/(\d+)\/(\d{4}-\d{2}))?$/.exec(hash);
  if (match) return (container) => renderBilling(container, { municipality: match[1], month: match[2] });
  if (hash === '#/contracts') return (container) => renderContracts(container);
  if (hash === '#/occupancy') return (container) => renderOccupancy(container);
  match = /^#\/planning(?:\/(\d+))?$/.exec(hash);
  if (match) return (container) => renderPlanning(container, match[1]);
  return null;
}

async function showOffice(me, render) {
  renderChrome(me);
  try {
    await render(main);
    main.focus({ preventScroll: true });
  } catch (error) {
    if (error instanceof NetworkError) serverReachable = false;
    updateConnection();
    const message = error instanceof ApiProblem || error instanceof NetworkError ? error.userMessage() : String(error);
    show(el('p', {}, el('a', { href: '#/' }, t('dagstaat.back'))), el('p', { class: 'notice error', role: 'alert' }, message));
  }
}

async function route(me) {
  closeScreen?.();
  closeScreen = null;
  const dagstaat = dagstaatRoute();
  const office = officeRoute();
  const run = ritRoute();
  if (dagstaat) await showDagstaat(me, dagstaat);
  else if (run) await showRouteRun(me, run);
  else if (office) await showOffice(me, office);
  else await showHome(me);
}

// ---- Start ----

async function start() {
  try {
    await route(await api('/me'));
  } catch (error) {
    if (error instanceof NetworkError) {
      serverReachable = false;
      const cached = loadCache();
      if (cached && dagstaatRoute()) await showDagstaat(cached.me, dagstaatRoute());
      else if (cached && ritRoute()) await showRouteRun(cached.me, ritRoute());
      else if (cached) renderHome(cached.me, cached.data, cached.savedAt);
      else renderLogin(t('offline.nothing'));
    } else {
      serverReachable = true;
      if (error instanceof ApiProblem && error.status === 401) localStorage.removeItem(CACHE_KEY);
      renderLogin(error instanceof ApiProblem && error.status !== 401 ? error.userMessage() : '');
    }
  }
}

logoutButton.addEventListener('click', async () => {
  try {
    await api('/auth/logout', { method: 'POST' });
  } catch {
    // Offline: the session ends on the server when it expires; this device forgets it now.
  }
  localStorage.removeItem(CACHE_KEY);
  renderLogin('');
});

languageButton.addEventListener('click', () => {
  setLanguage(currentLanguage() === 'nl' ? 'en' : 'nl');
  start();
});

window.addEventListener('hashchange', () => {
  // Without the session the login is about to set, the screen would get a 401 and forget the
  // home kept for offline use; the login goes to the new address when it is done.
  if (loginInFlight) return;
  const cached = loadCache();
  if (cached) route(cached.me).catch(() => start());
  else start();
});

window.addEventListener('online', () => {
  updateConnection();
  start();
});
window.addEventListener('offline', updateConnection);

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch((error) => console.warn('service worker not registered', error));
}

start();
