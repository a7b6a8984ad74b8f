// 商户帮助中心 service worker (rendered by offline/worker.py; the config changes with each
// release and content version, which is what makes browsers install a new worker quietly).
//
// Pages: network first. When the network fails, or is slower than config.slow_ms and a copy is
// kept, the kept copy is shown; with no copy, the offline page. The pages a merchant opened
// are kept (the last config.max_pages); a page the server no longer has (404, 410, moved)
// leaves the cache. Static files: cache first (their names carry a hash).
"use strict";

const config = {{ config|safe }};
const PRECACHE = config.prefix + "precache-" + config.version;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(PRECACHE);
      const fresh = (url) => new Request(url, { cache: "reload" });
      await cache.addAll(config.essential.map(fresh));
      await Promise.all(config.optional.map((url) => cache.add(fresh(url)).catch(() => null)));
      // No "new version" prompt: the new worker takes over at once. Pages come from the
      // network first and static names are hashed, so an open page keeps working.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([PRECACHE, config.pages_cache]);
      for (const name of await caches.keys()) {
        if (name.startsWith(config.prefix) && !keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (url.pathname.startsWith(config.static_url)) {
    event.respondWith(staticFile(request, url));
  }
  // Everything else (htmx fragments, the search API, feedback) goes to the network as usual.
});

const match = (request, options) => caches.match(request, { ignoreVary: true, ...options });

async function page(event, url) {
  const request = event.request;
  // "no-cache": ask the server every time (a 304 is cheap), so an editor's change shows on
  // the next online visit.
  const network = fetch(request, { cache: "no-cache" });
  event.waitUntil(network.then((response) => remember(url, response.clone())).catch(() => null));
  const kept = (await match(request)) || (await match(request, { ignoreSearch: true }));
  const answer = network.then((response) => (response.status >= 500 && kept) || response);
  try {
    if (!kept) return await answer;
    const slow = new Promise((resolve) => setTimeout(() => resolve(kept), config.slow_ms));
    return await Promise.race([answer, slow]);
  } catch (error) {
    return kept || (await match(config.offline_url)) || Response.error();
  }
}

function keeps(url) {
  const path = url.pathname;
  return (
    url.search === "" &&
    config.kept.some((prefix) => path.startsWith(prefix)) &&
    !config.not_kept.some((prefix) => path.startsWith(prefix))
  );
}

async function remember(url, response) {
  const key = url.origin + url.pathname;
  const precached = config.optional.includes(url.pathname) && url.search === "";
  if (!keeps(url) && !precached) return;
  const cache = await caches.open(precached ? PRECACHE : config.pages_cache);
  const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
  if (response.status === 200 && response.type === "basic" && html) {
    // put() replaces and appends, so the keys stay in order of last visit.
    await cache.delete(key, { ignoreVary: true });
    await cache.put(key, response);
    if (!precached) await trim(cache);
  } else if ([404, 410].includes(response.status) || response.type === "opaqueredirect") {
    await cache.delete(key, { ignoreVary: true });
  }
}

async function trim(cache) {
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - config.max_pages))) {
    await cache.delete(old, { ignoreVary: true });
  }
}

async function staticFile(request, url) {
  const cached = await match(request);
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    // A kept page from an older release names older hashed files: use today's version.
    const now = config.static_now[url.pathname.replace(/\.[0-9a-f]{12}(\.\w+)$/, "$1")];
    const fallback = now && (await match(now));
    if (fallback) return fallback;
    throw error;
  }
}
