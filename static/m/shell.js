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

  // A short message at the bottom of the screen.
  cwm.toast = (text, bad = false) => {
    const box = document.createElement("p");
    box.className = bad ? "toast bad" : "toast";
    box.setAttribute("role", "status");
    box.textContent = text;
    document.body.append(box);
    setTimeout(() => box.remove(), 4000);
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
  $("logout").addEventListener("submit", (event) => {
    if (!("caches" in window)) return;
    event.preventDefault();
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("cw-m-")).map((name) => caches.delete(name))))
      .catch((error) => console.warn("清除离线页面失败：", error))
      .finally(() => event.target.submit());
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
