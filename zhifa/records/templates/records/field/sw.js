{% load static %}/* Service worker (issue 20) of the field pages (scope /records/field/) and of the public 亮证 check
   (scope /gs/cert/v/); the scope and its files come from the view. Workbox is vendored (scripts/vendor_field_js.sh);
   nothing is loaded from another origin. Rendered by zhifa.records.field.service_worker. */
importScripts("{% static 'vendor/workbox/workbox-sw.js' %}");
{% if sync_queue %}importScripts("{% static 'vendor/idb/idb.umd.js' %}", "{% static 'records/field-sync.js' %}");
{% endif %}workbox.setConfig({modulePathPrefix: "{% static 'vendor/workbox/' %}".replace(/\/$/, ""), debug: false});
var VERSION = "field-v1";  // pages vary on the cookie and the language: matched with ignoreVary
// Static URLs this worker needs offline (the pages themselves are cached as they are opened).
var STATIC = [{% for f in static_files %}"{% static f %}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var SCOPE = "{{ scope }}", PAGES = "zhifa-pages-{{ name }}", ASSETS = "zhifa-static-{{ name }}";
// Modules are imported now: a worker may only call importScripts while it is first evaluated.
var routing = workbox.routing, strategies = workbox.strategies, expiration = workbox.expiration;
workbox.core.setCacheNameDetails({prefix: "zhifa", suffix: VERSION});

// A page answered by the login form (session expired) or an error is never kept: offline, the
// officer gets the last good copy instead.
var okOnly = {
  cacheWillUpdate: async function (ctx) {
    var r = ctx.response;
    return r && r.status === 200 && !r.redirected ? r : null;
  }
};

// The field pages: the network first (fresh data when there is signal), the cached copy offline.
routing.registerRoute(
  function (ctx) { return ctx.request.mode === "navigate" && ctx.url.pathname.indexOf(SCOPE) === 0; },
  new strategies.NetworkFirst({
    cacheName: PAGES, networkTimeoutSeconds: 6, matchOptions: {ignoreVary: true},
    plugins: [okOnly, new expiration.ExpirationPlugin({maxEntries: 200, maxAgeSeconds: 30 * 86400})]
  })
);
// Our static files: from the cache, refreshed in the background.
routing.registerRoute(
  function (ctx) { return ctx.url.origin === self.location.origin && ctx.url.pathname.indexOf("{% get_static_prefix %}") === 0; },
  new strategies.StaleWhileRevalidate({cacheName: ASSETS, plugins: [okOnly]})
);
// Everything else (the API, uploads) goes to the network untouched: the queue in IndexedDB is the
// offline store of captures, never the HTTP cache.

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (c) { return c.addAll(STATIC); })
    .then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
// A page may ask the worker to keep more pages (the officer's open cases) for offline use.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "cache-pages" || !Array.isArray(data.urls)) { return; }
  event.waitUntil(caches.open(PAGES).then(function (cache) {
    return Promise.all(data.urls.map(function (u) {
      return fetch(u, {credentials: "same-origin"}).then(function (r) {
        if (r.status === 200 && !r.redirected) { return cache.put(u, r); }
      }).catch(function () { /* offline: keep the copy we have */ });
    }));
  }));
});
{% if sync_queue %}// Background Sync (Chromium): the open field pages send the queue themselves (they show the result);
// with none open the worker sends it (records/field-sync.js, the CSRF token the page left in IndexedDB).
// Every request carries the capture's client UUID: whoever sends it, the server keeps one.
function syncQueue() {
  return self.clients.matchAll({type: "window"}).then(function (list) {
    if (list.length) { list.forEach(function (c) { c.postMessage({type: "sync"}); }); return null; }
    return self.zhifaFieldSync.syncAll({}).then(function (out) {
      if (out.stopped === "network") { throw new Error("offline: the browser retries the sync later"); }
    });
  });
}
self.addEventListener("sync", function (event) {
  if (event.tag === "zhifa-field-sync") { event.waitUntil(syncQueue()); }
});
self.addEventListener("message", function (event) {
  if ((event.data || {}).type === "sync-queue") { event.waitUntil(syncQueue()); }
});
{% endif %}