/* 执法记录仪 large files, chunked and resumable, exactly once (issue 20). Static file (CSP: no inline script).
 *
 * For each chosen file: the whole file's SHA-256 is computed on the device in one streaming pass
 * (an incremental SHA-256 below: SubtleCrypto has no streaming digest, and a recorder file may not fit
 * in memory), the file gets a client UUID; both are kept in localStorage under the file's name, size
 * and date, so a reloaded page resumes the same upload. POST /api/v1/recorder-uploads opens it (or
 * answers where the server stands), each chunk is PUT with its own SHA-256 (header Chunk-SHA256,
 * SubtleCrypto), from the server's `received_chunks` on; a network error or a 5xx waits, asks the
 * server where it stands and goes on from there; POST …/complete has the whole file's digest checked
 * and the file registered as one record (again: the same record).
 */
(function () {
  "use strict";

  // ---- incremental SHA-256 (FIPS 180-4) ------------------------------------------------------
  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

  function Sha256() {
    this.h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    this.w = new Uint32Array(64);
    this.buf = new Uint8Array(64);
    this.bufLen = 0;
    this.length = 0;
  }
  Sha256.prototype.block = function (p, off) {
    var w = this.w, h = this.h, i, t1, t2;
    for (i = 0; i < 16; i++) {
      w[i] = (p[off + 4 * i] << 24) | (p[off + 4 * i + 1] << 16) | (p[off + 4 * i + 2] << 8) | p[off + 4 * i + 3];
    }
    for (i = 16; i < 64; i++) {
      var a = w[i - 15], b = w[i - 2];
      var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    var A = h[0], B = h[1], C = h[2], D = h[3], E = h[4], F = h[5], G = h[6], H = h[7];
    for (i = 0; i < 64; i++) {
      var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
      var ch = (E & F) ^ (~E & G);
      t1 = (H + S1 + ch + K[i] + w[i]) | 0;
      var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
      var maj = (A & B) ^ (A & C) ^ (B & C);
      t2 = (S0 + maj) | 0;
      H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
    }
    h[0] += A; h[1] += B; h[2] += C; h[3] += D; h[4] += E; h[5] += F; h[6] += G; h[7] += H;
  };
  Sha256.prototype.update = function (bytes) {
    var i = 0, n = bytes.length;
    this.length += n;
    if (this.bufLen) {
      while (i < n && this.bufLen < 64) { this.buf[this.bufLen++] = bytes[i++]; }
      if (this.bufLen === 64) { this.block(this.buf, 0); this.bufLen = 0; }
    }
    for (; i + 64 <= n; i += 64) { this.block(bytes, i); }
    while (i < n) { this.buf[this.bufLen++] = bytes[i++]; }
    return this;
  };
  Sha256.prototype.hex = function () {
    var bits = this.length * 8;
    var pad = new Uint8Array(((this.bufLen < 56) ? 56 : 120) - this.bufLen + 8);
    pad[0] = 0x80;
    var hi = Math.floor(bits / 0x100000000), lo = bits >>> 0, e = pad.length;
    pad[e - 8] = hi >>> 24; pad[e - 7] = hi >>> 16; pad[e - 6] = hi >>> 8; pad[e - 5] = hi;
    pad[e - 4] = lo >>> 24; pad[e - 3] = lo >>> 16; pad[e - 2] = lo >>> 8; pad[e - 1] = lo;
    var len = this.length;
    this.update(pad);
    this.length = len;
    return Array.prototype.map.call(this.h, function (x) { return ("00000000" + (x >>> 0).toString(16)).slice(-8); }).join("");
  };

  // ---- the upload ----------------------------------------------------------------------------
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var el = document.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }
  function uuid4() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  async function hexDigest(buf) {
    var d = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
    return Array.prototype.map.call(d, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
  }
  async function call(method, url, body, headers) {
    var res;
    try {
      res = await fetch(url, {method: method, credentials: "same-origin", body: body,
        headers: Object.assign({"Accept": "application/json", "X-CSRFToken": csrf()}, headers || {})});
    } catch (e) {
      return {status: 0, json: null};  // the network: transient
    }
    var json = null;
    try { json = await res.json(); } catch (_) { /* not JSON */ }
    return {status: res.status, json: json};
  }
  function transient(r) { return r.status === 0 || r.status >= 500 || r.status === 429; }
  function refused(r) {
    var e = new Error((r.json && r.json.message) || ("上传失败（HTTP " + r.status + "）"));
    e.rule = r.json && r.json.rule;
    return e;
  }

  async function wholeDigest(file, chunk, show) {
    var h = new Sha256();
    for (var off = 0; off < file.size; off += chunk) {
      h.update(new Uint8Array(await file.slice(off, Math.min(file.size, off + chunk)).arrayBuffer()));
      show("计算SHA-256 " + Math.round(100 * Math.min(file.size, off + chunk) / file.size) + "%");
    }
    return h.hex();
  }

  async function uploadOne(file, form, li) {
    var bar = li.querySelector("progress"), text = li.querySelector("span");
    function show(t) { text.textContent = file.name + "：" + t; }
    var chunk = parseInt(form.dataset.chunk, 10) || 4 * 1024 * 1024;
    var key = "zhifaRecorder:" + form.dataset.case + ":" + file.name + ":" + file.size + ":" + (file.lastModified || 0);
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (_) { saved = null; }
    if (!saved) {
      saved = {uuid: uuid4(), sha256: await wholeDigest(file, chunk, show)};
      try { window.localStorage.setItem(key, JSON.stringify(saved)); } catch (_) { /* private mode */ }
    }
    li.dataset.uuid = saved.uuid; li.dataset.sha256 = saved.sha256;
    var collectors = Array.prototype.map.call(document.querySelectorAll("input[name=collectors]:checked"),
      function (c) { return parseInt(c.value, 10); });
    var device = document.getElementById("r-device");
    var body = JSON.stringify({client_uuid: saved.uuid, "case": parseInt(form.dataset.case, 10), filename: file.name,
      size: file.size, sha256: saved.sha256, chunk_size: chunk, collectors: collectors,
      device: device ? device.value : ""});
    var base = "/api/v1/recorder-uploads", st, failures = 0;
    for (;;) {  // open (or find) the upload
      st = await call("POST", base, body, {"Content-Type": "application/json"});
      if (!transient(st)) { break; }
      show("网络中断，等待重试……"); await sleep(Math.min(15000, 500 * Math.pow(2, failures++)));
    }
    if (st.status !== 200 && st.status !== 201) { throw refused(st); }
    var up = st.json, url = base + "/" + saved.uuid;
    if (up.state === "complete") {
      li.dataset.state = "done"; li.dataset.record = up.record; bar.value = 1; show("已登记（此前已上传）");
      return;
    }
    var next = up.received_chunks, count = up.chunk_count;
    failures = 0;
    while (next < count) {
      bar.value = next / count;
      show("上传第" + (next + 1) + "/" + count + "块");
      var buf = await file.slice(next * up.chunk_size, Math.min(file.size, (next + 1) * up.chunk_size)).arrayBuffer();
      var r = await call("PUT", url + "/chunks/" + next, buf,
                         {"Content-Type": "application/octet-stream", "Chunk-SHA256": await hexDigest(buf)});
      if (r.status === 200) { next = r.json.received_chunks; failures = 0; continue; }
      if (transient(r) || (r.json && (r.json.rule === "records.chunk_hash" || r.json.rule === "records.chunk_size"))) {
        // Dropped or damaged on the way: wait, ask where the server stands, go on from there.
        if (++failures > 12) { throw new Error("多次重试仍无法上传，请稍后再试（已上传的块会保留）"); }
        show("连接中断，" + Math.round(Math.min(15000, 500 * Math.pow(2, failures - 1)) / 1000) + "秒后从服务器进度续传");
        await sleep(Math.min(15000, 500 * Math.pow(2, failures - 1)));
        var s = await call("GET", url);
        if (s.status === 200) { next = s.json.received_chunks; }
        continue;
      }
      if (r.json && r.json.rule === "records.chunk_order") {
        var s2 = await call("GET", url);
        if (s2.status === 200) { next = s2.json.received_chunks; continue; }
      }
      throw refused(r);
    }
    bar.value = 1;
    show("核对整个文件的SHA-256……");
    var done;
    for (failures = 0; ; failures++) {
      done = await call("POST", url + "/complete", "{}", {"Content-Type": "application/json"});
      if (!transient(done) || failures > 8) { break; }
      await sleep(Math.min(15000, 500 * Math.pow(2, failures)));
    }
    if (done.status !== 200 && done.status !== 201) { throw refused(done); }
    try { window.localStorage.removeItem(key); } catch (_) { /* ignore */ }
    li.dataset.state = "done"; li.dataset.record = done.json.id;
    show("已登记，SHA-256 " + saved.sha256.slice(0, 12) + "…");
  }

  function setup(form) {
    var list = form.querySelector("[data-recorder-list]"), msg = form.querySelector("[data-recorder-message]");
    form.addEventListener("submit", async function (e) {
      e.preventDefault();
      var files = form.files.files;
      if (!files.length) { msg.textContent = "请选择文件"; return; }
      if (!document.querySelector("input[name=collectors]:checked")) { msg.textContent = "请勾选采集人"; return; }
      msg.textContent = "";
      var ok = 0;
      for (var i = 0; i < files.length; i++) {
        var li = document.createElement("li");
        li.dataset.state = "uploading";
        li.appendChild(document.createElement("span"));
        var bar = document.createElement("progress"); bar.max = 1; bar.value = 0; li.appendChild(bar);
        list.appendChild(li);
        try {
          await uploadOne(files[i], form, li);
          ok++;
        } catch (err) {
          li.dataset.state = "refused";
          li.querySelector("span").textContent = files[i].name + "：未登记 — " + err.message + (err.rule ? "（" + err.rule + "）" : "");
        }
      }
      msg.textContent = "已登记 " + ok + " 个文件，共 " + files.length + " 个";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-recorder-upload]").forEach(setup);
  });
  window.zhifaSha256 = function (bytes) { return new Sha256().update(bytes).hex(); };
})();
