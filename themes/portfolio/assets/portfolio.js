/* Credentials index: filter by issuer, skill, type and state; sort by date.
   Progressive enhancement: without JavaScript every card is shown. No network access. */
(function () {
  "use strict";
  function setup() {
    var form = document.querySelector("[data-pg-filters]");
    /* every grid: the counted credentials and the separate "Not verified" group */
    var grids = Array.prototype.slice.call(document.querySelectorAll("[data-pg-grid]"));
    if (!form || !grids.length || form.getAttribute("data-pg-ready")) { return; }
    form.setAttribute("data-pg-ready", "1");
    var status = document.querySelector("[data-pg-status]");
    var cards = [];
    grids.forEach(function (grid) {
      Array.prototype.forEach.call(grid.querySelectorAll(".pg-card"), function (card) {
        card.pgGrid = grid;
        cards.push(card);
      });
    });
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var sort = form.querySelector("select[data-sort]");

    function matches(card) {
      return selects.every(function (select) {
        var wanted = select.value;
        if (!wanted) { return true; }
        var value = card.getAttribute("data-" + select.getAttribute("data-filter")) || "";
        return select.getAttribute("data-filter") === "skills"
          ? value.split("|").indexOf(wanted) !== -1 : value === wanted;
      });
    }

    function apply() {
      var shown = 0;
      var order = sort && sort.value === "asc" ? 1 : -1;
      cards.slice().sort(function (a, b) {
        var da = a.getAttribute("data-date") || "", db = b.getAttribute("data-date") || "";
        return da === db ? 0 : (da < db ? -order : order);
      }).forEach(function (card) {
        card.pgGrid.appendChild(card);
        var ok = matches(card);
        card.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (status) {
        status.textContent = shown + " of " + cards.length + " credentials shown";
      }
    }

    form.hidden = false;
    /* The filters sit in a disclosure: open on wide screens, one line on phones. */
    var bar = form.closest("[data-pg-filterbar]");
    if (bar) {
      bar.hidden = false;
      if (window.matchMedia && window.matchMedia("(min-width: 45em)").matches) { bar.open = true; }
    }
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }
  /* Material's search overlay is role="dialog" without a name: give it one (axe
     aria-dialog-name), once per page. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", "Search this portfolio");
    }
  }
  /* Share panel: copy buttons and print buttons are hidden without JavaScript (the links and
     code boxes work on their own) and shown here. Copying never sends anything anywhere. */
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); },
                                               function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  }
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function setupShare() {
    var status = document.querySelector("[data-pg-copy-status]");
    var self = document.querySelector("[data-pg-self-url]");
    if (self && !self.value) { self.value = window.location.href.split("#")[0]; }
    Array.prototype.forEach.call(document.querySelectorAll("button[data-pg-copy]"), function (btn) {
      if (btn.getAttribute("data-pg-ready")) { return; }
      btn.setAttribute("data-pg-ready", "1");
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var target = document.getElementById(btn.getAttribute("data-pg-copy"));
        if (!target) { return; }
        copyText(target.value, function (ok) {
          if (!ok) { target.focus(); target.select(); }
          if (status) { status.textContent = ok ? "Copied to the clipboard." :
            "Press Ctrl+C (or Cmd+C) to copy the selected text."; }
          btn.setAttribute("data-pg-copied", ok ? "1" : "0");
        });
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("button[data-pg-print]"), function (btn) {
      if (btn.getAttribute("data-pg-ready")) { return; }
      btn.setAttribute("data-pg-ready", "1");
      btn.hidden = false;
      btn.addEventListener("click", function () { window.print(); });
    });
  }
  function setupAll() { setup(); setupShare(); }
  nameSearchDialog();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setupAll);   /* Material's instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupAll);
  } else {
    setupAll();
  }
})();
