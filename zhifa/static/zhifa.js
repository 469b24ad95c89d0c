/* Small page behaviours, declared with data attributes instead of inline handlers (the Content
   Security Policy allows no inline script). Delegated from the document, so content swapped in by
   HTMX behaves the same. */
(function () {
  "use strict";
  // <select data-autosubmit>: submit the form on change.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
  });
  // <form data-confirm="…">: ask before submitting.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f && f.dataset && f.dataset.confirm && !window.confirm(f.dataset.confirm)) { e.preventDefault(); }
  }, true);
  // <a data-base="…" data-keep-query>: follow with the page's current query string (filters).
  document.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a[data-keep-query]") : null;
    if (a) { a.href = a.dataset.base + window.location.search; }
  }, true);
})();
(function () {
  "use strict";
  // Header menus: opening one closes the others; a click elsewhere closes them all.
  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!d || !d.matches || !d.matches("details[data-menu]") || !d.open) { return; }
    document.querySelectorAll("details[data-menu][open]").forEach(function (o) { if (o !== d) { o.open = false; } });
  }, true);
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("details[data-menu]")) { return; }
    document.querySelectorAll("details[data-menu][open]").forEach(function (o) { o.open = false; });
  });
  // Tabs: <div data-tabs> with <a data-tab="id" href="#id"> and sections .tabpanel; the section named in
  // the URL's hash is shown (so #action-… links and reloads land on the right tab). Without script
  // every section shows, one after another.
  function showTab(root, id) {
    var panels = root.querySelectorAll(".tabpanel");
    var found = false;
    panels.forEach(function (p) { if (p.id === id) { found = true; } });
    if (!found) { id = panels.length ? panels[0].id : ""; }
    panels.forEach(function (p) { p.hidden = p.id !== id; });
    root.querySelectorAll("[data-tab]").forEach(function (a) {
      a.setAttribute("aria-selected", a.dataset.tab === id ? "true" : "false");
    });
  }
  function panelOf(root, hash) {
    if (!hash) { return ""; }
    var el = document.getElementById(hash.slice(1));
    var p = el && el.closest ? el.closest(".tabpanel") : null;
    return p && root.contains(p) ? p.id : "";
  }
  function init() {
    // 流程进度条: on a narrow screen the bar scrolls; bring the current step into view.
    document.querySelectorAll(".progress").forEach(function (bar) {
      var cur = bar.querySelector("li.current, li.off");
      if (cur) { bar.scrollLeft = Math.max(0, cur.offsetLeft - bar.offsetLeft - (bar.clientWidth - cur.offsetWidth) / 2); }
    });
    document.querySelectorAll("[data-tabs]").forEach(function (root) {
      root.classList.add("tabbed");
      showTab(root, panelOf(root, window.location.hash));
    });
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("[data-tab]") : null;
    if (!a) { return; }
    var root = a.closest("[data-tabs]");
    if (!root) { return; }
    e.preventDefault();
    showTab(root, a.dataset.tab);
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "#" + a.dataset.tab); }
  });
  // <a data-jump="id" data-jump-tab="tab-…">: show that tab, then open and scroll to the element
  // (a <details> form of a panel that HTMX may still be loading).
  function jump(id) {
    var el = document.getElementById(id);
    if (!el) { return false; }
    if (el.tagName === "DETAILS") { el.open = true; }
    el.scrollIntoView({block: "start"});
    return true;
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[data-jump]") : null;
    if (!a) { return; }
    e.preventDefault();
    var root = a.closest("[data-tabs]") || document.querySelector("[data-tabs]");
    if (root && a.dataset.jumpTab) { showTab(root, a.dataset.jumpTab); }
    if (!jump(a.dataset.jump)) {
      document.body.addEventListener("htmx:afterSettle", function again() {
        if (jump(a.dataset.jump)) { document.body.removeEventListener("htmx:afterSettle", again); }
      });
    }
  });
  window.addEventListener("hashchange", function () {
    document.querySelectorAll("[data-tabs]").forEach(function (root) {
      var id = panelOf(root, window.location.hash);
      if (id) { showTab(root, id); }
    });
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
