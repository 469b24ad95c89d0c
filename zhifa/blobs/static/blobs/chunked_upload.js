/* Resumable chunked upload of an evidence file to /api/v1/uploads (no build chain).
 *
 *   zhifaUpload(file, {onProgress, signal, sha256, chunkSize, retries, apiBase})
 *     -> Promise<{sha256, sm3, size, mime, kind, kind_display}>
 *
 * Uses the page's session cookie and CSRF token (cookie "csrftoken", a csrfmiddlewaretoken
 * input or <meta name="csrf-token">). Each chunk is PATCHed with its offset; on a network error
 * or a 5xx answer it asks the server where it stands and resumes from there (with back-off),
 * and a 409 upload.offset_mismatch answer carries the offset to resume from. The session id is
 * kept in localStorage per file (name, size, date), so a reloaded page resumes too.
 * onProgress({loaded, total, fraction}) is called as bytes go out. Refusals (wrong type,
 * digest…) reject with an Error whose .rule and .message come from the server (Chinese).
 */
(function () {
  "use strict";

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var el = document.querySelector("input[name=csrfmiddlewaretoken]") || document.querySelector("meta[name=csrf-token]");
    return el ? (el.value || el.content) : "";
  }

  function ApiError(status, body) {
    var e = new Error((body && body.message) || ("上传失败（HTTP " + status + "）"));
    e.status = status;
    e.rule = body && body.rule;
    e.body = body;
    return e;
  }

  // XMLHttpRequest rather than fetch: it reports upload progress within a chunk.
  function send(method, url, body, headers, onUpload, signal) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      Object.keys(headers || {}).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
      if (onUpload) xhr.upload.onprogress = function (ev) { onUpload(ev.loaded); };
      xhr.onload = function () {
        var json = null;
        try { json = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch (_) { /* not JSON */ }
        resolve({status: xhr.status, json: json});
      };
      xhr.onerror = xhr.ontimeout = function () { reject(Object.assign(new Error("网络错误"), {network: true})); };
      if (signal) {
        if (signal.aborted) { reject(new DOMException("已取消", "AbortError")); return; }
        signal.addEventListener("abort", function () { xhr.abort(); reject(new DOMException("已取消", "AbortError")); });
      }
      xhr.send(body);
    });
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function transient(err, res) {
    return (err && err.network) || (res && (res.status >= 500 || res.status === 429 || res.status === 0));
  }

  async function zhifaUpload(file, opts) {
    opts = opts || {};
    var base = (opts.apiBase || "/api/v1/uploads").replace(/\/$/, "");
    var retries = opts.retries == null ? 8 : opts.retries;
    var onProgress = opts.onProgress || function () {};
    var key = "zhifaUpload:" + file.name + ":" + file.size + ":" + (file.lastModified || 0);
    var json = {"Content-Type": "application/json"};

    function backoff(attempt) { return sleep(Math.min(30000, 500 * Math.pow(2, attempt))); }

    async function call(method, url, body, headers, onUpload) {
      // Retries transient failures; returns the last answer (callers look at the status). A
      // chunk (onUpload given) is sent once: null on a transient failure, the caller resumes.
      for (var attempt = 0; ; attempt++) {
        var res = null, err = null;
        try { res = await send(method, url, body, headers, onUpload, opts.signal); } catch (e) { err = e; }
        if (err && err.name === "AbortError") throw err;
        if (!transient(err, res)) return res;
        if (onUpload) return null;
        if (attempt >= retries) throw err || ApiError(res.status, res.json);
        await backoff(attempt);
      }
    }

    // Resume a session this browser started for the same file, else start one.
    var id = null, offset = 0, chunkMax = opts.chunkSize || 8 * 1024 * 1024;
    try { id = window.localStorage.getItem(key); } catch (_) { id = null; }
    if (id) {
      var st = await call("GET", base + "/" + id);
      if (st.status === 200 && st.json.state === "open" && st.json.size === file.size) {
        offset = st.json.offset;
        chunkMax = Math.min(chunkMax, st.json.chunk_max);
      } else {
        id = null;
      }
    }
    if (!id) {
      var payload = {filename: file.name, size: file.size};
      if (opts.sha256) payload.sha256 = opts.sha256;
      var started = await call("POST", base, JSON.stringify(payload), json);
      if (started.status !== 201) throw ApiError(started.status, started.json);
      id = started.json.id;
      chunkMax = Math.min(chunkMax, started.json.chunk_max);
      try { window.localStorage.setItem(key, id); } catch (_) { /* private mode */ }
    }
    var url = base + "/" + id;
    var progress = function (loaded) {
      onProgress({loaded: loaded, total: file.size, fraction: file.size ? loaded / file.size : 1});
    };
    progress(offset);

    var failures = 0;
    while (offset < file.size) {
      var end = Math.min(file.size, offset + chunkMax);
      var at = offset;
      var res = await call("PATCH", url, file.slice(at, end),
                           {"Content-Type": "application/octet-stream", "Upload-Offset": String(at)},
                           function (n) { progress(at + n); });
      if (res === null) {
        if (++failures > retries) throw new Error("网络错误：多次重试后仍无法上传，请稍后重试（已上传部分会保留）");
        await backoff(failures - 1);
        var s = await call("GET", url);
        if (s.status !== 200) throw ApiError(s.status, s.json);
        offset = s.json.offset;
        progress(offset);
        continue;
      }
      failures = 0;
      if (res.status === 200) {
        offset = res.json.offset;
      } else if (res.status === 409 && res.json && res.json.rule === "upload.offset_mismatch") {
        offset = res.json.offset;  // the server is elsewhere (a retried chunk had arrived): resume there
      } else {
        throw ApiError(res.status, res.json);
      }
      progress(offset);
    }

    var done = await call("POST", url + "/complete", "", json);
    try { window.localStorage.removeItem(key); } catch (_) { /* ignore */ }
    if (done.status !== 200) throw ApiError(done.status, done.json);
    return done.json;
  }

  window.zhifaUpload = zhifaUpload;
})();
