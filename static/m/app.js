// The patrol app on /m/: cached reference data, the open patrol, the actions that queue writes, and the
// hash router that draws one screen at a time (#patrol, #point/7, #finding/7/12, #snap/7, #queue).
"use strict";
(function () {
  const cwm = window.cwm;
  const app = document.getElementById("app");
  const user = cwm.user();
  const REF_KEY = `ref:${user}`;
  const PATROL_KEY = `patrol:${user}`;
  const SUMMARY_KEY = `summary:${user}`;
  const state = { ref: null, patrol: null, summary: null, here: null, located: false, loading: true, refError: "" };
  const TRACK_EVERY_S = 30;
  const TRACK_MAX = 2000;
  let shown = location.hash;
  let cameFrom = null;

  async function getJson(url) {
    const response = await fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  // Grids, points and templates: from the phone at once, then fresh from the server when online.
  async function loadReference() {
    if (!navigator.onLine || cwm.signedOut) return;
    try {
      const grids = await getJson(app.dataset.grids);
      const templates = await getJson(app.dataset.templates);
      state.ref = { grids, templates, fetchedAt: new Date().toISOString() };
      await cwm.store.set(REF_KEY, state.ref);
      state.refError = "";
    } catch (error) {
      state.refError = "网格数据更新失败，正在使用手机上保存的数据。";
    }
    state.loading = false;
    refresh();
  }

  async function start() {
    state.ref = (await cwm.store.get(REF_KEY)) || null;
    state.patrol = (await cwm.store.get(PATROL_KEY)) || null;
    state.summary = (await cwm.store.get(SUMMARY_KEY)) || null;
    if (state.patrol) cwm.geo.watch(addTrackPoint);
    state.loading = !state.ref && navigator.onLine;
    render();
    await loadReference();
  }

  const savePatrol = () => cwm.store.set(PATROL_KEY, state.patrol);

  // One track point per 30 s at most, and no more than the server takes.
  function addTrackPoint(fix) {
    if (!state.patrol) return;
    const track = state.patrol.track;
    const previous = track[track.length - 1];
    if (track.length >= TRACK_MAX || (previous && fix.at - previous[2] < TRACK_EVERY_S)) return;
    track.push([Number(fix.lat.toFixed(6)), Number(fix.lng.toFixed(6)), fix.at]);
    savePatrol().catch((error) => console.warn("轨迹未能保存：", error));
  }

  // The phone's position for a finding, if it is recent (else the server takes the point's own).
  function whereNow() {
    const fix = cwm.geo.last;
    if (!fix || Date.now() / 1000 - fix.at > 120) return [];
    return [["lat", fix.lat.toFixed(6)], ["lng", fix.lng.toFixed(6)], ["accuracy_m", Math.round(fix.accuracy)]];
  }

  function visitOf(pointId) {
    const visits = state.patrol.points;
    visits[pointId] = visits[pointId] || { results: {}, findings: [], visitedAt: null };
    return visits[pointId];
  }

  const find = {
    grid: (id) => (state.ref ? state.ref.grids.find((grid) => grid.id === Number(id)) : null),
    point(id) {
      for (const grid of state.ref ? state.ref.grids : []) {
        const point = grid.points.find((p) => p.id === Number(id));
        if (point) return { grid, point };
      }
      return null;
    },
  };

  const findingsOf = (walk) => (walk.findings ? walk.findings : Object.values(walk.points).flatMap((v) => v.findings));

  // 巡查小结: points visited of the points due, and every finding filed on the way.
  function summaryOf(patrol) {
    const grid = find.grid(patrol.grid);
    const points = grid ? grid.points : [];
    const visited = (p) => Boolean(patrol.points[p.id] && patrol.points[p.id].visitedAt);
    const findings = Object.entries(patrol.points).flatMap(([id, visit]) => visit.findings.map((f) => ({
      ...f,
      pointName: f.pointName || (find.point(id) ? find.point(id).point.name : ""),
    })));
    return {
      gridName: patrol.gridName,
      startedAt: patrol.startedAt,
      endedAt: new Date().toISOString(),
      due: points.length,
      visited: points.filter(visited).length,
      missed: points.filter((p) => !visited(p)).map((p) => p.name),
      findings,
    };
  }

  const act = {
    async startPatrol(grid) {
      const uuid = cwm.uuid();
      const startedAt = new Date().toISOString();
      state.patrol = { uuid, grid: grid.id, gridName: grid.name, startedAt, track: [], points: {} };
      await savePatrol();
      await cwm.enqueue({
        kind: "patrol-start",
        label: `开始巡查 ${grid.name}`,
        url: app.dataset.patrols,
        json: { uuid, grid: grid.id, client_started_at: startedAt },
      });
      cwm.geo.watch(addTrackPoint);
      go("#patrol");
    },

    async setResult(point, item, value) {
      visitOf(point.id).results[item.id] = value;
      await savePatrol();
    },

    // 其余合格: every item not yet answered is 合格; answered ones (有问题, 不涉及) stay as they are.
    async restOk(point, items) {
      const results = visitOf(point.id).results;
      items.filter((item) => !results[item.id]).forEach((item) => { results[item.id] = "ok"; });
      await savePatrol();
    },

    // A finding with its photo Blobs goes into the queue before anything is sent.
    async saveFinding({ grid, point }, item, finding) {
      const inPatrol = Boolean(state.patrol && state.patrol.grid === grid.id);
      const uuid = cwm.uuid();
      const fields = [
        ["uuid", uuid],
        ["point", point.id],
        ["category", finding.category.id],
        ["outcome", finding.outcome],
        ["description", finding.note],
        ["taken_at", finding.takenAt],
        ...(inPatrol ? [["patrol", state.patrol.uuid]] : []),
        ...(item ? [["check_item", item.id]] : []),
        ...whereNow(),
      ];
      const files = [];
      const photos = [
        ["photos", "photo_uuids", finding.photos],
        ["after_photos", "after_photo_uuids", finding.after],
      ];
      photos.forEach(([field, uuids, list]) => list.forEach((photo, index) => {
        files.push([field, photo.blob, `${field}-${index + 1}.jpg`]);
        fields.push([uuids, cwm.uuid()]);  // one per photo, in the photos' order
      }));
      const how = finding.outcome === "fixed" ? "已现场整改" : "上报";
      // What is wrong, in the check item's own words (存在暴露垃圾…); the category's name for 随手拍.
      const problem = (item && item.problem) || finding.category.name;
      await cwm.enqueue({
        kind: "finding",
        ref: uuid,
        label: `问题：${problem}（${point.name}）· ${how}`,
        url: app.dataset.findings,
        fields,
        files,
      });
      if (!inPatrol) return;
      const visit = visitOf(point.id);
      if (item) visit.results[item.id] = "problem";
      const shown = {
        uuid, item: item ? item.id : null, category: problem, how, photos: files.length,
        outcome: finding.outcome, pointName: point.name, ticket: null, synced: false,
      };
      visit.findings.push(shown);
      await savePatrol();
    },

    async finishPoint(point) {
      const visit = visitOf(point.id);
      const results = Object.entries(visit.results).map(([item, result]) => ({ item: Number(item), result }));
      visit.visitedAt = new Date().toISOString();
      await savePatrol();
      await cwm.enqueue({
        kind: "visit",
        label: `巡查结果：${point.name}（${results.length} 项）`,
        url: `${app.dataset.patrols}${state.patrol.uuid}/visits/`,
        json: { point: point.id, visited_at: visit.visitedAt, results },
      });
      leave("#patrol");
    },

    async finishPatrol() {
      const patrol = state.patrol;
      cwm.geo.stop();
      await cwm.enqueue({
        kind: "patrol-finish",
        label: `结束巡查 ${patrol.gridName}`,
        url: `${app.dataset.patrols}${patrol.uuid}/finish/`,
        json: { track: patrol.track, client_ended_at: new Date().toISOString() },
      });
      state.summary = summaryOf(patrol);
      await cwm.store.set(SUMMARY_KEY, state.summary);
      state.patrol = null;
      await cwm.store.remove(PATROL_KEY);
      leave("#summary");
    },

    // The server's answer to a queued finding: its ticket number (or none) for the patrol and its 小结.
    async noteAnswer(answer) {
      const lists = [state.patrol, state.summary].filter(Boolean).map(findingsOf);
      const shown = lists.flat().find((f) => f.uuid === answer.uuid);
      if (!shown) return;
      Object.assign(shown, { ticket: answer.ticket_number || null, synced: true });
      if (state.patrol) await savePatrol();
      if (state.summary) await cwm.store.set(SUMMARY_KEY, state.summary);
      if (app.dataset.screen === "summary") render();
    },

    // What the server knows of a finding sent earlier (when its answer was not seen by this page).
    async lookUp(finding) {
      try {
        await act.noteAnswer(await getJson(`${app.dataset.findings}${finding.uuid}/`));
      } catch (error) {
        console.warn("读取上报结果失败：", error);
      }
    },

    async discard(entry) {
      await cwm.store.discard(entry.seq);
      await cwm.changed();
    },

    async retry(entry) {
      await cwm.store.retry(entry);
      await cwm.changed();
      cwm.kick();
    },
  };

  function go(hash) {
    if (location.hash === hash || (hash === "" && !location.hash)) render();
    else location.hash = hash;
  }

  // Back to where the worker came from without stacking screens: the phone's back button stays sensible.
  function leave(hash) {
    const target = hash === "#" ? "" : hash;
    if (cameFrom === target) history.back();
    else location.replace(target || "#");
  }

  const ctx = { state, act, go, leave, find, user };
  const routes = [
    [/^#?$/, "home", () => cwm.screens.home(ctx)],
    [/^#patrol$/, "patrol", () => cwm.screens.patrol(ctx)],
    [/^#point\/(\d+)$/, "point", (id) => cwm.screens.point(ctx, id)],
    [/^#finding\/(\d+)\/(\d+|adhoc)$/, "finding", (id, item) => cwm.screens.finding(ctx, id, item)],
    [/^#snap\/(\d+)$/, "finding", (id) => cwm.screens.finding(ctx, id, "adhoc")],
    [/^#(queue|failed)$/, "outbox", () => cwm.screens.outbox(ctx)],
    [/^#summary$/, "summary", () => cwm.screens.summary(ctx)],
  ];

  function route() {
    for (const [pattern, name, draw] of routes) {
      const match = location.hash.match(pattern);
      if (match) return [name, () => draw(...match.slice(1))];
    }
    return ["home", routes[0][2]];
  }

  function render() {
    const [name, draw] = route();
    app.dataset.screen = name;
    app.replaceChildren(draw());
    cwm.placeToast();
    document.querySelectorAll(".home-only").forEach((element) => { element.hidden = name !== "home"; });
    if (shown !== location.hash) {
      cameFrom = shown;
      window.scrollTo(0, 0);
    }
    shown = location.hash;
  }

  // Redraw for new data, except on the finding form, whose photos and text live only on the screen, and the
  // outbox, which changes only with the queue (a redraw there would undo a half-made 放弃 tap).
  function refresh() {
    if (!["finding", "outbox"].includes(app.dataset.screen)) render();
  }

  window.addEventListener("hashchange", render);
  window.addEventListener("cwm:queue", (event) => {
    const { sent, answer } = event.detail;
    if (sent && sent.kind === "finding" && answer) {
      act.noteAnswer(answer).catch(showError);
      if (answer.ticket_number) cwm.toast(`已上报，工单 ${answer.ticket_number}（${answer.ticket_status}）`);
    }
    if (["outbox", "summary"].includes(app.dataset.screen)) render();
  });
  window.addEventListener("online", () => loadReference().catch(showError));
  window.addEventListener("offline", refresh);

  function showError(error) {
    console.warn(error);
    cwm.toast("手机存储不可用，无法离线保存记录。", true);
  }

  start().catch(showError);
  cwm.geo.locate().then((fix) => {
    state.here = fix;
    state.located = true;
    refresh();
  });
})();
