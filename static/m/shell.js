// What every /m/ page does: install the service worker, show the network state and the outbox counts in the
// header, and keep sending the outbox (now, when the signal returns, and every 20 seconds).
"use strict";
(function () {
  const cwm = (window.cwm = window.cwm || {});
  const SYNC_EVERY_MS = 20000;
  const $ = (id) => document.getElementById(id);

  function showNetwork() {
    const net = $("net");
    net.textContent = navigator.onLine ? "在线" : "离线";
    net.classList.toggle("off", !navigator.onLine);
    $("offline-banner").hidden = navigator.onLine;
  }

  function showCounts({ pending, failed }) {
    const badge = $("pending");
    badge.dataset.count = String(pending);
    badge.textContent = `待同步 ${pending} 条`;
    badge.classList.toggle("busy", pending > 0);
    const refused = $("failed");
    refused.dataset.count = String(failed);
    refused.textContent = `失败 ${failed} 条`;
    refused.hidden = failed === 0;
  }

  // A short message just above whatever is docked at the bottom of the screen (never over a control: it lets
  // taps through, and a newer message replaces the last one instead of stacking up).
  let toastTimer = null;
  cwm.toast = (text, bad = false) => {
    document.querySelectorAll(".toast").forEach((old) => old.remove());
    clearTimeout(toastTimer);
    const box = document.createElement("p");
    box.className = bad ? "toast bad" : "toast";
    box.setAttribute("role", "status");
    box.textContent = text;
    const dock = document.querySelector(".dock");
    const above = dock ? Math.max(0, window.innerHeight - dock.getBoundingClientRect().top) : 0;
    box.style.bottom = `calc(${Math.round(above)}px + max(.75rem, env(safe-area-inset-bottom)))`;
    document.body.append(box);
    toastTimer = setTimeout(() => box.remove(), bad ? 4000 : 2500);
  };

  window.addEventListener("cwm:queue", (event) => {
    showCounts(event.detail);
    if (event.detail.refused) cwm.toast(`未能同步：${event.detail.message}`, true);
  });
  window.addEventListener("cwm:auth", (event) => { $("auth-notice").hidden = !event.detail.expired; });
  window.addEventListener("online", () => { showNetwork(); cwm.kick(); });
  window.addEventListener("offline", showNetwork);

  // Signing out forgets the cached page (it shows this worker's name) so the next person on a shared phone
  // cannot open it offline; the outbox stays, kept per user, and is sent when this worker signs in again.
  const forgetPages = () => ("caches" in window ? caches.keys() : Promise.resolve([]))
    .then((names) => Promise.all(names.filter((name) => name.startsWith("cw-m-")).map((name) => caches.delete(name))))
    .catch((error) => console.warn("清除离线页面失败：", error));

  const LOGOUT_KEY = "cw-m:logout";
  const session = () => `${cwm.user()}@${document.body.dataset.login}`;

  // Without a network the server cannot end the session: the page says so, forgets itself, stops syncing and
  // ends the session as soon as the signal returns (also if the app is opened again online meanwhile).
  function signOutOffline() {
    localStorage.setItem(LOGOUT_KEY, session());
    cwm.signedOut = true;
    forgetPages();
    const title = Object.assign(document.createElement("h1"), { textContent: "已退出巡查" });
    const text = Object.assign(document.createElement("p"), {
      className: "msg",
      textContent: "手机上待同步的记录已保留，下次登录后自动上传。恢复网络后自动完成退出；重新登录需要网络。",
    });
    const screen = Object.assign(document.createElement("section"), { className: "screen", id: "signed-out" });
    screen.append(title, text);
    document.querySelector(".main").replaceChildren(screen);
    document.querySelector(".foot").hidden = true;
  }

  function finishSignOut() {
    cwm.signedOut = true;
    localStorage.removeItem(LOGOUT_KEY);
    forgetPages().finally(() => $("logout").submit());
  }

  $("logout").addEventListener("submit", (event) => {
    event.preventDefault();
    if (navigator.onLine) {
      forgetPages().finally(() => event.target.submit());
      return;
    }
    const ask = $("logout-offline");
    if (ask.showModal) ask.showModal();
    else if (window.confirm(ask.innerText)) signOutOffline();
  });
  $("logout-stay").addEventListener("click", () => $("logout-offline").close());
  $("logout-anyway").addEventListener("click", () => {
    $("logout-offline").close();
    signOutOffline();
  });

  // The desktop pages need the network: offline, say so instead of leaving for the browser's error page.
  $("desktop-link").addEventListener("click", (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    cwm.toast("电脑版需要网络，恢复网络后再打开。");
  });

  const owed = localStorage.getItem(LOGOUT_KEY);
  if (owed && owed !== session()) localStorage.removeItem(LOGOUT_KEY);  // signed in again since: not owed
  if (owed === session()) {
    if (navigator.onLine) finishSignOut();
    else signOutOffline();
  }
  window.addEventListener("online", () => {
    if (cwm.signedOut) finishSignOut();
  });

  showNetwork();
  cwm.changed().catch((error) => console.warn("读取待同步记录失败：", error));
  cwm.kick();
  setInterval(cwm.kick, SYNC_EVERY_MS);

  // Offline the installed worker keeps serving; registering again would only fail to fetch the script.
  if ("serviceWorker" in navigator && navigator.onLine) {
    const { sw, home } = document.body.dataset;
    navigator.serviceWorker.register(sw, { scope: home }).catch((error) => console.warn("离线功能未启用：", error));
  }
})();
