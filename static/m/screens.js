// The patrol app's screens, drawn from the cached grids and templates and the open patrol: home (grids and
// points), the patrol (its points), one point (one tap per check item) and the outbox.
"use strict";
(function () {
  const cwm = window.cwm;
  const h = cwm.h;
  const RESULTS = [["ok", "合格"], ["problem", "有问题"], ["na", "不涉及"]];
  const screens = (cwm.screens = cwm.screens || {});

  function placeText(point, distance) {
    return [point.type_display, distance === null ? null : cwm.metres(distance)].filter(Boolean).join(" · ");
  }

  function pointName(point, distance) {
    return h("div", { class: "pt" },
      h("b", null, point.name),
      h("span", { class: "muted small" }, placeText(point, distance)));
  }

  function locateText(state) {
    if (!state.located) return "正在定位…";
    return state.here ? "已定位：点位按距离由近到远排列。" : "未开启定位：点位按名称排列。";
  }

  function patrolButton(ctx, grid) {
    const patrol = ctx.state.patrol;
    if (patrol && patrol.grid === grid.id) return h("a", { class: "btn big block", href: "#patrol" }, "继续巡查");
    if (patrol) return h("button", { class: "btn big block", type: "button", disabled: true }, "正在巡查其他网格");
    const start = (event) => {
      event.currentTarget.disabled = true;
      ctx.act.startPatrol(grid);
    };
    return h("button", { class: "btn big block start-patrol", type: "button", onclick: start }, "开始巡查");
  }

  function gridCard(ctx, grid) {
    const rows = cwm.sortPoints(grid.points, ctx.state.here).map(({ point, distance }) =>
      h("li", { "data-point": point.id },
        pointName(point, distance),
        h("a", { class: "btn small secondary", href: `#snap/${point.id}` }, "随手拍")));
    return h("article", { class: "card grid-card", "data-grid": grid.id },
      h("div", { class: "grid-head" },
        h("h2", null, grid.name),
        h("span", { class: "muted small" }, `${grid.points.length} 个点位`)),
      patrolButton(ctx, grid),
      h("ul", { class: "points" }, rows));
  }

  screens.home = (ctx) => {
    const { state } = ctx;
    if (state.loading) return h("p", { class: "muted" }, "正在加载网格数据…");
    if (!state.ref) {
      const why = navigator.onLine ? "网格数据加载失败，请稍后刷新重试。"
        : "首次使用需要联网加载网格和检查项；之后离线也能巡查。";
      return cwm.nothing(why, location.pathname, "刷新");
    }
    const patrol = state.patrol;
    return h("section", { class: "screen", id: "home" },
      state.refError ? h("p", { class: "msg" }, state.refError) : null,
      patrol ? h("p", { class: "msg msg-info" },
        `正在巡查 ${patrol.gridName}（开始于 ${cwm.clock(patrol.startedAt)}）`) : null,
      h("p", { class: "muted small" }, locateText(state)),
      state.summary && !patrol ? h("a", { class: "link-card", href: "#summary", id: "last-summary" },
        h("span", null, `上次巡查小结：${state.summary.gridName}`), h("span", { "aria-hidden": "true" }, "›")) : null,
      state.ref.grids.length ? null : h("p", { class: "card" }, "您还没有分配网格，请联系社区或创卫办。"),
      state.ref.grids.map((grid) => gridCard(ctx, grid)));
  };

  function pointRow(ctx, point, distance) {
    const visit = ctx.state.patrol.points[point.id];
    const done = Boolean(visit && visit.visitedAt);
    const problems = visit ? visit.findings.length : 0;
    return h("li", null,
      h("a", { class: "row", href: `#point/${point.id}`, "data-point": point.id },
        pointName(point, distance),
        problems ? h("span", { class: "tag bad" }, `问题 ${problems}`) : null,
        h("span", { class: done ? "tag ok" : "tag off" }, done ? "已巡" : "未巡")));
  }

  screens.patrol = (ctx) => {
    const patrol = ctx.state.patrol;
    if (!patrol) return cwm.nothing("当前没有进行中的巡查。");
    const grid = ctx.find.grid(patrol.grid);
    const points = grid ? grid.points : [];
    const visited = points.filter((p) => patrol.points[p.id] && patrol.points[p.id].visitedAt).length;
    const left = points.length - visited;
    const here = cwm.geo.last || ctx.state.here;
    const track = patrol.track.length ? `轨迹 ${patrol.track.length} 点` : "未记录轨迹（未开启定位）";
    const rows = cwm.sortPoints(points, here).map(({ point, distance }) => pointRow(ctx, point, distance));
    const confirm = left > 0 ? `还有 ${left} 个点位未巡，再点一次结束` : "";
    return h("section", { class: "screen", id: "patrol" },
      h("a", { class: "back", href: "#" }, "‹ 巡查首页"),
      h("h1", null, patrol.gridName, " ", h("span", { class: "tag" }, "巡查中")),
      h("p", { class: "muted small" },
        `开始于 ${cwm.clock(patrol.startedAt)} · ${track}`),
      grid ? null : h("p", { class: "msg msg-error" }, "该网格已不在您的名下，请结束本次巡查。"),
      h("ol", { class: "point-list" }, rows),
      h("div", { class: "dock" },
        h("p", { class: "dock-count", role: "status" }, "已巡 ", h("b", null, `${visited}/${points.length}`), " 个点位"),
        cwm.twoTap({ class: "btn big block secondary", id: "finish-patrol" }, "结束巡查", confirm,
          () => ctx.act.finishPatrol())));
  };

  function itemNote(point, visit, item) {
    const recorded = visit.findings.filter((f) => f.item === item.id);
    if (recorded.length) {
      const text = recorded.map((f) => `已记录问题：${f.how} · ${f.photos} 张照片`).join("；");
      return h("p", { class: "item-note" }, text);
    }
    if (visit.results[item.id] !== "problem") return null;
    const href = `#finding/${point.id}/${item.id}`;
    return h("a", { class: "item-note warn", href }, "还未拍照记录问题，点此记录 ›");
  }

  function itemRow(ctx, point, visit, item) {
    const chosen = visit.results[item.id];
    const choose = async (value, button) => {
      // Show the tap at once; the result is stored (and the screen redrawn) right after.
      const siblings = button.parentElement.querySelectorAll("button");
      siblings.forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
      await ctx.act.setResult(point, item, value);
      const recorded = visit.findings.some((f) => f.item === item.id);
      if (value === "problem" && !recorded) ctx.go(`#finding/${point.id}/${item.id}`);
      else ctx.go(location.hash);
    };
    const buttons = RESULTS.map(([value, label]) => h("button", {
      type: "button",
      class: `seg-${value}`,
      "data-result": value,
      "aria-pressed": String(chosen === value),
      onclick: (event) => choose(value, event.currentTarget),
    }, label));
    return h("div", { class: "item", "data-item": item.id },
      h("p", { class: "item-text" }, item.text, " ", h("span", { class: "muted small" }, item.category_name)),
      h("div", { class: "seg", role: "group", "aria-label": item.text }, buttons),
      itemNote(point, visit, item));
  }

  screens.point = (ctx, id) => {
    const patrol = ctx.state.patrol;
    const place = ctx.find.point(id);
    if (!patrol) return cwm.nothing("请先在巡查首页「开始巡查」。");
    if (!place || place.grid.id !== patrol.grid) {
      return cwm.nothing("该点位不在本次巡查的网格内。", "#patrol", "返回点位列表");
    }
    const { point } = place;
    const visit = patrol.points[point.id] || { results: {}, findings: [] };
    const templates = cwm.templatesFor(point, ctx.state.ref.templates);
    const items = templates.flatMap((t) => t.items);
    const adhoc = visit.findings.filter((f) => f.item === null)
      .map((f) => h("li", null, `随手拍：${f.category} · ${f.how} · ${f.photos} 张照片`));
    const finish = (event) => {
      event.currentTarget.disabled = true;
      ctx.act.finishPoint(point);
    };
    return h("section", { class: "screen", id: "point" },
      h("a", { class: "back", href: "#patrol" }, "‹ 点位列表"),
      h("h1", null, point.name),
      h("p", { class: "muted small" }, [point.type_display, point.address].filter(Boolean).join(" · ")),
      h("a", { class: "btn secondary block", href: `#finding/${point.id}/adhoc`, id: "snap" }, "随手拍（直接记录问题）"),
      items.length ? null : h("p", { class: "msg" }, "该点位类型没有检查项，可用「随手拍」记录问题。"),
      templates.map((t) => [h("h2", null, t.name), t.items.map((item) => itemRow(ctx, point, visit, item))]),
      adhoc.length ? h("ul", { class: "plain" }, adhoc) : null,
      pointDock(ctx, point, items, visit, finish));
  };

  // Docked at the bottom while the list scrolls: how far the worker is, 其余合格 and 完成本点 — a point where
  // all is well takes two taps.
  function pointDock(ctx, point, items, visit, finish) {
    const open = items.filter((item) => !visit.results[item.id]);
    const restOk = async (event) => {
      event.currentTarget.disabled = true;
      await ctx.act.restOk(point, items);
      ctx.go(location.hash);
    };
    const finishButton = h("button", { class: items.length ? "btn" : "btn block", type: "button", id: "finish-point", onclick: finish },
      visit.visitedAt ? "重新提交本点" : "完成本点");
    return h("div", { class: "dock", id: "point-dock" },
      h("p", { class: "dock-count", id: "checked-count", role: "status" },
        "已检查 ", h("b", null, `${items.length - open.length}/${items.length}`), " 项",
        open.length ? h("span", { class: "muted" }, " · 未点的项不上报") : null),
      h("div", { class: items.length ? "dock-actions" : null },
        items.length ? h("button", {
          class: "btn secondary", type: "button", id: "rest-ok", disabled: !open.length, onclick: restOk,
        }, "其余合格") : null,
        finishButton));
  }

  function entryRow(entry, extra) {
    return h("li", { class: "entry" },
      h("b", null, entry.label),
      h("span", { class: "muted small" }, ` ${cwm.clock(entry.createdAt)}`),
      extra);
  }

  function refusedRow(ctx, entry) {
    return entryRow(entry, h("div", null,
      h("p", { class: "bad-text" }, entry.message),
      h("div", { class: "actions" },
        h("button", { class: "btn small", type: "button", onclick: () => ctx.act.retry(entry) }, "重试"),
        cwm.twoTap({ class: "btn small danger" }, "放弃", "确认放弃", () => ctx.act.discard(entry)))));
  }

  function fill(list, rows, empty) {
    list.replaceChildren(...(rows.length ? rows : [h("li", { class: "muted" }, empty)]));
  }

  screens.outbox = (ctx) => {
    const pendingList = h("ol", { class: "plain", id: "pending-list" });
    const failedList = h("ol", { class: "plain", id: "failed-list" });
    Promise.all([cwm.store.pending(ctx.user), cwm.store.failed(ctx.user)]).then(([pending, failed]) => {
      fill(pendingList, pending.map((entry) => entryRow(entry)), "全部已同步。");
      fill(failedList, failed.map((entry) => refusedRow(ctx, entry)), "没有。");
    }).catch((error) => console.warn("读取同步记录失败：", error));
    const note = navigator.onLine ? "有网络时自动上传，每 20 秒重试一次。"
      : "当前离线：记录保存在手机上，恢复网络后自动上传。";
    return h("section", { class: "screen", id: "outbox" },
      h("a", { class: "back", href: "#" }, "‹ 巡查首页"),
      h("h1", null, "同步记录"),
      h("p", { class: "muted small" }, note),
      h("button", { class: "btn block", type: "button", disabled: !navigator.onLine, onclick: cwm.kick }, "立即同步"),
      h("h2", null, "待同步"),
      pendingList,
      h("h2", null, "未能同步"),
      h("p", { class: "muted small" }, "服务器拒绝的记录不会自动删除；按提示处理后可重试，或放弃。"),
      failedList);
  };

  // Where a finding stands: waiting in the outbox, refused, or what the server made of it.
  function reportState(finding, pending, failed) {
    if (pending.has(finding.uuid)) return ["待同步", "tag warn"];
    if (failed.has(finding.uuid)) return ["未能同步，见同步记录", "tag bad"];
    if (finding.outcome === "fixed") return ["已现场整改", "tag ok"];
    if (finding.ticket) return [`工单 ${finding.ticket}`, "tag"];
    return [finding.synced ? "已上报" : "已上传", "tag"];
  }

  function reportRows(ctx, findings, list) {
    const refs = (entries) => new Set(entries.map((entry) => entry.ref).filter(Boolean));
    Promise.all([cwm.store.pending(ctx.user), cwm.store.failed(ctx.user)]).then(([pending, failed]) => {
      const [waiting, refused] = [refs(pending), refs(failed)];
      const rows = findings.map((finding) => {
        const [text, tag] = reportState(finding, waiting, refused);
        // Sent before this page could see the answer: ask the server for its ticket number.
        const unknown = !finding.synced && !waiting.has(finding.uuid) && !refused.has(finding.uuid);
        if (unknown && navigator.onLine && finding.uuid) ctx.act.lookUp(finding);
        return h("li", { "data-finding": finding.uuid || "" },
          h("b", null, `${finding.category}（${finding.pointName}）`),
          h("span", null, h("span", { class: `${tag} report-state` }, text)));
      });
      list.replaceChildren(...(rows.length ? rows : [h("li", { class: "muted" }, "本次巡查未发现问题。")]));
    }).catch((error) => console.warn("读取同步记录失败：", error));
  }

  // 巡查小结 after 结束巡查: points visited of those due, findings filed and the tickets they became.
  screens.summary = (ctx) => {
    const summary = ctx.state.summary;
    if (!summary) return cwm.nothing("还没有结束的巡查。");
    const reported = summary.findings.filter((f) => f.outcome !== "fixed").length;
    const list = h("ol", { class: "plain reports", id: "summary-reports" });
    reportRows(ctx, summary.findings, list);
    return h("section", { class: "screen", id: "summary" },
      h("h1", null, "巡查小结"),
      h("p", { class: "muted small" },
        `${summary.gridName} · ${cwm.clock(summary.startedAt)}–${cwm.clock(summary.endedAt)}`),
      h("div", { class: "summary-facts" },
        h("div", null, h("span", { class: "muted small" }, "已巡点位"),
          h("b", { id: "summary-visited" }, `${summary.visited}/${summary.due}`)),
        h("div", null, h("span", { class: "muted small" }, "发现问题"),
          h("b", { id: "summary-findings" }, `${summary.findings.length} 条`),
          h("span", { class: "muted small" }, `上报 ${reported} · 现场整改 ${summary.findings.length - reported}`))),
      summary.missed.length ? h("p", { class: "muted small", id: "summary-missed" },
        `未巡：${summary.missed.join("、")}`) : null,
      h("h2", null, "问题与工单"),
      list,
      h("p", { class: "muted small" }, "待同步的记录在恢复网络后自动上传，工单编号随后显示在这里。"),
      h("a", { class: "btn big block", href: "#", id: "summary-done" }, "返回巡查首页"));
  };
})();
