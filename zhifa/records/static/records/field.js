/* 现场执法 offline capture queue (issue 20). Static file (the CSP allows no inline script).
 *
 * A capture (笔录 text or a photo) gets, on the device and at once: a client UUID
 * (crypto.randomUUID), the SHA-256 of its exact bytes (SubtleCrypto) and the device time. It is put
 * in IndexedDB (vendored `idb`), database "zhifa-field", store "queue", and stays there until the
 * server has registered it. Sync (on load, on `online`, every 30 s, on the "立即同步" button and on
 * a background-sync wake-up): the bytes go up through the resumable chunked upload
 * (blobs/chunked_upload.js, declared SHA-256 checked by the server), then POST /api/v1/records with
 * client_uuid, device_sha256 and device_time. 201 (new) or 200 (a replay: the record exists) removes
 * it from the queue; a refusal (4xx with a rule) keeps it, marked, with the server's message —
 * nothing is lost silently. The page registers the service worker (scope /records/field/).
 */
(function () {
  "use strict";
  var DB = "zhifa-field", STORE = "queue";
  var statusEl = document.querySelector("[data-field-status]");
  if (!statusEl || !window.idb) { return; }
  var userId = statusEl.dataset.user;
  var dbp = window.idb.openDB(DB, 1, {
    upgrade: function (db) {
      var s = db.createObjectStore(STORE, {keyPath: "uuid"});
      s.createIndex("case", "case");
    }
  });
  var syncing = false;

  function csrf() {
    var el = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (el) { return el.value; }
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function uuid4() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  async function sha256(blob) {
    var buf = await blob.arrayBuffer();
    var d = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
    return Array.prototype.map.call(d, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
  }
  function setText(sel, text) { document.querySelectorAll(sel).forEach(function (e) { e.textContent = text; }); }

  async function mine() {
    var db = await dbp;
    var all = await db.getAll(STORE);
    return all.filter(function (r) { return String(r.user) === String(userId); });
  }

  async function refresh() {
    var rows = await mine();
    var pending = rows.filter(function (r) { return r.state !== "refused"; }).length;
    setText("[data-pending-count]", String(pending));
    statusEl.classList.toggle("offline", !navigator.onLine);
    setText("[data-net]", navigator.onLine ? "在线" : "离线");
    var list = document.querySelector("[data-queue-list]");
    if (list) {
      list.textContent = "";
      rows.filter(function (r) { return String(r.case) === list.dataset.case; }).forEach(function (r) {
        var li = document.createElement("li");
        li.dataset.uuid = r.uuid;
        li.dataset.state = r.state;
        li.textContent = (r.kind === "photo" ? "照片" : "笔录") + "：" + r.title + " · " +
          r.deviceTime.replace("T", " ").slice(0, 19) + " · SHA-256 " + r.sha256.slice(0, 12) + "…";
        if (r.state === "refused") {
          var s = document.createElement("div"); s.className = "refused";
          s.textContent = "未登记：" + r.error + (r.rule ? "（" + r.rule + "）" : "");
          li.appendChild(s);
        }
        list.appendChild(li);
      });
      if (!list.children.length) {
        var e = document.createElement("li"); e.className = "muted"; e.textContent = "本案没有待同步的记录"; list.appendChild(e);
      }
    }
    return pending;
  }

  async function syncOne(r) {
    var file = new File([r.blob], r.filename, {type: r.blob.type, lastModified: Date.parse(r.deviceTime) || 0});
    var up = await window.zhifaUpload(file, {sha256: r.sha256, retries: 2});
    var body = {
      "case": r.case, upload_id: up.sha256, title: r.title, proves: r.proves || "", place: r.place || "",
      captured_at: r.deviceTime, collectors: r.collectors, device: "现场执法（移动端）",
      client_uuid: r.uuid, device_sha256: r.sha256, device_time: r.deviceTime
    };
    if (r.latitude && r.longitude) { body.latitude = r.latitude; body.longitude = r.longitude; }
    var res = await fetch("/api/v1/records", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify(body)
    });
    var json = null;
    try { json = await res.json(); } catch (_) { /* not JSON */ }
    if (res.status === 200 || res.status === 201) { return {ok: true, record: json}; }
    var err = new Error((json && json.message) || ("同步失败（HTTP " + res.status + "）"));
    err.rule = json && json.rule; err.status = res.status;
    throw err;
  }

  async function sync() {
    if (syncing || !navigator.onLine || !window.zhifaUpload) { return refresh(); }
    syncing = true;
    var done = 0;
    try {
      var rows = (await mine()).filter(function (r) { return r.state !== "refused"; });
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        try {
          await syncOne(r);
          await (await dbp).delete(STORE, r.uuid);
          done++;
        } catch (e) {
          // A refusal of the content or the record (4xx with a rule) is final: kept and shown.
          // A network failure or a 5xx leaves it pending for the next try.
          if (e && e.rule && e.status !== 401 && e.status !== 403 && !(e.status >= 500)) {
            r.state = "refused"; r.error = e.message; r.rule = e.rule;
            await (await dbp).put(STORE, r);
          } else if (e && (e.status === 401 || e.status === 403)) {
            setText("[data-sync-message]", "登录已失效，请重新登录后同步（记录仍保存在本机）");
            break;
          } else {
            break;  // offline again: stop, try later
          }
        }
      }
      if (done) { setText("[data-sync-message]", "已同步 " + done + " 条"); }
    } finally {
      syncing = false;
    }
    return refresh();
  }

  async function capture(form) {
    var kind = form.querySelector("input[name=kind]:checked").value;
    var title = form.title.value.trim();
    var msg = form.querySelector("[data-capture-message]");
    var collectors = Array.prototype.map.call(form.querySelectorAll("input[name=collectors]:checked"),
      function (c) { return parseInt(c.value, 10); });
    if (!title) { msg.textContent = "请填写名称"; form.title.focus(); return; }
    if (!collectors.length) { msg.textContent = "请勾选采集人"; return; }
    var blobs = [];
    if (kind === "text") {
      var text = form.text.value;
      if (!text.trim()) { msg.textContent = "笔录内容不能为空"; form.text.focus(); return; }
      blobs.push({blob: new Blob([text], {type: "text/plain;charset=utf-8"}), filename: title + ".txt"});
    } else {
      var files = form.photo.files;
      if (!files.length) { msg.textContent = "请拍摄或选择照片"; return; }
      for (var i = 0; i < files.length; i++) { blobs.push({blob: files[i], filename: files[i].name || ("照片" + (i + 1) + ".jpg")}); }
    }
    var db = await dbp;
    for (var j = 0; j < blobs.length; j++) {
      var b = blobs[j];
      // The digest and the clock are taken now, on the device, before anything leaves it.
      var rec = {
        uuid: uuid4(), user: userId, "case": parseInt(form.dataset.case, 10), kind: kind,
        title: blobs.length > 1 ? title + "（" + (j + 1) + "）" : title,
        proves: form.proves.value.trim(), place: form.place.value.trim(),
        latitude: form.latitude.value.trim(), longitude: form.longitude.value.trim(),
        collectors: collectors, deviceTime: new Date().toISOString(), sha256: await sha256(b.blob),
        blob: b.blob, filename: b.filename, state: "pending"
      };
      await db.put(STORE, rec);
    }
    msg.textContent = "已保存到本机 " + blobs.length + " 条" + (navigator.onLine ? "，正在同步……" : "，联网后自动同步");
    form.title.value = ""; if (form.text) { form.text.value = ""; } if (form.photo) { form.photo.value = ""; }
    await refresh();
    requestBackgroundSync();
    if (navigator.onLine) { sync(); }
  }

  function requestBackgroundSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync) { return reg.sync.register("zhifa-field-sync"); }
    }).catch(function () { /* not supported: the page retries on `online` */ });
  }

  // The capture form.
  document.querySelectorAll("form[data-field-capture]").forEach(function (form) {
    function showKind() {
      var k = form.querySelector("input[name=kind]:checked").value;
      form.querySelectorAll("[data-for]").forEach(function (row) { row.hidden = row.dataset.for !== k; });
    }
    form.addEventListener("change", function (e) { if (e.target.name === "kind") { showKind(); } });
    showKind();
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      capture(form).catch(function (err) {
        form.querySelector("[data-capture-message]").textContent = "保存失败：" + (err && err.message ? err.message : err);
      });
    });
    var geo = form.querySelector("[data-geo]");
    if (geo && navigator.geolocation) {
      geo.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (p) {
          form.latitude.value = p.coords.latitude.toFixed(6);
          form.longitude.value = p.coords.longitude.toFixed(6);
        });
      });
    }
  });

  document.querySelectorAll("[data-sync-now]").forEach(function (b) { b.addEventListener("click", function () { sync(); }); });
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", function () { refresh(); });
  setInterval(function () { if (navigator.onLine) { sync(); } }, 30000);

  // The service worker keeps the field pages; the list page asks it to keep every open case's page.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(statusEl.dataset.sw, {scope: "/records/field/"}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      var urls = Array.prototype.map.call(document.querySelectorAll("a[data-field-page]"), function (a) { return a.href; });
      urls.push(location.href);
      if (reg.active && navigator.onLine) { reg.active.postMessage({type: "cache-pages", urls: urls}); }
      document.documentElement.dataset.swReady = "1";
    }).catch(function () { /* no service worker (e.g. plain http): pages still work online */ });
    var controlled = function () {
      if (navigator.serviceWorker.controller) { document.documentElement.dataset.swControlled = "1"; }
    };
    controlled();
    navigator.serviceWorker.addEventListener("controllerchange", controlled);
    navigator.serviceWorker.addEventListener("message", function (e) { if (e.data && e.data.type === "sync") { sync(); } });
  }
  if (navigator.storage && navigator.storage.persist) { navigator.storage.persist().catch(function () {}); }

  window.zhifaField = {sync: sync, refresh: refresh, pending: function () { return mine(); }};
  refresh().then(function () { if (navigator.onLine) { return sync(); } });
})();
