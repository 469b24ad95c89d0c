// Records panel: send a chosen file through the resumable chunked upload first, then submit
// the form with the upload id only (so a multi-GB video never travels as one request), and
// fill in coordinates from the device when asked. Without JavaScript the form posts the file.
(function () {
  function bind(root) {
    root.querySelectorAll("form.records-add[data-chunked]:not([data-bound])").forEach(function (form) {
      form.dataset.bound = "1";
      var geo = form.querySelector("[data-geo]");
      if (geo && navigator.geolocation) {
        geo.addEventListener("click", function () {
          navigator.geolocation.getCurrentPosition(function (p) {
            form.latitude.value = p.coords.latitude.toFixed(6);
            form.longitude.value = p.coords.longitude.toFixed(6);
          });
        });
      }
      form.addEventListener("submit", function (ev) {
        var input = form.querySelector("input[type=file]");
        if (!window.zhifaUpload || !input || !input.files.length || form.upload_id.value) return;
        ev.preventDefault(); ev.stopImmediatePropagation();
        var bar = form.querySelector("progress"); bar.hidden = false;
        var file = input.files[0];
        window.zhifaUpload(file, {onProgress: function (p) { bar.value = 100 * (p.fraction || 0); }})
          .then(function (res) {
            form.upload_id.value = res.sha256; input.value = "";
            if (window.htmx) { htmx.trigger(form, "submit"); } else { form.submit(); }
          })
          .catch(function (err) { bar.hidden = true; alert("上传失败：" + (err && err.message ? err.message : err)); });
      }, true);
    });
  }
  bind(document);
  document.addEventListener("htmx:load", function (e) { bind(e.target); });
})();
