// The team lead's offline pages (served at /sw.js by portal/offline.py, registered by
// static/offline.js on a team lead's pages only).
//
// Kept: the home page, the team's page, its recent activities and the activity form, once
// visited, and the static files. Nothing else is ever cached: no other role's page (a page is
// kept only if the server marked it as a team lead's, data-offline="1"), no report, no
// dashboard, no download, no list with a query string. Pages come from the network first; the
// cached copy is used only when the network fails.
var CACHE = "tocnscd-offline-v1";
var PAGES = [
  /^\/$/,
  /^\/so-lieu\/to\/\d+\/$/,
  /^\/so-lieu\/to\/\d+\/hoat-dong\/$/,
  /^\/so-lieu\/to\/\d+\/hoat-dong\/them\/$/,
];
var STATIC = /^\/static\//;

function kind(url) {
  url = new URL(url, self.location.origin);
  if (url.origin !== self.location.origin) return null;
  if (STATIC.test(url.pathname)) return "static";
  if (url.search) return null;
  return PAGES.some(function (re) { return re.test(url.pathname); }) ? "page" : null;
}

// A copy without the "redirected" mark ("/" redirects to the team's page), which a browser
// refuses to show for a navigation; pages only if the server marked them as a team lead's.
function keep(key, response, what) {
  if (!response || response.status !== 200 || response.type !== "basic") return Promise.resolve(false);
  return response.clone().blob().then(function (body) {
    var store = function () {
      return caches.open(CACHE).then(function (cache) {
        var headers = new Headers(response.headers);
        headers.delete("Content-Encoding");
        headers.delete("Content-Length");
        return cache.put(key, new Response(body, { status: 200, headers: headers })).then(function () { return true; });
      });
    };
    if (what !== "page") return store();
    return body.text().then(function (text) { return text.indexOf('data-offline="1"') >= 0 ? store() : false; });
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  // A page's own "no-store" fetch wants the server's answer or a failure, never a kept copy:
  // offline.js asks the form's page that way to learn whose session it is before sending the
  // queue, and a kept copy would say "the team lead" whoever is logged in now.
  if (request.method !== "GET" || request.cache === "no-store") return;
  var what = kind(request.url);
  if (!what) return;
  var key = new URL(request.url).pathname;
  if (what === "static") {
    event.respondWith(caches.match(key).then(function (hit) {
      return hit || fetch(request).then(function (response) { keep(key, response, what); return response; });
    }));
    return;
  }
  event.respondWith(fetch(request).then(function (response) {
    if (!response.redirected) keep(key, response, what);
    return response;
  }).catch(function () {
    return caches.match(key).then(function (hit) {
      return hit || new Response("<!doctype html><meta charset=utf-8><title>Không có mạng</title><p>Không có mạng, và trang này chưa được lưu trên máy.</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  }));
});

// The page that registered us asks to keep what it was loaded with (its first load came before
// this worker controlled it): its own address, the home page and its static files.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "clear") {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (data.type !== "keep") return;
  var urls = (data.urls || []).filter(function (url) { return kind(url); });
  event.waitUntil(Promise.all(urls.map(function (url) {
    var key = new URL(url, self.location.origin).pathname;
    return fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return keep(key, response, kind(url)); })
      .catch(function () { return false; });
  })).then(function () {
    if (!data.home) return;
    return caches.open(CACHE).then(function (cache) {
      return cache.match(data.home).then(function (page) { return page && cache.put("/", page); });
    });
  }).then(function () {
    if (event.ports[0]) event.ports[0].postMessage({ done: true });
  }));
});
