// Service worker of the 网格巡查 app, scope /m/. The shell's scripts and styles come from the cache first; the
// /m/ page from the network first, falling back to its cached copy offline. Nothing else is cached: API reads
// are kept by the page in IndexedDB, and writes (POST) always go straight to the network.
"use strict";

const VERSION = "{{ version }}";
const CACHE = `cw-m-${VERSION}`;
const HOME = "{{ home }}";
const SLOW_MS = 4000;
const SHELL = {{ shell|safe }};
const SHELL_PATHS = new Set(SHELL.map((url) => new URL(url, self.location.origin).pathname));
// The page shown for a /m/ page that needs the network. It links back to the patrol home only when that is
// another page: for the home itself (not kept on the phone, e.g. after 退出) a link would lead right back here.
function offlinePage(path) {
  const away = path !== HOME;
  const text = away
    ? "此页面需要联网使用，请在信号恢复后重试。巡查记录不受影响，可回到巡查首页继续离线巡查。"
    : "手机上没有保存巡查首页（例如已退出登录），需要联网打开并登录。手机上待同步的巡查记录不会丢失，登录后自动上传。";
  const link = away ? `<p><a href="${HOME}">返回巡查首页</a></p>` : "";
  return `<!doctype html><html lang="zh-Hans"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>需要网络</title>
<body style="font-family:sans-serif;padding:1.5rem;line-height:1.6;color:#1f2a30">
<p style="margin:0 0 1rem;padding:.6rem .9rem;background:#fde68a;color:#713f12;border-radius:8px">当前离线</p>
<h1 style="font-size:1.3rem">需要网络</h1><p>${text}</p>${link}</body></html>`;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL);
    await cacheHome(cache);
    // A new version takes over at once: the shell files it caches belong to the page that installed it.
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    const old = names.filter((name) => name.startsWith("cw-m-") && name !== CACHE);
    await Promise.all(old.map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === HOME && request.mode === "navigate") {
    event.respondWith(homePage(event));
  } else if (SHELL_PATHS.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" && url.pathname.startsWith(HOME)) {
    event.respondWith(onlineOnly(request));
  }
  // Anything else (the API, photos, other pages) is left to the browser and never cached here.
});

function isShellPage(response) {
  // Only the worker's own rendered page: not a redirect to the login page, not an error page.
  return response.ok && !response.redirected && response.type === "basic";
}

async function cacheHome(cache) {
  try {
    const response = await fetch(HOME, { credentials: "same-origin", cache: "no-store" });
    if (isShellPage(response)) await cache.put(HOME, response);
  } catch (error) {
    // Installed while offline: the page is cached on the next online visit instead.
  }
}

// Network first, but on a weak signal the cached page is shown after a few seconds (and refreshed meanwhile).
async function homePage(event) {
  const cache = await caches.open(CACHE);
  const network = fetch(event.request).then(async (response) => {
    if (isShellPage(response)) await cache.put(HOME, response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => {}));  // let a late answer still refresh the cached page
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_MS));
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    const cached = await cache.match(HOME);
    return cached || (await network);
  } catch (error) {
    const cached = await cache.match(HOME);
    return cached || offline(HOME);
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function onlineOnly(request) {
  try {
    return await fetch(request);
  } catch (error) {
    return offline(new URL(request.url).pathname);
  }
}

// A page that explains itself (200, so the browser does not report it as a failed load).
function offline(path) {
  const headers = { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" };
  return new Response(offlinePage(path), { headers });
}
