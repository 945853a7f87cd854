// Sends the outbox to the server in order. An entry leaves the queue only after a 2xx (201 new, 200 already
// stored: every write carries the phone's UUID, so sending twice is harmless). No network, a timeout or a 5xx
// stops the round and it is tried again later; a 4xx moves the entry to the refused list with the server's
// Chinese message. An expired login stops the round without blaming the entry.
"use strict";
(function () {
  const cwm = (window.cwm = window.cwm || {});
  const FIELD_LABELS = {
    photos: "问题照片", photo_uuids: "问题照片", after_photos: "整改后照片", after_photo_uuids: "整改后照片",
    category: "问题类别", check_item: "检查项", point: "点位", grid: "网格", patrol: "巡查", outcome: "处理方式",
    description: "描述", results: "检查结果", track: "轨迹", uuid: "编号", lat: "纬度", lng: "经度",
  };
  let busy = false;

  cwm.user = () => Number(document.body.dataset.user);

  // A v4 UUID; crypto.randomUUID exists only in secure contexts (https, localhost).
  cwm.uuid = () => {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };

  function csrfToken() {
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // {"detail": "…"} or {"field": ["…"]} (possibly nested) as one Chinese sentence.
  function messageOf(body, status) {
    if (body && typeof body.detail === "string") return body.detail;
    const parts = [];
    const walk = (value, label) => {
      if (typeof value === "string") parts.push(label && !value.includes(label) ? `${label}：${value}` : value);
      else if (Array.isArray(value)) value.forEach((item) => walk(item, label));
      else if (value && typeof value === "object") {
        Object.entries(value).forEach(([key, item]) => walk(item, label || FIELD_LABELS[key] || ""));
      }
    };
    walk(body, "");
    return parts.length ? parts.join("；") : `服务器拒绝了这条记录（${status}）。`;
  }

  function request(entry) {
    const headers = { "X-CSRFToken": csrfToken(), Accept: "application/json" };
    let body;
    if (entry.json) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(entry.json);
    } else {
      body = new FormData();
      (entry.fields || []).forEach(([name, value]) => body.append(name, value));
      (entry.files || []).forEach(([name, blob, filename]) => body.append(name, blob, filename));
    }
    return { method: "POST", headers, body, credentials: "same-origin", redirect: "manual" };
  }

  async function send(entry) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), entry.files && entry.files.length ? 120000 : 30000);
    let response;
    try {
      response = await fetch(entry.url, { ...request(entry), signal: controller.signal });
    } catch (error) {
      return { verdict: "later" };
    } finally {
      clearTimeout(timer);
    }
    const isJson = (response.headers.get("Content-Type") || "").includes("json");
    const body = isJson ? await response.json().catch(() => null) : null;
    const status = response.status;
    if (response.type === "opaqueredirect" || status === 401) return { verdict: "auth" };
    if (status === 403 && body && /CSRF/i.test(body.detail || "")) return { verdict: "auth" };
    if (response.ok) return isJson ? { verdict: "done", body } : { verdict: "auth" };
    if (status === 408 || status === 425 || status === 429 || status >= 500) return { verdict: "later" };
    return { verdict: "refused", status, message: messageOf(body, status) };
  }

  async function counts() {
    const user = cwm.user();
    const [pending, failed] = await Promise.all([cwm.store.pending(user), cwm.store.failed(user)]);
    return { pending: pending.length, failed: failed.length };
  }

  // Tell every screen how many entries wait and how many were refused.
  cwm.changed = async (detail = {}) => {
    window.dispatchEvent(new CustomEvent("cwm:queue", { detail: { ...(await counts()), ...detail } }));
  };

  // One round: send entries oldest first until the queue is empty or something says "later".
  cwm.sync = async () => {
    if (busy || !navigator.onLine || cwm.signedOut) return;
    busy = true;
    let auth = false;
    try {
      for (;;) {
        const [entry] = await cwm.store.pending(cwm.user());
        if (!entry) break;
        const result = await send(entry);
        if (result.verdict === "done") {
          await cwm.store.done(entry.seq);
          await cwm.changed({ sent: entry, answer: result.body });
        } else if (result.verdict === "refused") {
          await cwm.store.fail(entry, result.status, result.message);
          await cwm.changed({ refused: entry, message: result.message });
        } else {
          auth = result.verdict === "auth";
          break;
        }
      }
    } finally {
      busy = false;
      window.dispatchEvent(new CustomEvent("cwm:auth", { detail: { expired: auth } }));
    }
  };

  // Queue a write (before any network attempt), then try to send at once.
  cwm.enqueue = async (entry) => {
    await cwm.store.enqueue({ ...entry, user: cwm.user(), createdAt: new Date().toISOString() });
    await cwm.changed();
    cwm.kick();
  };

  // Start a round without waiting for it; a storage failure is reported, never left unhandled.
  cwm.kick = () => {
    cwm.sync().catch((error) => console.warn("同步暂停：", error));
  };
})();
