/* Service worker of the offline certificate verifier (rendered by certificates.views.offline).
 * Registered for the scopes /verify/offline/, /v/ and /V/ (Service-Worker-Allowed: /).
 *
 * Precaches the verifier's page, script, styles, manifest and icons ("shell") and the verification
 * data: the JWK set and the signed status lists. Every cached request is answered network-first
 * (with a short timeout, so a weak signal falls back quickly) and the cache is refreshed whenever
 * the network answers; data responses are stamped with X-Fetched-At so the page can show their age.
 * A verify URL (/v/<payload>) opened without a network gets the cached verifier page, which then
 * verifies the payload from its own address. Other requests are not touched.
 */
"use strict";

const CONFIG = {{ config|safe }};
const SHELL_CACHE = "certificate-verifier-shell-" + CONFIG.version;
const DATA_CACHE = "certificate-verifier-data";
const NETWORK_TIMEOUT_MS = 4000;

const SHELL = new Set(CONFIG.shell);
const DATA = new Set(CONFIG.data);

function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set("X-Fetched-At", new Date().toUTCString());
  return response.blob().then((body) => new Response(body, { status: response.status, statusText: response.statusText, headers }));
}

function fetchWithTimeout(request) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT_MS);
    fetch(request, { cache: "no-store" }).then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      }
    );
  });
}

/** Fetch ``url`` from the network into ``cacheName`` (stamped for data); resolves to the stored response. */
function refresh(url, cacheName) {
  return fetchWithTimeout(new Request(url, { credentials: "same-origin" })).then((response) => {
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    const ready = cacheName === DATA_CACHE ? stamped(response) : Promise.resolve(response);
    return ready.then((stored) =>
      caches.open(cacheName).then((cache) => cache.put(url, stored.clone()).then(() => stored))
    );
  });
}

function refreshData() {
  return Promise.allSettled(CONFIG.data.map((url) => refresh(url, DATA_CACHE))).then((results) =>
    results.every((result) => result.status === "fulfilled")
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(CONFIG.shell))
      .then(() => refreshData())
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("certificate-verifier-shell-") && name !== SHELL_CACHE)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

function fromCache(url) {
  return caches.match(url).then((hit) => hit || Promise.reject(new Error("not cached: " + url)));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (DATA.has(path)) {
    event.respondWith(refresh(path, DATA_CACHE).catch(() => fromCache(path)));
  } else if (SHELL.has(path)) {
    event.respondWith(refresh(path, SHELL_CACHE).catch(() => fromCache(path)));
  } else if (request.mode === "navigate" && /^\/[vV]\/[A-Za-z2-7]+\/?$/.test(path)) {
    // Online: the server's page (it checks the record). Offline: the verifier, which reads the path.
    event.respondWith(fetchWithTimeout(request).catch(() => fromCache(CONFIG.page)));
  }
});

self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "refresh") return;
  const port = event.ports && event.ports[0];
  event.waitUntil(
    refreshData()
      .catch(() => false)
      .then((fresh) =>
        // Offline, the cache may still hold every data file: that is "ok" too (the page shows the age).
        Promise.all(CONFIG.data.map((url) => caches.match(url))).then((hits) => {
          const ok = hits.every(Boolean);
          if (port) port.postMessage({ ok, fresh });
        })
      )
  );
});
