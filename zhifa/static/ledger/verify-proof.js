/* In-browser check of a published decision (/gs/results/<id>/): the citizen's own browser checks,
 * without trusting the page's words, that
 *   1. what the page shows (title, decision number, entity, the decision text) is what the ledger
 *      entry records (the entry carries the SHA-256 of the text);
 *   2. the signed tree head covers the entry (tree_size > seq);
 *   3. the entry is in that tree: RFC 9162 §2.1.3.2 from the leaf SHA-256(0x00 ‖ entry) with
 *      nodes SHA-256(0x01 ‖ left ‖ right), exactly as zhifa/ledger/merkle.py computes;
 *   4. the head's Ed25519 signature over {"log","root_hash","timestamp","tree_size"} (canonical
 *      JSON) verifies with a key the platform publishes — WebCrypto where the browser has Ed25519,
 *      otherwise the vendored TweetNaCl (static/vendor/tweetnacl.min.js, loaded only then);
 *   5. the witnesses' co-signatures of that head, if any (the server picks the newest co-signed
 *      head that covers the entry), with the registered witness keys: Ed25519 over
 *      "zhifa-witness-cosignature/1\n" + the head's signed JSON (zhifa/witness/protocol.py).
 * No inline script, nothing from another origin (CSP: script-src 'self', connect-src 'self').
 * The command-line route (`zhifa verify-proof`) stays on the page for a check independent of it. */
(function () {
  "use strict";

  var box = document.getElementById("proof-check");
  if (!box) return;
  var verdict = box.querySelector("[data-role=verdict]");
  var steps = box.querySelector("[data-role=steps]");
  var enc = new TextEncoder();

  var FAIL = {
    content: "公示内容与日志记录不一致",
    coverage: "树头不覆盖此条目",
    proof: "证明不成立",
    signature: "签名无效"
  };

  function show(state, text) {
    box.classList.remove("ok", "bad");
    if (state) box.classList.add(state);
    box.dataset.state = state || "pending";
    verdict.textContent = text;
  }

  function step(ok, text) {
    var li = document.createElement("li");
    li.textContent = (ok === null ? "· " : ok ? "✓ " : "✗ 未通过：") + text;
    li.className = ok === null ? "muted" : ok ? "ok" : "bad";
    steps.appendChild(li);
  }

  function unhex(s, length) {
    if (typeof s !== "string" || !/^(?:[0-9a-f]{2})*$/.test(s) || (length && s.length !== 2 * length)) return null;
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
    return out;
  }

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function concat(parts) {
    var n = 0, i, out, at = 0;
    for (i = 0; i < parts.length; i++) n += parts[i].length;
    out = new Uint8Array(n);
    for (i = 0; i < parts.length; i++) { out.set(parts[i], at); at += parts[i].length; }
    return out;
  }

  function sha256(parts) {
    return crypto.subtle.digest("SHA-256", concat(parts)).then(function (d) { return new Uint8Array(d); });
  }

  function nodeHash(left, right) { return sha256([new Uint8Array([1]), left, right]); }

  function equal(a, b) {
    if (!a || !b || a.length !== b.length) return false;
    var diff = 0;
    for (var i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }

  function odd(n) { return n % 2 === 1; }
  function half(n) { return Math.floor(n / 2); }  // sizes may pass 2^31: no bit operators

  /* RFC 9162 §2.1.3.2: the root the audit path leads to, or null. */
  async function inclusionRoot(index, size, leaf, path) {
    if (!(index >= 0 && index < size)) return null;
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < path.length; i++) {
      if (sn === 0) return null;
      if (odd(fn) || fn === sn) {
        r = await nodeHash(path[i], r);
        if (!odd(fn)) {
          while (fn !== 0 && !odd(fn)) { fn = half(fn); sn = half(sn); }
        }
      } else {
        r = await nodeHash(r, path[i]);
      }
      fn = half(fn); sn = half(sn);
    }
    return sn === 0 ? r : null;
  }

  /* zhifa.ledger.pure.tree_head_message: sorted keys, no spaces. */
  function headMessage(head) {
    return enc.encode('{"log":"zhifa","root_hash":"' + head.root_hash + '","timestamp":' + head.timestamp +
                      ',"tree_size":' + head.tree_size + "}");
  }

  var naclLoading = null;
  function loadNacl() {
    if (!naclLoading) {
      naclLoading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = box.dataset.naclUrl;
        s.onload = function () { window.nacl ? resolve(window.nacl) : reject(new Error("tweetnacl")); };
        s.onerror = function () { reject(new Error("tweetnacl")); };
        document.head.appendChild(s);
      });
    }
    return naclLoading;
  }

  /* {ok, via}: WebCrypto's Ed25519 where the browser has it, TweetNaCl otherwise. */
  async function ed25519(publicKey, signature, message) {
    var key = null;
    try {
      key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      if (e && e.name === "DataError") return { ok: false, via: "WebCrypto" };  // not a valid key
    }
    if (key) {
      return { ok: await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message), via: "WebCrypto" };
    }
    var nacl = await loadNacl();
    return { ok: nacl.sign.detached.verify(message, signature, publicKey), via: "TweetNaCl" };
  }

  function shown(field) {
    var el = document.querySelector('[data-ledger-field="' + field + '"]');
    return el ? el.textContent.trim() : null;
  }

  /* What the <pre> shows: the HTML parser drops one newline right after <pre> and turns CR LF into LF. */
  function normalise(text) { return text.replace(/\r\n?/g, "\n").replace(/^\n/, ""); }

  async function run() {
    var doc, trusted, witnesses;
    try {
      var answers = await Promise.all([box.dataset.proofUrl, box.dataset.keyUrl, box.dataset.witnessKeysUrl].map(
        function (url) { return fetch(url, { credentials: "omit" }); }));
      if (!answers.every(function (a) { return a.ok; })) throw new Error("HTTP");
      doc = await answers[0].json();
      trusted = await answers[1].json();
      witnesses = await answers[2].json();
    } catch (e) {
      show("", "暂时无法取得证明，请稍后刷新，或下载证明后用命令行核验。");
      return;
    }
    var failures = [];
    function check(ok, kind, text) { step(ok, text); if (!ok && failures.indexOf(FAIL[kind]) < 0) failures.push(FAIL[kind]); }

    var head = doc.tree_head || {};
    var seq = Number(box.dataset.seq);
    var entryText = typeof doc.entry === "string" ? doc.entry : "";
    var entry = {};
    try { entry = JSON.parse(entryText); } catch (e) { entry = {}; }
    var data = entry.data || {};
    var body = (doc.decision && typeof doc.decision.body === "string") ? doc.decision.body : null;

    // 1. the page against the ledger entry
    var bodyOk = false;
    if (body !== null && entry.type === "publication" && entry.seq === seq && doc.seq === seq) {
      var digest = hex(await sha256([enc.encode(body)]));
      var pageBody = shown("body");
      bodyOk = digest === data.body_sha256 && pageBody !== null && normalise(pageBody) === normalise(body);
    }
    check(bodyOk, "content", "页面显示的公示正文与日志第 " + seq + " 条记录的摘要（SHA-256）一致");
    check(shown("title") === data.title && shown("decision_number") === data.decision_number &&
          shown("entity") === data.entity, "content", "标题、决定书文号、执法主体与日志记录一致");

    // 2. the head covers the entry
    var size = head.tree_size;
    var covers = Number.isSafeInteger(size) && size === doc.tree_size && seq >= 0 && seq < size;
    check(covers, "coverage", "签名树头（" + size + " 条）包含第 " + seq + " 条");

    // 3. the inclusion proof leads to the signed root
    var root = unhex(head.root_hash, 32);
    var path = Array.isArray(doc.proof) ? doc.proof.map(function (h) { return unhex(h, 32); }) : [null];
    var included = false;
    if (covers && root && path.every(Boolean)) {
      var leaf = await sha256([new Uint8Array([0]), enc.encode(entryText)]);
      included = equal(await inclusionRoot(seq, size, leaf, path), root);
    }
    check(included, "proof", "包含证明成立：由该条记录和 " + path.length + " 个哈希算出的根哈希等于树头的根哈希（RFC 9162）");

    // 4. the head's signature, by a key the platform publishes
    var keys = [trusted.public_key].concat((trusted.trusted || []).map(function (k) { return k.public_key; }));
    var publicKey = unhex(head.public_key, 32), signature = unhex(head.signature, 64);
    var signed = false, via = "";
    if (publicKey && signature && root && Number.isSafeInteger(head.timestamp) && keys.indexOf(head.public_key) >= 0) {
      var result = await ed25519(publicKey, signature, headMessage(head));
      signed = result.ok;
      via = result.via;
    }
    check(signed, "signature", "树头签名有效（Ed25519" + (via ? "，" + via : "") + "，平台公布的密钥 " + (head.key_id || "") + "）");

    // 5. the witnesses' co-signatures of this head
    var cosigs = Array.isArray(doc.cosignatures) ? doc.cosignatures : [];
    if (!cosigs.length) {
      step(null, "该树头尚无见证方联署（见证方定期联署较新的树头，可稍后再看）");
    } else {
      var names = [], allGood = signed;
      for (var i = 0; i < cosigs.length; i++) {
        var c = cosigs[i] || {};
        var known = (Array.isArray(witnesses) ? witnesses : []).filter(function (w) { return w.public_key === c.public_key; })[0];
        var wKey = unhex(c.public_key, 32), wSig = unhex(c.signature, 64), good = false;
        if (known && wKey && wSig && signed) {
          good = (await ed25519(wKey, wSig, concat([enc.encode("zhifa-witness-cosignature/1\n"), headMessage(head)]))).ok;
        }
        allGood = allGood && good;
        names.push(known ? known.name : "未登记的见证方");
      }
      check(allGood, "signature", "见证方联署有效：" + names.join("、") + "（Ed25519，见证方自己的密钥）");
    }

    if (failures.length) {
      show("bad", "核验失败：" + failures.join("；") + "。请勿以本页内容为准，可向平台或上级司法行政部门反映。");
    } else {
      show("ok", "已核验：本公示信息记录在防篡改日志中，页面内容与记录一致，树头签名有效" +
                 (cosigs.length ? "，并经 " + cosigs.length + " 个见证方联署。" : "。"));
    }
    box.dataset.via = via;
  }

  if (!window.crypto || !crypto.subtle || !window.TextEncoder || !window.fetch) {
    show("", "此浏览器无法在页面内核验（需要 HTTPS 连接和较新的浏览器），可下载证明后用命令行核验。");
    return;
  }
  run().catch(function () { show("bad", "核验失败：证明不成立（证明文件无法解析）。"); });
})();
