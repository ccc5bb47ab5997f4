// Sift's page behaviour beyond htmx: toasts, and the review queue's keyboard with its undo
// window. A decision is sent only once its undo window has passed, so "undo" never has to
// take back a change: until then nothing has been applied.
(function () {
  "use strict";

  function toast(text, action) {
    const box = document.getElementById("toasts");
    if (!box || !text) return null;
    const item = document.createElement("div");
    item.className = "toast";
    item.textContent = text + " ";
    if (action) {
      const button = document.createElement("button");
      button.className = "link";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      item.appendChild(button);
    }
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, action ? 8000 : 5000);
    return item;
  }

  // A suggested reply fills the reply box (no inline handler: the CSP allows none).
  document.body.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-fills]");
    if (!button) return;
    const field = document.getElementById(button.dataset.fills);
    if (field) field.value = button.dataset.text || "";
  });

  document.body.addEventListener("toast", function (event) {
    toast(event.detail && event.detail.value);
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    const xhr = event.detail.xhr;
    const page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    const message = page.querySelector(".error-message");
    toast("Error " + xhr.status + ": " + (message ? message.textContent : xhr.statusText));
  });

  // --- the inbox: j/k move between clusters, Enter opens the focused one (a plain link) ---
  (function () {
    function links() {
      return Array.from(document.querySelectorAll(
        "table.clusters tr.cluster-row td:first-child a, ul.rail li.cluster-row > a"));
    }
    if (!links().length) return;
    let focusedCluster = null;
    function step(by) {
      const all = links();
      const at = all.indexOf(document.activeElement);
      const current = all.findIndex(function (a) { return a.getAttribute("aria-current"); });
      const from = at >= 0 ? at : (current >= 0 ? current : (by > 0 ? -1 : all.length));
      const next = all[Math.min(Math.max(from + by, 0), all.length - 1)];
      if (!next) return;
      next.focus();
      next.scrollIntoView({ block: "nearest" });
      focusedCluster = next.closest("[data-cluster]").dataset.cluster;
    }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.closest("input, textarea, select, dialog[open]")) return;
      if (event.key === "j") { event.preventDefault(); step(1); }
      if (event.key === "k") { event.preventDefault(); step(-1); }
    });
    // The list is refreshed every few seconds: keep the focus on the same cluster.
    document.body.addEventListener("htmx:afterSwap", function () {
      if (!focusedCluster) return;
      const again = document.querySelector(
        'tr.cluster-row[data-cluster="' + focusedCluster + '"] td:first-child a');
      if (again && document.activeElement === document.body) again.focus({ preventScroll: true });
    });
  })();

  // --- inbox triage: confirm a merge, the slider's value, how many messages are ticked ---
  document.body.addEventListener("submit", function (event) {
    const form = event.target.closest && event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  (function () {
    const slider = document.getElementById("strictness");
    const shown = document.getElementById("strictness-value");
    if (!slider || !shown) return;
    slider.addEventListener("input", function () {
      const value = Number(slider.value).toFixed(2);
      shown.textContent = value;
      slider.setAttribute("aria-valuetext", value);
    });
  })();
  document.body.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches('input[type=checkbox][form="selected"]')) return;
    const ticked = document.querySelectorAll('input[type=checkbox][form="selected"]:checked').length;
    const count = document.getElementById("selected-count");
    if (count) {
      count.textContent = ticked ? ticked + (ticked === 1 ? " message ticked." : " messages ticked.")
        : "Tick messages to move or remove several at once.";
    }
  });

  // --- the review queue -------------------------------------------------------------------
  // One undo window for every decision, of one proposal or of a whole batch: the button
  // (`data-decide`, `data-subject`, `formaction`, `data-target`) says what to send and what
  // its answer replaces; the counts come back out of band with it.
  const queueBox = document.getElementById("queue");
  if (!queueBox) return;
  const undoMs = 1000 * Number(queueBox.dataset.undoSeconds || 4);
  let selectedId = null;
  let openId = null; // the one proposal shown whole; the others show their headline only
  let waiting = null; // {button, url, target, marked, timer, note}

  function items() { return Array.from(document.querySelectorAll("ol.queue article.proposal")); }

  // Each headline is a button with aria-expanded, so a collapsed proposal is one Tab away.
  function showOpen() {
    items().forEach(function (a) {
      const open = a.id === openId;
      const body = a.querySelector(".proposal-body");
      const toggle = a.querySelector("button.toggle");
      if (body) body.hidden = !open;
      if (toggle) toggle.setAttribute("aria-expanded", String(open));
    });
  }

  function select(article) {
    if (!article) return;
    items().forEach(function (a) { a.classList.remove("selected"); a.removeAttribute("aria-current"); });
    article.classList.add("selected");
    article.setAttribute("aria-current", "true");
    selectedId = openId = article.id;
    showOpen();
    if (!article.contains(document.activeElement)) article.focus({ preventScroll: true });
    article.scrollIntoView({ block: "nearest" });
  }

  function toggle(article) {
    if (openId === article.id) { openId = null; showOpen(); } else { select(article); }
  }

  function move(step) {
    const all = items();
    const at = all.findIndex(function (a) { return a.id === selectedId; });
    select(all[Math.min(Math.max(at + step, 0), all.length - 1)]);
  }

  function send(pending) {
    clearTimeout(pending.timer);
    if (pending.note) pending.note.remove();
    pending.marked.forEach(function (a) { a.classList.remove("deciding"); });
    const swap = { target: pending.target, swap: "outerHTML" };
    if (pending.target === "#queue") swap.select = "#queue";
    htmx.ajax("POST", pending.url, swap);
  }

  function flush() {
    if (waiting) { const pending = waiting; waiting = null; send(pending); }
  }

  function later(button) {
    flush();
    const article = button.closest("article.proposal");
    const doing = button.dataset.decide === "approve" ? "Approving " : "Rejecting ";
    const pending = {
      button: button,
      url: button.getAttribute("formaction"),
      target: button.dataset.target,
      article: article,
      marked: article ? [article] : items().filter(function (a) { return a.dataset.status === "pending"; }),
    };
    pending.marked.forEach(function (a) { a.classList.add("deciding"); });
    pending.note = toast(doing + button.dataset.subject + " in " + undoMs / 1000 + " s.",
      { label: "Undo (u)", run: undo });
    pending.timer = setTimeout(function () { if (waiting === pending) flush(); }, undoMs);
    waiting = pending;
    if (!article) return;
    const next = items().find(function (a, i, all) {
      return all.indexOf(article) < i && a.dataset.status === "pending";
    });
    if (next) select(next);
  }

  function decide(article, verb) {
    const button = article && article.querySelector('[data-decide="' + verb + '"]');
    if (button) later(button);
  }

  function undo() {
    if (!waiting) {
      toast("Nothing to undo: an applied approval can be reverted with its Revert button.");
      return;
    }
    const pending = waiting;
    waiting = null;
    clearTimeout(pending.timer);
    if (pending.note) pending.note.remove();
    pending.marked.forEach(function (a) { a.classList.remove("deciding"); });
    if (pending.article) select(pending.article);
    toast("Undone: " + pending.button.dataset.subject + " — nothing was changed.");
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-decide]");
    if (button) { event.preventDefault(); later(button); return; }
    if (!event.target.closest("ol.queue")) return;
    const article = event.target.closest("article.proposal");
    if (event.target.closest("button.toggle")) { toggle(article); return; }
    if (article && !event.target.closest("button, a, summary")) select(article);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, dialog[open]")) return;
    const current = document.getElementById(selectedId);
    const actions = {
      j: function () { move(1); },
      k: function () { move(-1); },
      a: function () { decide(current, "approve"); },
      r: function () { decide(current, "reject"); },
      u: undo,
      "?": function () { document.getElementById("help").showModal(); },
    };
    if (actions[event.key]) { event.preventDefault(); actions[event.key](); }
  });

  // Another request (a revert) may replace part of the list: send the waiting decision first.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (waiting && event.detail.requestConfig.path !== waiting.url) flush();
  });

  // A decision's answer replaces cards (its own, those it settled, or the whole list).
  function afterSwap() {
    const again = document.getElementById(selectedId);
    if (again && !again.classList.contains("selected")) {
      again.classList.add("selected");
      again.setAttribute("aria-current", "true");
    }
    showOpen();
  }
  document.body.addEventListener("htmx:afterSwap", afterSwap);
  document.body.addEventListener("htmx:oobAfterSwap", afterSwap);

  // Leaving the page ends the undo window: the decision is sent, not lost.
  window.addEventListener("pagehide", function () {
    if (!waiting) return;
    fetch(waiting.url, { method: "POST", keepalive: true, headers: { "HX-Request": "true" } });
    waiting = null;
  });

  select(items().find(function (a) { return a.dataset.status === "pending"; }) || items()[0]);
})();
