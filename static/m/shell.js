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
  // taps through, follows the dock as screens change, and a newer message replaces the last one).
  let toastTimer = null;
  cwm.placeToast = () => {
    const box = document.querySelector(".toast");
    if (!box) return;
    const dock = document.querySelector(".dock");
    const top = dock ? dock.getBoundingClientRect().top : window.innerHeight;
    const above = top < window.innerHeight ? window.innerHeight - top : 0;
    box.style.bottom = `calc(${Math.round(above)}px + max(.75rem, env(safe-area-inset-bottom)))`;
  };
  cwm.toast = (text, bad = false) => {
    document.querySelectorAll(".toast").forEach((old) => old.remove());
    clearTimeout(toastTimer);
    const box = document.createElement("p");
    box.className = bad ? "toast bad" : "toast";
    box.setAttribute("role", "status");
    box.textContent = text;
    document.body.append(box);
    cwm.placeToast();
    toastTimer = setTimeout(() => box.remove(), bad ? 4000 : 2500);
  };
  window.addEventListener("scroll", cwm.placeToast, { passive: true });

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

  // The sign-out still owed to the server, kept in the phone's store (it must survive closing the app); it
  // names the session (user and sign-in time), so signing in again later is never undone by it.
  const LOGOUT_KEY = "logout-owed";
  const session = () => `${cwm.user()}@${document.body.dataset.login}`;

  // Without a network the server cannot end the session: the page says so, forgets itself, stops syncing and
  // ends the session as soon as the signal returns (also if the app is opened again online meanwhile).
  async function signOutOffline() {
    cwm.signedOut = true;
    // Stored before the page says 已退出: the worker may close the app right after reading it.
    await Promise.all([cwm.store.set(LOGOUT_KEY, session()), forgetPages()])
      .catch((error) => console.warn("未能记下退出：", error));
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

  // The owed sign-out is forgotten only once the server has answered it; until then it is tried again.
  async function finishSignOut() {
    cwm.signedOut = true;
    const form = $("logout");
    try {
      await forgetPages();
      const body = new FormData(form);
      await fetch(form.action, { method: "POST", body, credentials: "same-origin", redirect: "manual" });
      await cwm.store.remove(LOGOUT_KEY);
    } catch (error) {
      signOutOffline();
      return;
    }
    location.assign(document.body.dataset.signIn);
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

  cwm.store.get(LOGOUT_KEY).then((owed) => {
    if (!owed) return;
    if (owed !== session()) return cwm.store.remove(LOGOUT_KEY);  // signed in again since: nothing owed
    if (navigator.onLine) finishSignOut();
    else signOutOffline();
  }).catch((error) => console.warn("读取退出记录失败：", error));
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
