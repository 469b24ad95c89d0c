/* 亮证 check in the citizen's browser (issue 20): the token after '#' is
 * base64url(canonical JSON payload) "." base64url(Ed25519 signature over "zhifa-liangzheng/1\n" + payload),
 * signed with a platform key printed in the page (data-keys). WebCrypto Ed25519 where the browser has
 * it, the vendored TweetNaCl otherwise. Nothing is sent anywhere; a service worker keeps this page
 * and its scripts so the check works with the network off. */
(function () {
  "use strict";
  var box = document.getElementById("cert-verify");
  if (!box) { return; }
  var verdict = box.querySelector("[data-role=verdict]");
  var enc = new TextEncoder();

  function show(state, text) { box.dataset.state = state; verdict.className = state === "ok" ? "ok" : "bad"; verdict.textContent = text; }
  function unb64(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  function unhex(h) { var o = new Uint8Array(h.length / 2); for (var i = 0; i < o.length; i++) { o[i] = parseInt(h.substr(2 * i, 2), 16); } return o; }
  function loadNacl() {
    return new Promise(function (resolve, reject) {
      if (window.nacl) { resolve(window.nacl); return; }
      var s = document.createElement("script"); s.src = box.dataset.nacl;
      s.onload = function () { resolve(window.nacl); }; s.onerror = reject; document.head.appendChild(s);
    });
  }
  async function verifyWith(keyHex, sig, msg) {
    try {
      var key = await crypto.subtle.importKey("raw", unhex(keyHex), {name: "Ed25519"}, false, ["verify"]);
      return await crypto.subtle.verify({name: "Ed25519"}, key, sig, msg);
    } catch (e) {
      var nacl = await loadNacl();
      return nacl.sign.detached.verify(msg, sig, unhex(keyHex));
    }
  }
  async function check() {
    var token = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (!token) { return; }
    var parts = token.split(".");
    var raw, sig, payload;
    try { raw = unb64(parts[0]); sig = unb64(parts[1]); payload = JSON.parse(new TextDecoder().decode(raw)); }
    catch (e) { show("bad", "✗ 二维码内容不完整或格式不正确，不能核验（cert.qr_signature）"); return; }
    var domain = enc.encode(box.dataset.version + "\n");
    var msg = new Uint8Array(domain.length + raw.length); msg.set(domain); msg.set(raw, domain.length);
    var keys = (box.dataset.keys || "").split(" ").filter(Boolean), good = false;
    for (var i = 0; i < keys.length && !good; i++) { good = await verifyWith(keys[i], sig, msg); }
    if (!good || payload.v !== box.dataset.version) { show("bad", "✗ 签名无效：不是本平台签发的亮证码，证件真伪无法确认（cert.qr_signature）"); return; }
    var fields = box.querySelector("[data-role=fields]");
    Object.keys(payload).forEach(function (k) {
      var dd = fields.querySelector("[data-f=" + k + "]");
      if (dd) { dd.textContent = k === "exp" ? new Date(payload.exp * 1000).toLocaleString("zh-CN") : payload[k]; }
    });
    fields.hidden = false;
    if (payload.exp * 1000 < Date.now()) { show("bad", "✗ 亮证码已过期，请执法人员刷新后重新出示（cert.qr_expired）"); return; }
    show("ok", "✓ 签名有效：本平台签发的执法证 " + payload.n + "（" + payload.o + "）");
    if (payload.t) { pending = token; reportArrival(); }
  }
  /* A code that names a task: report the arrival (到场) once online; the server logs a nonce once. */
  var pending = null;
  function reportArrival() {
    var note = box.querySelector("[data-role=arrival]");
    if (!pending || !box.dataset.arrival) { return; }
    if (!navigator.onLine) { if (note) { note.textContent = "联网后将报告执法人员到场"; } return; }
    var token = pending;
    fetch(box.dataset.arrival, {method: "POST", headers: {"Content-Type": "application/json"},
                                body: JSON.stringify({token: token}), credentials: "omit"})
      .then(function (r) { return r.json(); })
      .then(function (d) { if (pending === token) { pending = null; } if (note) { note.textContent = d.message || ""; } })
      .catch(function () { if (note) { note.textContent = "联网后将报告执法人员到场"; } });
  }
  window.addEventListener("online", reportArrival);
  window.addEventListener("hashchange", check);
  check();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(box.dataset.sw, {scope: box.dataset.scope}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      if (reg.active && navigator.onLine) { reg.active.postMessage({type: "cache-pages", urls: [location.href.split("#")[0]]}); }
      document.documentElement.dataset.swReady = "1";
    }).catch(function () { /* no service worker: the check still works online */ });
  }
})();
