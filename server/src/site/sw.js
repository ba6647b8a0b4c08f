// sensorboard's service worker, served at /sw.js by the server with the
// site's version filled in (a hash of the built wasm, JS and CSS), so an
// upgrade installs a new shell cache and the old one is deleted.
//
// - The app shell (wasm, JS, CSS, icons, manifest) comes from the cache
//   first: its version is in the cache's name.
// - Pages and API reads go to the network first; the last good answer is
//   kept, and served when the network fails, marked with the time it was
//   stored (X-Sensorboard-Offline-From) so the page can say how old it is.
// - Writes, token management, sign-in and exports are never cached, nor
//   is any URL carrying a token (`p=`).
// - Alert notifications pushed by the server (Web Push, see /push.js)
//   are shown; clicking one opens the alert's chart.
// - Where reads need a token (KEEP_ANSWERS is `opt-in`), only the
//   static shell is kept unless the person signing in ticked "keep
//   answers on this device"; signing out, or any 401, drops every kept
//   answer and that choice.
const VERSION = '__VERSION__';
const KEEP_ANSWERS = '__KEEP_ANSWERS__';
const SHELL = `sensorboard-shell-${VERSION}`;
const ANSWERS = `sensorboard-answers-${VERSION}`;
// Holds the opt-in, so it outlives the worker's restarts.
const CHOICES = 'sensorboard-choices';
const OPTED_IN = '/__choices/keep-answers';
const SHELL_FILES = [
  // The dashboard page is data too where reads need a token.
  ...(KEEP_ANSWERS === 'always' ? ['/'] : []),
  '/pkg/sensorboard.js',
  '/pkg/sensorboard.wasm',
  '/pkg/sensorboard.css',
  '/favicon.svg',
  '/manifest.webmanifest',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/icon-maskable-512.png',
];
// POSTs that only read: their answers are kept under a key made of the
// URL and the body.
const READING_POSTS = ['/api/v1/query/batch', '/rpc/query_batch', '/rpc/series', '/rpc/dashboards'];
const MAX_ANSWERS = 200;
const OFFLINE_FROM = 'x-sensorboard-offline-from';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n !== SHELL && n !== ANSWERS && n !== CHOICES).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api/v1/session') {
    event.respondWith(session(request));
  } else if (request.method === 'GET' && isShellFile(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.method === 'GET' && (request.mode === 'navigate' || isRead(url.pathname))) {
    event.respondWith(networkFirst(request, request.url));
  } else if (request.method === 'POST' && READING_POSTS.includes(url.pathname)) {
    event.respondWith(request.clone().text().then((body) => networkFirst(request, answerKey(url, body))));
  }
  // Anything else (writes, tokens, sign-in) goes to the network untouched.
});

function isShellFile(path) {
  return path.startsWith('/pkg/') || path.startsWith('/icons/') || path === '/favicon.svg' || path === '/manifest.webmanifest';
}

function isRead(path) {
  return (
    (path.startsWith('/api/v1/') &&
      !path.startsWith('/api/v1/tokens') &&
      !path.startsWith('/api/v1/session') &&
      !path.startsWith('/api/v1/export')) ||
    path === '/api/openapi.json'
  );
}

/**
 * Sign-in and sign-out pass through; signing in records whether the
 * person opted in to keeping answers, signing out forgets every answer.
 */
async function session(request) {
  if (request.method === 'POST') {
    const form = new URLSearchParams(await request.clone().text());
    const response = await fetch(request);
    if (response.ok || response.redirected || response.type === 'opaqueredirect') {
      await choose(form.get('offline') === 'on');
    }
    return response;
  }
  const response = await fetch(request);
  if (request.method === 'DELETE') await forget();
  return response;
}

/** Records whether answers may be kept on this device. */
async function choose(keep) {
  const choices = await caches.open(CHOICES);
  if (keep) await choices.put(OPTED_IN, new Response('yes'));
  else await choices.delete(OPTED_IN);
}

/** Drops every kept answer (the shell stays) and the opt-in. */
async function forget() {
  await Promise.all([caches.delete(ANSWERS), caches.delete(CHOICES)]);
  const shell = await caches.open(SHELL);
  await shell.delete('/');
}

/** Whether answers may be kept now. */
async function keeping() {
  if (KEEP_ANSWERS === 'always') return true;
  return (await caches.match(OPTED_IN, { cacheName: CHOICES })) !== undefined;
}

/** A 401, or a page sent to the sign-in page, means the session is over. */
function signedOut(response) {
  return response.status === 401 || (response.redirected && new URL(response.url).pathname === '/sign-in');
}

/** A GET request standing for a POST with `body`, as a cache key. */
function answerKey(url, body) {
  return `${url.origin}/__answers${url.pathname}?body=${encodeURIComponent(body)}`;
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL });
  return cached ?? fetch(request);
}

async function networkFirst(request, key) {
  try {
    const response = await fetch(request);
    if (signedOut(response)) {
      await forget();
    } else if (
      response.status === 200 &&
      !response.redirected &&
      !response.headers.has('set-cookie') &&
      !new URL(request.url).searchParams.has('p') &&
      (await keeping())
    ) {
      keep(key, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = (await caches.match(key, { cacheName: ANSWERS })) ?? (await shellPage(request));
    if (cached) return cached;
    throw offline;
  }
}

/** Offline, a page never seen at this URL gets the cached dashboard shell. */
async function shellPage(request) {
  if (request.mode !== 'navigate') return undefined;
  return (await caches.match('/', { cacheName: ANSWERS })) ?? caches.match('/', { cacheName: SHELL });
}

/** Stores `response` under `key`, stamped with the time, oldest out first. */
async function keep(key, response) {
  const headers = new Headers(response.headers);
  headers.set(OFFLINE_FROM, String(Date.now()));
  // The body is stored decoded.
  headers.delete('content-encoding');
  headers.delete('content-length');
  const body = await response.blob();
  const cache = await caches.open(ANSWERS);
  await cache.delete(key);
  await cache.put(key, new Response(body, { status: 200, statusText: 'OK', headers }));
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_ANSWERS)).map((k) => cache.delete(k)));
}

// A Web Push message: {title, body, url, tag} (see the server's
// `alerts::payload::push_message`).
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (_) {
    message = { title: 'sensorboard', body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || 'sensorboard alert', {
      body: message.body || '',
      tag: message.tag,
      icon: '/icons/icon-192.png',
      data: { url: message.url || '/alerts' },
    }),
  );
});

// Opens the alert's chart: in a window of the app already open, else a new one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/alerts', self.location.origin);
  event.waitUntil(openChart(url));
});

async function openChart(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const mine = windows.find((w) => new URL(w.url).origin === url.origin);
  if (mine && 'navigate' in mine) {
    // Focusing needs the click's activation; navigating does not.
    await mine.focus().catch(() => {});
    return mine.navigate(url.href);
  }
  return self.clients.openWindow(url.href);
}
