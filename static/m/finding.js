// The finding form: photograph the problem (downscaled at once), a note, then 上报 or 已现场整改 with an
// after-photo. Saving only queues it (with the photo Blobs) — it works the same with or without signal.
"use strict";
(function () {
  const cwm = window.cwm;
  const h = cwm.h;
  const MAX_PHOTOS = 9;
  const OUTCOMES = [["reported", "上报", "派给责任单位整改"], ["fixed", "已现场整改", "需拍整改后照片"]];

  function thumb(photo, label, onRemove) {
    return h("figure", { class: "thumb" },
      h("img", { src: photo.url, alt: label }),
      h("button", { type: "button", class: "thumb-x", "aria-label": "删除这张照片", onclick: onRemove }, "×"));
  }

  // A camera button with thumbnails; photos are downscaled as soon as they are taken.
  function picker(form, id, label, list) {
    const thumbs = h("div", { class: "thumbs", id: `${id}-thumbs` });
    const status = h("p", { class: "muted small", role: "status" });
    const input = h("input", {
      type: "file", id, class: "file-input", accept: "image/*", capture: "environment", multiple: true,
    });
    const remove = (photo, index) => () => {
      URL.revokeObjectURL(photo.url);
      list.splice(index, 1);
      draw();
    };
    const draw = () => thumbs.replaceChildren(
      ...list.map((photo, index) => thumb(photo, `${label} ${index + 1}`, remove(photo, index))));
    input.addEventListener("change", async () => {
      const files = Array.from(input.files);
      input.value = "";  // the same button takes the next photo
      form.busy += 1;
      status.textContent = "正在压缩照片…";
      for (const file of files) {
        if (list.length >= MAX_PHOTOS) {
          form.say(`每条最多 ${MAX_PHOTOS} 张照片。`);
          break;
        }
        try {
          const blob = await cwm.downscale(file);
          list.push({ blob, url: URL.createObjectURL(blob) });
        } catch (error) {
          form.say(error.message);
        }
      }
      form.busy -= 1;
      status.textContent = "";
      draw();
    });
    return h("div", { class: "picker" },
      h("label", { class: "btn secondary block photo-btn", for: id }, label), input, status, thumbs);
  }

  function outcomeChoices(form, afterPicker) {
    // The chosen way gets a ✓ (CSS) through .on, also where :has() is not supported.
    const choose = (value, event) => {
      form.outcome = value;
      afterPicker.hidden = value !== "fixed";
      const labels = event.currentTarget.closest("fieldset").querySelectorAll(".choice");
      labels.forEach((label) => label.classList.toggle("on", label.contains(event.currentTarget)));
    };
    return h("fieldset", { class: "choices" }, h("legend", null, "处理方式"), OUTCOMES.map(([value, label, hint]) =>
      h("label", { class: "choice" },
        h("input", {
          type: "radio", name: "outcome", id: `outcome-${value}`, value, onchange: (event) => choose(value, event),
        }),
        h("span", null, label),
        h("small", { class: "muted" }, hint))));
  }

  // What is missing before the finding can be saved, in Chinese; "" when complete.
  function missing(form, category) {
    if (form.busy) return "照片还在压缩，请稍候。";
    if (!category) return "请选择问题类别。";
    if (!form.photos.length) return "请至少拍摄一张问题照片。";
    if (!form.outcome) return "请选择处理方式：上报或已现场整改。";
    if (form.outcome === "fixed" && !form.after.length) return "已现场整改须拍摄整改后照片。";
    return "";
  }

  cwm.screens.finding = (ctx, pointId, itemId) => {
    const place = ctx.find.point(pointId);
    if (!place) return cwm.nothing("点位不存在或已不在您的网格内。");
    const { grid, point } = place;
    const templates = ctx.state.ref.templates;
    const items = cwm.itemsFor(point, templates);
    const item = itemId === "adhoc" ? null : items.find((i) => i.id === Number(itemId));
    if (item === undefined) return cwm.nothing("检查项已停用，请用「随手拍」记录。", `#point/${point.id}`, "返回点位");
    const categories = cwm.categoriesFor(point, templates);
    const inPatrol = Boolean(ctx.state.patrol && ctx.state.patrol.grid === grid.id);
    const back = inPatrol ? `#point/${point.id}` : "#";
    const error = h("p", { class: "form-error", role: "alert" });
    const form = { photos: [], after: [], outcome: "", busy: 0, say: (text) => { error.textContent = text; } };
    const category = item ? null : h("select", { id: "category", name: "category" },
      h("option", { value: "" }, "请选择问题类别"),
      categories.map((c) => h("option", { value: c.id }, c.name)));
    const afterPicker = picker(form, "after-photos", "拍摄整改后照片", form.after);
    afterPicker.hidden = true;
    const note = h("textarea", { id: "note", rows: 3, maxlength: 1000, placeholder: "问题位置、情况等（可不填）" });

    const save = async (event) => {
      const button = event.currentTarget;
      const chosen = item ? { id: item.category, name: item.category_name }
        : categories.find((c) => String(c.id) === category.value);
      form.say(missing(form, chosen));
      if (missing(form, chosen)) return;
      button.disabled = true;
      try {
        await ctx.act.saveFinding(place, item, {
          category: chosen,
          outcome: form.outcome,
          note: note.value.trim(),
          takenAt: new Date().toISOString(),
          photos: form.photos,
          after: form.after,
        });
      } catch (failure) {
        console.warn(failure);
        button.disabled = false;
        form.say("保存失败：手机存储不可用，请检查浏览器设置。");
        return;
      }
      [...form.photos, ...form.after].forEach((photo) => URL.revokeObjectURL(photo.url));
      cwm.toast(navigator.onLine ? "已保存，正在上传" : "已保存在手机上，恢复网络后自动上传");
      ctx.leave(back);
    };

    const what = item
      ? h("p", { class: "card tight" }, item.problem || item.text, h("br"),
        h("span", { class: "muted small" }, `检查标准：${item.text} · 问题类别：${item.category_name}`))
      : h("label", { class: "field" }, h("span", null, "问题类别"), category);
    return h("section", { class: "screen", id: "finding" },
      h("a", { class: "back", href: back }, inPatrol ? `‹ ${point.name}` : "‹ 巡查首页"),
      h("h1", null, item ? "记录问题" : "随手拍"),
      h("p", { class: "muted small" }, `${grid.name} · ${point.name}`),
      what,
      picker(form, "photos", "拍摄问题照片", form.photos),
      h("label", { class: "field" }, h("span", null, "说明"), note),
      outcomeChoices(form, afterPicker),
      afterPicker,
      error,
      h("button", { class: "btn big block", type: "button", id: "save-finding", onclick: save }, "保存"),
      h("p", { class: "muted small center" }, "无网络也可保存，恢复网络后自动上传。"));
  };
})();
