/* 现场执法 offline queue: the part that needs no page (issue 20). Loaded by the field pages
 * (records/field.js) and by the service worker (importScripts), so a Background Sync wake-up can
 * send the queue with no page open. Static file (the CSP allows no inline script).
 *
 *   zhifaFieldSync.db()                         the IndexedDB (vendored idb) "zhifa-field"
 *   zhifaFieldSync.rows(user)                   queued captures (all users when user is null)
 *   zhifaFieldSync.syncAll({user, csrf})        send them, oldest first; -> {done, stopped}
 *   zhifaFieldSync.sha256(blobOrText)           hex SHA-256 (SubtleCrypto)
 *   zhifaFieldSync.remember(user, csrf)         keep the CSRF token for the worker (store "meta")
 *
 * Stores: "queue" (keyPath uuid) — one row per capture: kind text/photo (a record: bytes through
 * the resumable chunked upload /api/v1/uploads, then POST /api/v1/records), signature (the party's
 * signature on a document version: POST /api/v1/documents/{doc}/signature), refusal (the party refused
 * to sign: the same call, outcome "refused", reason and witness) or print (an offline print:
 * POST /api/v1/documents/{doc}/prints). Every request carries the row's client UUID, so the server
 * answers a replay with the row it made (200) and nothing is created twice. A refusal with a rule is
 * final (the row stays, marked, with the server's message); a network error or 5xx leaves it for the
 * next try. The chunked upload's session id is kept in the row: a reload or a worker wake-up resumes
 * the bytes where the server stands.
 */
(function (root) {
  "use strict";
  var DB = "zhifa-field", STORE = "queue", META = "meta";
  var dbp = null;
  var CHUNK = 4 * 1024 * 1024;

  function db() {
    if (!dbp) {
      dbp = root.idb.openDB(DB, 2, {
        upgrade: function (d, oldVersion) {
          if (oldVersion < 1) { d.createObjectStore(STORE, {keyPath: "uuid"}).createIndex("case", "case"); }
          if (oldVersion < 2) { d.createObjectStore(META); }
        }
      });
    }
    return dbp;
  }
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
  }
  async function sha256(data) {
    var buf = typeof data === "string" ? new TextEncoder().encode(data) : await data.arrayBuffer();
    return hex(await crypto.subtle.digest("SHA-256", buf));
  }
  async function base64(blob) {
    var bytes = new Uint8Array(await blob.arrayBuffer()), out = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(out);
  }
  async function rows(user) {
    var all = await (await db()).getAll(STORE);
    return all.filter(function (r) { return user == null || String(r.user) === String(user); })
      .sort(function (a, b) { return a.deviceTime < b.deviceTime ? -1 : a.deviceTime > b.deviceTime ? 1 : 0; });
  }
  async function remember(user, csrf) {
    if (csrf) { await (await db()).put(META, {user: String(user), csrf: csrf}, "session"); }
  }
  async function session() { return (await db()).get(META, "session"); }

  function failure(status, json, fallback) {
    var e = new Error((json && json.message) || fallback || ("同步失败（HTTP " + status + "）"));
    e.status = status; e.rule = json && json.rule;
    return e;
  }
  async function call(method, url, csrf, body, headers) {
    var h = Object.assign({"Accept": "application/json", "X-CSRFToken": csrf}, headers || {});
    var res;
    try {
      res = await fetch(url, {method: method, credentials: "same-origin", headers: h, body: body});
    } catch (e) {
      var n = new Error("网络错误"); n.network = true; throw n;
    }
    var json = null;
    try { json = await res.json(); } catch (_) { /* not JSON */ }
    return {status: res.status, json: json};
  }
  async function postJSON(url, csrf, body) {
    var r = await call("POST", url, csrf, JSON.stringify(body), {"Content-Type": "application/json"});
    if (r.status === 200 || r.status === 201) { return r.json; }
    throw failure(r.status, r.json);
  }

  // The bytes of a row through /api/v1/uploads; the session id is kept in the row (resume).
  async function upload(r, csrf) {
    var base = "/api/v1/uploads", offset = 0, st = null;
    if (r.uploadId) {
      st = await call("GET", base + "/" + r.uploadId, csrf);
      if (st.status === 200 && st.json.state === "open") { offset = st.json.offset; } else { r.uploadId = null; }
    }
    if (!r.uploadId) {
      st = await call("POST", base, csrf, JSON.stringify({filename: r.filename, size: r.blob.size, sha256: r.sha256}),
                      {"Content-Type": "application/json"});
      if (st.status !== 201) { throw failure(st.status, st.json); }
      r.uploadId = st.json.id;
      await (await db()).put(STORE, r);
    }
    var url = base + "/" + r.uploadId;
    while (offset < r.blob.size) {
      var end = Math.min(r.blob.size, offset + CHUNK);
      var res = await call("PATCH", url, csrf, r.blob.slice(offset, end),
                           {"Content-Type": "application/octet-stream", "Upload-Offset": String(offset)});
      if (res.status === 200 || (res.status === 409 && res.json && res.json.rule === "upload.offset_mismatch")) {
        offset = res.json.offset;
      } else {
        throw failure(res.status, res.json);
      }
    }
    var done = await call("POST", url + "/complete", csrf, "", {"Content-Type": "application/json"});
    if (done.status !== 200) { throw failure(done.status, done.json); }
    return done.json;
  }

  async function syncOne(r, csrf) {
    if (r.kind === "signature") {
      return postJSON("/api/v1/documents/" + r.doc + "/signature", csrf, {
        client_uuid: r.uuid, document_sha256: r.docSha, outcome: "signed", signer_name: r.signerName,
        image: "data:image/png;base64," + await base64(r.blob), image_sha256: r.sha256, device_time: r.deviceTime
      });
    }
    if (r.kind === "refusal") {
      return postJSON("/api/v1/documents/" + r.doc + "/signature", csrf, {
        client_uuid: r.uuid, document_sha256: r.docSha, outcome: "refused", reason: r.reason, witness: r.witness,
        device_time: r.deviceTime
      });
    }
    if (r.kind === "print") {
      return postJSON("/api/v1/documents/" + r.doc + "/prints", csrf, {
        client_uuid: r.uuid, copies: r.copies, source: "device", content_sha256: r.sha256, device_time: r.deviceTime
      });
    }
    var up = await upload(r, csrf);
    var body = {
      "case": r.case, upload_id: up.sha256, title: r.title, proves: r.proves || "", place: r.place || "",
      captured_at: r.deviceTime, collectors: r.collectors, device: "现场执法（移动端）",
      client_uuid: r.uuid, device_sha256: r.sha256, device_time: r.deviceTime
    };
    if (r.latitude && r.longitude) { body.latitude = r.latitude; body.longitude = r.longitude; }
    return postJSON("/api/v1/records", csrf, body);
  }

  var running = null;
  // One run at a time per context; a second call waits for the first.
  function syncAll(opts) {
    if (running) { return running; }
    running = (async function () {
      opts = opts || {};
      var csrf = opts.csrf, user = opts.user;
      if (!csrf) { var s = await session(); if (!s) { return {done: 0, stopped: "no-session"}; } csrf = s.csrf; user = user == null ? s.user : user; }
      var done = 0, stopped = null;
      var list = (await rows(user)).filter(function (r) { return r.state !== "refused"; });
      for (var i = 0; i < list.length; i++) {
        var r = list[i];
        try {
          await syncOne(r, csrf);
          await (await db()).delete(STORE, r.uuid);
          done++;
        } catch (e) {
          if (e && (e.status === 401 || e.status === 403)) { stopped = "auth"; break; }
          if (e && e.rule && !(e.status >= 500)) {  // refused on its content: final, kept and shown
            r.state = "refused"; r.error = e.message; r.rule = e.rule;
            await (await db()).put(STORE, r);
            continue;
          }
          stopped = "network"; break;  // offline again or a server error: try later
        }
      }
      return {done: done, stopped: stopped};
    })();
    return running.finally(function () { running = null; });
  }

  root.zhifaFieldSync = {db: db, rows: rows, syncAll: syncAll, sha256: sha256, remember: remember, STORE: STORE};
})(typeof self !== "undefined" ? self : this);
