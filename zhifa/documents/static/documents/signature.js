/* The party's signature pad (issue 20): a canvas drawn with pointer events (finger, stylus, mouse).
   On submit the drawing goes into the hidden input as a PNG data URL; an empty pad is not sent.
   No inline script: the page's CSP allows scripts from this origin only.
   A form marked data-field-sign (the offline field page) is not posted: the pad is exposed as
   form.zhifaPad = {empty(), png(), clear()} and records/field.js keeps the drawing in the device's queue. */
(function () {
  "use strict";
  function setup(form) {
    var canvas = form.querySelector("[data-signature-pad]");
    var out = form.querySelector("[data-signature-image]");
    var msg = form.querySelector("[data-signature-message]");
    var ctx = canvas.getContext("2d");
    var drawing = false, strokes = 0, last = null;

    function size() {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var rect = canvas.getBoundingClientRect();
      canvas.width = Math.round(rect.width * ratio);
      canvas.height = Math.round(rect.height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#000";
      strokes = 0;
    }
    function point(e) {
      var rect = canvas.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    }
    canvas.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      canvas.setPointerCapture(e.pointerId);
      drawing = true; last = point(e);
      ctx.beginPath(); ctx.arc(last.x, last.y, 1.2, 0, Math.PI * 2); ctx.fill();
      strokes += 1;
      if (msg) msg.textContent = "";
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      e.preventDefault();
      var p = point(e);
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      last = p;
    });
    function stop() { drawing = false; }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);
    function clear() { ctx.clearRect(0, 0, canvas.width, canvas.height); strokes = 0; if (out) out.value = ""; }
    form.querySelector("[data-signature-clear]").addEventListener("click", clear);
    form.zhifaPad = {
      empty: function () { return !strokes; },
      png: function () { return canvas.toDataURL("image/png"); },
      clear: clear
    };
    // A pad inside a closed <details> has no size yet: size it when opened.
    var box = form.closest("details");
    if (box) box.addEventListener("toggle", function () { if (!strokes) size(); });
    if (form.hasAttribute("data-field-sign")) { size(); window.addEventListener("resize", function () { if (!strokes) size(); }); return; }
    form.addEventListener("submit", function (e) {
      if (!strokes) {
        e.preventDefault();
        if (msg) msg.textContent = "请当事人先在框内签名";
        return;
      }
      out.value = canvas.toDataURL("image/png");
    });
    size();
    window.addEventListener("resize", function () { if (!strokes) size(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-signature-form]").forEach(setup);
  });
})();
