// 执法指挥: the "使用手机定位" button fills the position fields from the phone's geolocation (optional:
// without it, or refused, the officer types the coordinates or the place). No inline script (CSP).
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    document.querySelectorAll("[data-geo-form]").forEach(function (box) {
      var btn = box.querySelector("[data-geo]");
      if (!btn || !navigator.geolocation) { return; }
      btn.hidden = false;
      var status = box.querySelector("[data-geo-status]");
      btn.addEventListener("click", function () {
        status.textContent = "正在定位…";
        navigator.geolocation.getCurrentPosition(function (p) {
          box.querySelector("[data-geo-lat]").value = p.coords.latitude.toFixed(6);
          box.querySelector("[data-geo-lon]").value = p.coords.longitude.toFixed(6);
          var acc = box.querySelector("[data-geo-accuracy]");
          if (acc) { acc.value = Math.round(p.coords.accuracy); }
          var src = box.querySelector("[data-geo-source]");
          if (src) { src.value = "gps"; }
          status.textContent = "已定位（精度约" + Math.round(p.coords.accuracy) + "米）";
        }, function (err) {
          status.textContent = "未能定位（" + (err && err.message ? err.message : "已拒绝") + "），请手工填写位置";
        }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
      });
      box.querySelectorAll("[data-geo-lat],[data-geo-lon]").forEach(function (input) {
        input.addEventListener("input", function () {
          var src = box.querySelector("[data-geo-source]");
          if (src) { src.value = "manual"; }
        });
      });
    });
  });
})();
