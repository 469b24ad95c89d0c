/* 现场执法 offline capture queue (issue 20): the page's part. Static file (the CSP allows no inline script).
 *
 * A capture — a 笔录 text, photos, the party's signature on a document version, an offline print —
 * gets, on the device and at once: a client UUID (crypto.randomUUID), the SHA-256 of its exact bytes
 * (SubtleCrypto; for a print, of the text printed) and the device time. It is put in IndexedDB
 * (vendored `idb`, database "zhifa-field", store "queue", see records/field-sync.js) and stays there
 * until the server has registered it. Sync (records/field-sync.js): on load, on `online`, every 30 s,
 * on the "立即同步" button, and by the service worker's Background Sync where the browser has it
 * (the worker sends the queue itself when no field page is open). A refusal with a rule is kept,
 * marked, with the server's message — nothing is lost silently. The page registers the service worker
 * (scope /records/field/).
 */
(function () {
  "use strict";
  var statusEl = document.querySelector("[data-field-status]");
  if (!statusEl || !window.idb || !window.zhifaFieldSync) { return; }
  var core = window.zhifaFieldSync, STORE = core.STORE;
  var userId = statusEl.dataset.user;
  var dbp = core.db();
  var KINDS = {text: "笔录", photo: "照片", signature: "签名", refusal: "拒绝签名", print: "打印"};

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
  var sha256 = core.sha256;
  function setText(sel, text) { document.querySelectorAll(sel).forEach(function (e) { e.textContent = text; }); }

  function mine() { return core.rows(userId); }

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
        li.textContent = (KINDS[r.kind] || "记录") + "：" + r.title + " · " +
          r.deviceTime.replace("T", " ").slice(0, 19) + (r.sha256 ? " · SHA-256 " + r.sha256.slice(0, 12) + "…" : "");
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

  async function sync() {
    if (!navigator.onLine) { return refresh(); }
    var token = csrf();
    await core.remember(userId, token);
    var out = await core.syncAll({user: userId, csrf: token});
    if (out.stopped === "auth") { setText("[data-sync-message]", "登录已失效，请重新登录后同步（记录仍保存在本机）"); }
    if (out.done) { setText("[data-sync-message]", "已同步 " + out.done + " 条"); }
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

  function newRow(form, kind, fields) {
    return Object.assign({
      uuid: uuid4(), user: userId, "case": parseInt(form.dataset.case, 10), kind: kind,
      deviceTime: new Date().toISOString(), state: "pending"
    }, fields);
  }
  function pngBlob(dataUrl) {
    var bin = atob(dataUrl.split(",")[1]), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
    return new Blob([bytes], {type: "image/png"});
  }
  async function queued(rec) {
    await (await dbp).put(STORE, rec);
    await refresh();
    requestBackgroundSync();
    if (navigator.onLine) { sync(); }
  }

  // The party's signature on the document version shown (its .docx SHA-256), kept on the device.
  async function captureSignature(form) {
    var msg = form.querySelector("[data-signature-message]");
    var name = form.signer_name.value.trim();
    if (!name) { msg.textContent = "请填写签名人姓名"; form.signer_name.focus(); return; }
    if (!form.zhifaPad || form.zhifaPad.empty()) { msg.textContent = "请当事人先在框内签名"; return; }
    var blob = pngBlob(form.zhifaPad.png());
    var rec = newRow(form, "signature", {
      doc: parseInt(form.dataset.doc, 10), docSha: form.dataset.sha, signerName: name,
      title: form.dataset.label + "（" + name + "）", blob: blob, filename: "signature.png", sha256: await sha256(blob)
    });
    await queued(rec);
    form.zhifaPad.clear(); form.signer_name.value = "";
    form.hidden = true;
    var note = document.createElement("p");
    note.className = "msg"; note.dataset.testid = "field-sign-saved";
    note.textContent = "当事人签名已保存到本机" + (navigator.onLine ? "，正在同步" : "，联网后自动同步");
    form.parentNode.insertBefore(note, form);
  }

  // 当事人拒绝签名: the reason and a witness, noted on the version shown, kept on the device.
  async function captureRefusal(form) {
    var msg = form.querySelector("[data-refuse-message]");
    var reason = form.reason.value.trim(), witness = form.witness.value.trim();
    if (!reason) { msg.textContent = "请注明当事人拒绝签名的原因"; form.reason.focus(); return; }
    if (!witness) { msg.textContent = "请填写见证人"; form.witness.focus(); return; }
    await queued(newRow(form, "refusal", {
      doc: parseInt(form.dataset.doc, 10), docSha: form.dataset.sha, reason: reason, witness: witness,
      title: form.dataset.label + "（拒绝签名，见证人" + witness + "）"
    }));
    var sign = form.closest("[data-field-doc]").querySelector("form[data-field-sign]");
    if (sign) { sign.hidden = true; }
    form.hidden = true;
    msg.textContent = "";
    var note = document.createElement("p");
    note.className = "msg"; note.dataset.testid = "field-refuse-saved";
    note.textContent = "已注明拒绝签名并保存到本机" + (navigator.onLine ? "，正在同步" : "，联网后自动同步");
    form.parentNode.insertBefore(note, form);
  }

  // Print the cached text through the OS dialog (A4) and queue the print's log (count, text digest).
  async function printDocument(form) {
    var li = form.closest("[data-field-doc]");
    var src = li.querySelector("[data-doc-text]");
    var text = src.textContent;
    var copies = parseInt(form.copies.value, 10) || 1;
    var digest = await sha256(text);
    var old = document.querySelector(".print-sheet");
    if (old) { old.remove(); }
    var sheet = document.createElement("div");
    sheet.className = "print-sheet";
    var h = document.createElement("h1"); h.textContent = src.dataset.label; sheet.appendChild(h);
    if (src.dataset.number) { var n = document.createElement("p"); n.textContent = src.dataset.number; sheet.appendChild(n); }
    var b = document.createElement("div"); b.className = "body"; b.textContent = text; sheet.appendChild(b);
    var f = document.createElement("p"); f.className = "foot";
    f.textContent = "第" + src.dataset.version + "版 · 文字SHA-256：" + digest + " · 本机打印 " + new Date().toLocaleString("zh-CN");
    sheet.appendChild(f);
    document.body.appendChild(sheet);
    document.body.classList.add("printing");
    try { window.print(); } finally { document.body.classList.remove("printing"); }
    await queued(newRow(form, "print", {
      doc: parseInt(form.dataset.doc, 10), copies: copies, title: src.dataset.label + " " + copies + "份", sha256: digest
    }));
  }

  document.querySelectorAll("form[data-field-sign]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      captureSignature(form).catch(function (err) {
        form.querySelector("[data-signature-message]").textContent = "保存失败：" + (err && err.message ? err.message : err);
      });
    });
  });
  document.querySelectorAll("form[data-field-refuse]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      captureRefusal(form).catch(function (err) {
        form.querySelector("[data-refuse-message]").textContent = "保存失败：" + (err && err.message ? err.message : err);
      });
    });
  });
  document.querySelectorAll("form[data-field-print]").forEach(function (form) {
    form.addEventListener("submit", function (e) { e.preventDefault(); printDocument(form); });
  });

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
  core.remember(userId, csrf()).catch(function () {});
  refresh().then(function () { if (navigator.onLine) { return sync(); } });
})();
