// kot edit: the page's script. Plain JavaScript, no libraries, shipped inside the package (works offline).
// It sends the form to the server as the user types (the server checks and draws the card with kot itself),
// shows the answers beside the fields, and saves. Texts come from the page's message catalogue (#kot-texts).
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const json = (id) => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
  const texts = json("kot-texts") || {};
  const t = (key, values) => (texts[key] || key).replace(/\{(\w+)\}/g, (m, k) => (values && k in values ? values[k] : m));
  const token = $('meta[name="kot-token"]').content;
  const region = $('meta[name="kot-region"]').content;

  async function post(url, body) {
    let response;
    try {
      response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Kot-Token": token },
      body: JSON.stringify(Object.assign({ region: region }, body)),
      credentials: "same-origin",
      });
    } catch (e) {
      return { ok: false, status: 0, message: t("js_offline") };
    }
    let data = {};
    try { data = await response.json(); } catch (e) { data = { ok: false, message: response.statusText }; }
    data.status = response.status;
    return data;
  }

  function status(text, kind) {
    const el = $("#status");
    if (!el) return;
    el.textContent = text;
    el.className = "status " + (kind || "");
  }

  function banner(text) {
    $("#banner-text").textContent = text;
    $("#banner").hidden = false;
  }

  // -- the variant switch and the search -------------------------------------------------------------------
  const regionSelect = $('[data-action="region"]');
  if (regionSelect) regionSelect.addEventListener("change", () => {
    const url = new URL(location.href);
    url.searchParams.set("region", regionSelect.value);
    location.href = url.pathname.startsWith("/card/") ? "/?region=" + regionSelect.value : url.toString();
  });
  // reloading is the user's choice here: no "leave the page?" question about the unsaved form
  // a fresh navigation, not a reload: the browser must not put the old form's values back
  const fresh = () => {
    const url = new URL(location.href);
    url.searchParams.set("fresh", String(Date.now()));
    location.replace(url.toString());
  };
  $$('[data-action="reload"]').forEach((b) => b.addEventListener("click", () => { dirty = false; fresh(); }));

  const search = $('[data-action="search"]');
  if (search) search.addEventListener("input", () => {
    const words = search.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    $$("aside.cards li").forEach((li) => {
      const hay = $("a", li).dataset.search;
      li.hidden = !words.every((w) => hay.includes(w));
    });
    $$("aside.cards section.type").forEach((s) => { s.hidden = $$("li", s).every((li) => li.hidden); });
  });

  // -- changes on disk (hand edits, another editor) -----------------------------------------------------------
  let dirty = false;
  let version = null;
  async function poll() {
    try {
      const r = await fetch("/api/version?region=" + encodeURIComponent(region), { credentials: "same-origin" });
      const data = await r.json();
      if (version !== null && data.version !== version) {
        if (dirty) banner(t("js_changed_on_disk"));
        else { fresh(); return; }
      }
      version = data.version;
    } catch (e) { /* the server stopped: keep the page as it is */ }
    setTimeout(poll, 2000);
  }
  poll();

  // -- new, copy, delete ---------------------------------------------------------------------------------
  const dialog = $("#ask-id");
  function askId(title, suggestion) {
    return new Promise((resolve) => {
      $("#ask-title").textContent = title;
      $("#ask-value").value = suggestion || "";
      $("#ask-error").hidden = true;
      dialog.returnValue = "";
      dialog.showModal();
      dialog.addEventListener("close", function onClose() {
        dialog.removeEventListener("close", onClose);
        resolve(dialog.returnValue === "ok" ? $("#ask-value").value.trim() : null);
      });
    });
  }
  $$('[data-action="new"]').forEach((button) => button.addEventListener("click", async () => {
    const id = await askId(t("js_new_title"), "");
    if (id === null) return;
    const r = await post("/api/new", { type: button.dataset.type, id: id });
    if (r.ok) location.href = "/card/" + r.card + "?region=" + region;
    else alert(r.message);
  }));

  const editor = $("section.editor[data-card-id]");
  if (editor) cardForm(editor);
  const variablesPage = $('[data-page="variables"]');
  if (variablesPage) variablesForm();
  const buildPage = $('[data-page="build"]');
  if (buildPage) buildForm();

  function cardForm(section) {
    const card = section.dataset.cardId;
    let hashes = json("kot-hashes") || {};
    const variables = json("kot-variables") || {};
    const form = $("#card-form");
    const saveButton = $('[data-action="save"]');

    const fill = (text) => text.split("{{").map((part) => part.split("}}").map(
      (piece) => piece.replace(/\{([^{}]*)\}/g, (m, name) => (name in variables ? variables[name] : m))).join("}")).join("{");

    function values() {
      const result = {};
      $$("[data-field]", form).forEach((el) => {
        const name = el.dataset.field;
        if (el.dataset.kind === "list") result[name] = $$("input[data-item]", el).map((i) => i.value);
        else if (el.dataset.kind === "tags") result[name] = el.value.split(",").map((s) => s.trim()).filter(Boolean);
        else result[name] = el.value;
      });
      return result;
    }

    function counter(el, length, max) {
      if (!el || !max) return;
      const over = length - max;
      el.textContent = over > 0 ? t("js_too_long", { n: length, max: max, over: over }) : t("js_length", { n: length, max: max });
      el.classList.toggle("over", over > 0);
    }
    function counters() {
      $$('[data-kind="text"]', form).forEach((el) => {
        counter($('[data-counter-for="' + el.dataset.field + '"]', form), fill(el.value).length, +el.dataset.max);
      });
      $$('[data-kind="list"]', form).forEach((list) => {
        const max = +list.dataset.max;
        $$(".line", list).forEach((line) => counter($(".counter", line), fill($("input", line).value).length, max));
        const add = $('[data-action="add-line"]', list);
        const maxItems = +list.dataset.maxItems;
        if (add) add.disabled = maxItems > 0 && $$(".line", list).length >= maxItems;
      });
    }

    function showProblems(data) {
      $$(".errors", form).forEach((box) => { box.textContent = ""; });
      $$(".field", form).forEach((row) => row.classList.remove("has-error"));
      for (const [name, messages] of Object.entries(data.problems || {})) {
        const row = $('[data-field-row="' + name + '"]', form);
        const box = row ? $(".errors", row) : $("#card-errors");
        if (row) row.classList.add("has-error");
        messages.forEach((m) => {
          const p = document.createElement("p");
          p.className = "field-error";
          p.dataset.errorFor = name;
          p.textContent = m;
          box.appendChild(p);
        });
      }
      const top = $("#card-errors");
      top.textContent = "";
      (data.card_problems || []).forEach((m) => {
        const p = document.createElement("p");
        p.className = "field-error";
        p.dataset.errorFor = "";
        p.textContent = m;
        top.appendChild(p);
      });
    }

    let sent = 0;
    let shown = 0;
    let timer = null;
    async function check() {
      const mine = ++sent;
      const data = await post("/api/check", { card: card, values: values() });
      if (mine < shown || data.status === 0) return; // an older answer arriving late, or the editor stopped
      shown = mine;
      showProblems(data);
      if (data.front) $('[data-preview="front"]').src = data.front;
      if (data.back) $('[data-preview="back"]').src = data.back;
      $(".previews").classList.toggle("stale", !data.front);
      $("#preview-note").textContent = data.front ? t("js_preview_live") : t("js_preview_stale");
      return data;
    }
    const grow = (el) => { el.style.height = "auto"; el.style.height = el.scrollHeight + 2 + "px"; };
    $$("textarea", form).forEach(grow);
    form.addEventListener("input", (e) => { if (e.target.tagName === "TEXTAREA") grow(e.target); });

    function changed() {
      dirty = true;
      saveButton.disabled = false;
      status(t("js_unsaved"), "");
      counters();
      clearTimeout(timer);
      timer = setTimeout(check, 120);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("keydown", (e) => { if (e.key === "Enter" && e.target.tagName === "TEXTAREA") e.preventDefault(); });
    form.addEventListener("click", (e) => {
      const button = e.target.closest("button[data-action]");
      if (!button) return;
      const list = button.closest(".list");
      const line = button.closest(".line");
      const action = button.dataset.action;
      if (action === "add-line") {
        const row = document.createElement("div");
        row.className = "line";
        row.innerHTML = '<input type="text" data-item><span class="counter"></span>' +
          '<button type="button" class="icon" data-action="up">↑</button>' +
          '<button type="button" class="icon" data-action="down">↓</button>' +
          '<button type="button" class="icon" data-action="remove">✕</button>';
        $$(".icon", row).forEach((b) => { b.title = t("js_" + b.dataset.action); });
        list.insertBefore(row, button);
        $("input", row).focus();
      } else if (action === "remove") line.remove();
      else if (action === "up" && line.previousElementSibling) list.insertBefore(line, line.previousElementSibling);
      else if (action === "down" && line.nextElementSibling && line.nextElementSibling.classList.contains("line"))
        list.insertBefore(line.nextElementSibling, line);
      else return;
      changed();
    });

    saveButton.addEventListener("click", async () => {
      saveButton.disabled = true;
      status(t("js_saving"), "");
      const data = await post("/api/save", { card: card, values: values(), hashes: hashes });
      if (data.status === 409) {
        banner(data.message);
        status(data.message, "bad");
        saveButton.disabled = false;
        return;
      }
      if (!data.ok) {
        if (data.problems) showProblems(data);
        status(data.message || t("js_fix_first"), "bad");
        saveButton.disabled = false;
        return;
      }
      hashes = data.hashes;
      version = data.version;
      dirty = false;
      status(t("js_saved"), "good");
      const thumb = $('a[data-card="' + card + '"] img.thumb');
      if (thumb) thumb.src = thumb.src.replace(/&v=\d+/, "&v=" + data.version);
    });

    $('[data-action="copy"]').addEventListener("click", async () => {
      const id = await askId(t("js_copy_title"), card + "-2");
      if (id === null) return;
      const r = await post("/api/copy", { card: card, id: id, hashes: hashes });
      if (r.ok) location.href = "/card/" + r.card + "?region=" + region;
      else alert(r.message);
    });
    $('[data-action="delete"]').addEventListener("click", async () => {
      if (!confirm(t("js_delete_confirm", { id: card }))) return;
      const r = await post("/api/delete", { card: card, hashes: hashes });
      if (r.ok) location.href = "/?region=" + region;
      else alert(r.message);
    });
    window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); e.returnValue = ""; } });

    counters();
    check();
  }

  function variablesForm() {
    let hashes = json("kot-hashes") || {};
    const button = $('[data-action="save-variables"]');
    $("#variables-form").addEventListener("input", () => { dirty = true; button.disabled = false; status(t("js_unsaved")); });
    button.addEventListener("click", async () => {
      const values = {};
      $$("[data-variable]").forEach((el) => { values[el.dataset.variable] = el.value; });
      const r = await post("/api/variables", { values: values, hashes: hashes });
      if (r.status === 409) { banner(r.message); return; }
      if (!r.ok) { status(r.message, "bad"); return; }
      hashes = r.hashes;
      version = r.version;
      dirty = false;
      button.disabled = true;
      status(t("js_saved"), "good");
    });
  }

  function buildForm() {
    const button = $('[data-action="build"]');
    button.addEventListener("click", async () => {
      button.disabled = true;
      $("#progress").hidden = false;
      $("#build-errors").textContent = "";
      $("#downloads").textContent = "";
      const r = await post("/api/build", {});
      const step = async () => {
        const s = await (await fetch("/api/build/" + r.job, { credentials: "same-origin" })).json();
        $("#progress-bar").style.width = s.percent + "%";
        $("#progress-text").textContent = t("js_build_progress", { percent: s.percent, step: s.step || "…" });
        if (s.state === "done" || s.state === "failed") {
          button.disabled = false;
          if (s.state === "failed") {
            $("#progress-text").textContent = t("js_build_failed");
            s.problems.forEach((m) => { const p = document.createElement("p"); p.className = "field-error"; p.textContent = m; $("#build-errors").appendChild(p); });
            return;
          }
          $("#progress-text").textContent = t("js_build_done", { seconds: s.seconds });
          s.files.forEach((f) => {
            const li = document.createElement("li");
            li.innerHTML = '<a download></a> <small></small>';
            $("a", li).href = f.url;
            $("a", li).textContent = f.name;
            $("a", li).dataset.download = f.name;
            $("small", li).textContent = f.pages + " " + t("js_pages") + ", " + f.paper;
            $("#downloads").appendChild(li);
          });
          $("#sheet-img").src = s.sheet + "&t=" + Date.now();
          $("#sheet").hidden = false;
          return;
        }
        setTimeout(step, 400);
      };
      step();
    });
  }
})();
