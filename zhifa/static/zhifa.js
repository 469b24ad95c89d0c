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
