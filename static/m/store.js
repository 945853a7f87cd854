// The phone's own storage (IndexedDB): the outbox of writes in FIFO order, the ones the server refused, and
// small key/value data (cached grids and templates, the open patrol). Everything survives closing the page.
"use strict";
(function () {
  const cwm = (window.cwm = window.cwm || {});
  const DB_NAME = "cw-m";
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          // The auto-increment key is the queue's order: a patrol is always sent before its findings.
          db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
          db.createObjectStore("failed", { keyPath: "seq" });
          db.createObjectStore("kv");
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return opening;
  }

  // Run fn(stores…) in one transaction; resolves with the result of the request fn returns, once committed.
  async function run(names, mode, fn) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(names, mode);
      const request = fn(...names.map((name) => tx.objectStore(name)));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  const mine = (user) => (entry) => entry.user === user;

  cwm.store = {
    get: (key) => run(["kv"], "readonly", (kv) => kv.get(key)),
    set: (key, value) => run(["kv"], "readwrite", (kv) => kv.put(value, key)),
    remove: (key) => run(["kv"], "readwrite", (kv) => kv.delete(key)),

    // The queue holds every user's entries; each user only ever sees and sends their own.
    enqueue: (entry) => run(["queue"], "readwrite", (queue) => queue.add(entry)),
    pending: async (user) => (await run(["queue"], "readonly", (queue) => queue.getAll())).filter(mine(user)),
    done: (seq) => run(["queue"], "readwrite", (queue) => queue.delete(seq)),
    // Refused by the server: moved, in one transaction, to the list the worker sees (never silently dropped).
    fail: (entry, status, message) =>
      run(["queue", "failed"], "readwrite", (queue, failed) => {
        queue.delete(entry.seq);
        failed.put({ ...entry, status, message, failedAt: new Date().toISOString() });
      }),
    failed: async (user) => (await run(["failed"], "readonly", (failed) => failed.getAll())).filter(mine(user)),
    discard: (seq) => run(["failed"], "readwrite", (failed) => failed.delete(seq)),
    // Try a refused entry once more, at the end of the queue.
    retry: (entry) =>
      run(["queue", "failed"], "readwrite", (queue, failed) => {
        failed.delete(entry.seq);
        const { seq, status, message, failedAt, ...again } = entry;
        queue.add(again);
      }),
  };

  // Ask the browser not to evict the outbox under storage pressure (granted silently or not at all).
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
})();
