// Service worker: the app shell is precached so the PWA starts without a network.
// Shell files are served from the cache and refreshed in the background; pages try the network first.
const CACHE = 'dagstaat-shell-v10';
const SHELL = [
  '/',
  '/index.html',
  '/app.js',
  '/api.js',
  '/dom.js',
  '/fold.js',
  '/dagstaat.js',
  '/sync.js',
  '/rit.js',
  '/planning.js',
  '/finance.js',
  '/contracts.js',
  '/occupancy.js',
  '/notifications.js',
  '/vendor/automerge-repo.js',
  '/vendor/automerge.wasm',
  '/i18n.js',
  '/styles.css',
  '/manifest.webmanifest',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirstPage(request) {
  try {
    const response = await fetch(request);
    if (response.ok) (await caches.open(CACHE)).put('/index.html', response.clone());
    return response;
  } catch {
    return (await caches.match('/index.html')) || Response.error();
  }
}

async function cacheThenRefresh(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  const refresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => undefined);
  return cached || (await refresh) || Response.error();
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return; // API calls go to the network; the app handles being offline.
  }
  if (event.request.mode === 'navigate') {
    event.respondWith(networkFirstPage(event.request));
  } else {
    event.respondWith(cacheThenRefresh(event.request));
  }
});

// Web push: the server sends {kind, title, body, url, tag}; names and times only, never a BSN.
self.addEventListener('push', (event) => {
  let data;
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || 'Dagstaat', {
      body: data.body || '',
      tag: data.tag,
      icon: '/icons/icon-192.png',
      data: { url: data.url || '#/' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(`/${event.notification.data?.url ?? ''}`, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) return open.navigate(target).then((w) => (w ?? open).focus());
      return self.clients.openWindow(target);
    }),
  );
});
