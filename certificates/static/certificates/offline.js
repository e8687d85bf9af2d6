/* Offline certificate verifier (installable PWA page at /verify/offline/).
 *
 * Verifies a certificate payload entirely in the browser, the same way the server does, from data
 * cached by the service worker (sw.js): the JWK set (/.well-known/jwks.json) and the signed status
 * lists (/certificates/status/<list>/<purpose>.jwt). Steps (docs/certificates-format.md):
 *   1. base32-decode the payload and parse the body (version 1 byte layout);
 *   2. find the public key by its id (base64url of the 8-byte key id) in the JWK set;
 *   3. verify the Ed25519 signature over the body with WebCrypto;
 *   4. verify the status list JWS (same keys), read the revocation and suspension bits;
 *   5. expired when the payload's expiry date is before today; else valid.
 * Without a network it can't tell an unknown certificate from a genuine one (no database): a genuine
 * signature from a published key is what offline "valid" means; the server page checks the record.
 */
(function () {
  "use strict";

  var root = document.getElementById("offline-verifier");
  if (!root) return;
  var config = JSON.parse(document.getElementById("verifier-config").textContent);
  var T = config.messages;
  var B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var EPOCH_MS = Date.UTC(2000, 0, 1);
  var DAY_MS = 86400000;
  var STALE_MS = 7 * DAY_MS;

  var data = { keys: null, lists: {}, fetchedAt: null };

  function $(testid) {
    return root.querySelector('[data-testid="' + testid + '"]');
  }

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  // --- encodings -----------------------------------------------------------------------------

  function base32Decode(text) {
    if (!/^[A-Z2-7]+$/.test(text) || [0, 2, 4, 5, 7].indexOf(text.length % 8) < 0) return null;
    var out = new Uint8Array(Math.floor((text.length * 5) / 8));
    var buffer = 0, bits = 0, j = 0;
    for (var i = 0; i < text.length; i++) {
      buffer = (buffer << 5) | B32.indexOf(text[i]);
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[j++] = (buffer >> bits) & 0xff;
      }
    }
    if (buffer & ((1 << bits) - 1)) return null; // non-canonical trailing bits
    return out;
  }

  function b64urlDecode(text) {
    if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
    var padded = text.replace(/-/g, "+").replace(/_/g, "/");
    while (padded.length % 4) padded += "=";
    var raw = atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function b64urlEncode(bytes) {
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function utf8(bytes) {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  }

  // --- payload (docs/certificates-format.md, version 1) --------------------------------------

  /** The payload out of whatever was scanned or pasted: a verify URL (any case) or the bare text. */
  function extractPayload(text) {
    text = String(text || "").trim();
    var match = /\/v\/([A-Za-z2-7]+)\/?(?:[?#].*)?$/i.exec(text);
    return (match ? match[1] : text).replace(/\s+/g, "").toUpperCase();
  }

  function dateFromDays(days) {
    return new Date(EPOCH_MS + days * DAY_MS).toISOString().slice(0, 10);
  }

  function parsePayload(text) {
    if (!text || text.length > 400) return null;
    var raw = base32Decode(text);
    if (!raw || raw.length < 36 + 4 + 64 || raw[0] !== 1) return null;
    var body = raw.subarray(0, raw.length - 64);
    var view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    var claims = {
      kind: body[1],
      keyId: b64urlEncode(body.subarray(2, 10)),
      statusIndex: view.getUint32(10),
      issuedOn: dateFromDays(view.getUint16(14)),
      expiresOn: view.getUint16(16) ? dateFromDays(view.getUint16(16)) : null,
      occupation: body[18],
      level: body[19],
    };
    var n = body[36];
    if (n < 1 || n > 24 || 37 + n >= body.length) return null;
    try {
      claims.number = utf8(body.subarray(37, 37 + n));
      var m = body[37 + n];
      var holder = body.subarray(38 + n);
      if (m < 1 || m > 24 || holder.length !== m) return null;
      claims.holder = utf8(holder);
    } catch (e) {
      return null;
    }
    if (!/^[0-9A-Z]+$/.test(claims.number)) return null;
    if ([1, 2, 3].indexOf(claims.kind) < 0 || claims.occupation > 4 || claims.level > 5) return null;
    return { claims: claims, body: body, signature: raw.subarray(raw.length - 64) };
  }

  // --- Ed25519 and JWS -----------------------------------------------------------------------

  var keyCache = {};
  var pureOnly = false; // WebCrypto without Ed25519: the plain-JS verifier (ed25519.js) instead

  function importKey(jwk) {
    if (!keyCache[jwk.kid]) {
      keyCache[jwk.kid] = crypto.subtle.importKey(
        "jwk",
        { kty: "OKP", crv: "Ed25519", x: jwk.x, ext: true },
        { name: "Ed25519" },
        false,
        ["verify"]
      );
    }
    return keyCache[jwk.kid];
  }

  function pureVerify(jwk, signature, message) {
    if (!window.ed25519Verify) return Promise.reject(new Error("no Ed25519 implementation"));
    return window.ed25519Verify(b64urlDecode(jwk.x), signature, message);
  }

  function ed25519Verify(jwk, signature, message) {
    if (pureOnly) return pureVerify(jwk, signature, message);
    return importKey(jwk)
      .then(function (key) {
        return crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
      })
      .catch(function () {
        pureOnly = true;
        return pureVerify(jwk, signature, message);
      });
  }

  function verifyJws(token) {
    var parts = String(token).trim().split(".");
    if (parts.length !== 3) return Promise.reject(new Error("not a compact JWS"));
    var header = JSON.parse(utf8(b64urlDecode(parts[0])));
    var jwk = data.keys && data.keys[header.kid];
    if (header.alg !== "EdDSA" || !jwk) return Promise.reject(new Error("unknown key or algorithm"));
    var input = new TextEncoder().encode(parts[0] + "." + parts[1]);
    return ed25519Verify(jwk, b64urlDecode(parts[2]), input).then(function (ok) {
      if (!ok) throw new Error("bad status list signature");
      return JSON.parse(utf8(b64urlDecode(parts[1])));
    });
  }

  function gunzip(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buffer) {
      return new Uint8Array(buffer);
    });
  }

  function readStatusList(token, purpose) {
    return verifyJws(token).then(function (credential) {
      var subject = credential.credentialSubject || {};
      if (subject.statusPurpose !== purpose || typeof subject.encodedList !== "string" || subject.encodedList[0] !== "u") {
        throw new Error("unexpected status list credential");
      }
      return gunzip(b64urlDecode(subject.encodedList.slice(1)));
    });
  }

  function bitSet(bits, index) {
    return !!(bits[index >> 3] & (0x80 >> (index & 7)));
  }

  // --- cached data ---------------------------------------------------------------------------

  function fetchedAt(response) {
    var stamp = response.headers.get("X-Fetched-At") || response.headers.get("Date");
    var time = stamp ? Date.parse(stamp) : NaN;
    return isNaN(time) ? Date.now() : Math.min(time, Date.now());
  }

  function get(url, as) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      var at = fetchedAt(response);
      return response[as]().then(function (body) {
        return { body: body, at: at };
      });
    });
  }

  function loadData() {
    var oldest = Infinity;
    var keys = get(config.jwks, "json").then(function (got) {
      var map = {};
      (got.body.keys || []).forEach(function (jwk) {
        if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.kid && jwk.x) map[jwk.kid] = jwk;
      });
      data.keys = map;
      oldest = Math.min(oldest, got.at);
    });
    var tokens = [];
    config.statusLists.forEach(function (entry) {
      tokens.push(
        get(entry.url, "text").then(
          function (got) {
            oldest = Math.min(oldest, got.at);
            return { entry: entry, token: got.body };
          },
          function () {
            return null;
          }
        )
      );
    });
    return keys
      .then(function () {
        return Promise.all(tokens);
      })
      .then(function (results) {
        return Promise.all(
          results.map(function (result) {
            if (!result) return null;
            return readStatusList(result.token, result.entry.purpose).then(
              function (bits) {
                data.lists[result.entry.purpose + ":" + result.entry.list] = bits;
              },
              function () {
                return null;
              }
            );
          })
        );
      })
      .then(function () {
        data.fetchedAt = oldest === Infinity ? null : oldest;
        showAge();
        root.dataset.dataState = "ready";
      })
      .catch(function (error) {
        root.dataset.dataState = data.keys ? "partial" : "missing";
        showAge();
        throw error;
      });
  }

  function showAge() {
    var el = $("data-age");
    if (!data.fetchedAt) {
      el.textContent = T.noData;
      el.classList.add("stale");
      return;
    }
    var age = Math.max(0, Date.now() - data.fetchedAt);
    var minutes = Math.floor(age / 60000), hours = Math.floor(age / 3600000), days = Math.floor(age / DAY_MS);
    var text;
    if (minutes < 1) text = T.justNow;
    else if (hours < 1) text = fmt(T.minutesAgo[minutes === 1 ? 0 : 1], { n: minutes });
    else if (days < 1) text = fmt(T.hoursAgo[hours === 1 ? 0 : 1], { n: hours });
    else text = fmt(T.daysAgo[days === 1 ? 0 : 1], { n: days });
    el.textContent = text + (age > STALE_MS ? " · " + T.stale : "");
    el.classList.toggle("stale", age > STALE_MS);
    el.dataset.fetchedAt = new Date(data.fetchedAt).toISOString();
  }

  // --- the decision ----------------------------------------------------------------------------

  function today() {
    var now = new Date();
    var local = new Date(now.getTime() - now.getTimezoneOffset() * 60000);
    return local.toISOString().slice(0, 10);
  }

  function decide(text) {
    var parsed = parsePayload(extractPayload(text));
    if (!parsed) return Promise.resolve({ status: "invalid", reason: "malformed" });
    var claims = parsed.claims;
    if (!window.crypto || !crypto.subtle) return Promise.resolve({ status: "unknown", reason: "unsupported", claims: claims });
    var ready = data.keys ? Promise.resolve() : loadData().catch(function () {});
    return ready.then(function () {
      var jwk = data.keys && data.keys[claims.keyId];
      if (!data.keys) return { status: "unknown", reason: "no_data", claims: claims };
      if (!jwk) return { status: "invalid", reason: "unknown_key" };
      return ed25519Verify(jwk, parsed.signature, parsed.body).then(
        function (ok) {
          if (!ok) return { status: "invalid", reason: "bad_signature" };
          var list = Math.floor(claims.statusIndex / config.listSize);
          var bit = claims.statusIndex % config.listSize;
          var revoked = data.lists["revocation:" + list];
          var suspended = data.lists["suspension:" + list];
          if (revoked && bitSet(revoked, bit)) return { status: "revoked", claims: claims };
          if (suspended && bitSet(suspended, bit)) return { status: "suspended", claims: claims };
          if (!revoked || !suspended) return { status: "unknown", reason: "no_status_list", claims: claims };
          if (claims.expiresOn && claims.expiresOn < today()) return { status: "expired", claims: claims };
          return { status: "valid", claims: claims };
        },
        function () {
          return { status: "unknown", reason: "unsupported", claims: claims };
        }
      );
    });
  }

  // --- presentation ----------------------------------------------------------------------------

  var SIGNS = { valid: "✓", expired: "!", revoked: "✕", suspended: "!", invalid: "?", unknown: "?" };

  function setField(name, value) {
    var dd = $(name);
    dd.textContent = value || "";
    dd.hidden = !value;
    if (dd.previousElementSibling) dd.previousElementSibling.hidden = !value;
  }

  function show(result) {
    var box = $("verify-result");
    box.className = "verify card status-" + result.status;
    box.dataset.status = result.status;
    box.classList.remove("hidden");
    $("status-sign").textContent = SIGNS[result.status];
    $("status-label").textContent = config.labels.statuses[result.status];
    var message = T.messages[result.reason || result.status] || T.messages[result.status];
    $("status-message").textContent = message;
    var claims = result.claims;
    $("status-detail").textContent =
      result.status === "expired" && claims ? fmt(T.expiredOn, { date: claims.expiresOn }) : "";
    var fields = $("certificate-fields");
    if (!claims || result.status === "invalid") {
      fields.classList.add("hidden");
      return;
    }
    fields.classList.remove("hidden");
    setField("holder-name", claims.holder);
    setField("type-name", config.labels.kinds[claims.kind]);
    setField("number", claims.number);
    setField("occupation", config.labels.occupations[claims.occupation]);
    setField("level", config.labels.levels[claims.level]);
    setField("issued-on", claims.issuedOn);
    setField("expires-on", claims.expiresOn || T.noExpiry);
  }

  function verify(text) {
    if (!String(text || "").trim()) return;
    $("verify-result").dataset.status = "checking";
    remember(extractPayload(text));
    decide(text).then(show, function () {
      show({ status: "unknown", reason: "unsupported" });
    });
  }

  // --- the verification log: checks are queued here and sent when the network is back -------------

  var QUEUE_KEY = "certificate-verifier-queue";
  var QUEUE_MAX = 200;

  function queued() {
    try {
      var items = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function store(items) {
    try {
      localStorage.setItem(QUEUE_KEY, JSON.stringify(items.slice(-QUEUE_MAX)));
    } catch (e) {
      /* private mode or full: the check is simply not logged */
    }
  }

  function remember(text) {
    if (!text || text.length > 400) return;
    var items = queued();
    items.push({ payload: text, at: new Date().toISOString() });
    store(items);
    flush();
  }

  var flushing = null;
  function flush() {
    if (flushing || navigator.onLine === false || !queued().length) return flushing;
    flushing = fetch(config.syncToken, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("no token");
        return response.json();
      })
      .then(function (token) {
        var batch = queued().slice(0, 50);
        return fetch(config.sync, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token.token },
          body: JSON.stringify({ checks: batch }),
        }).then(function (response) {
          if (!response.ok) throw new Error("sync refused: HTTP " + response.status);
          store(queued().slice(batch.length));
          root.dataset.syncState = queued().length ? "pending" : "synced";
        });
      })
      .catch(function () {
        root.dataset.syncState = "pending";
      })
      .then(function () {
        flushing = null;
      });
    return flushing;
  }

  window.addEventListener("online", flush);

  // --- input: paste box, camera, photo ---------------------------------------------------------

  $("verify-form").addEventListener("submit", function (event) {
    event.preventDefault();
    verify($("payload-input").value);
  });

  var detector = null;
  if ("BarcodeDetector" in window) {
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (e) {
      detector = null;
    }
  }

  function found(text) {
    $("payload-input").value = text;
    verify(text);
  }

  var stream = null;
  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    $("camera").classList.add("hidden");
  }

  if (detector && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    $("scan-button").classList.remove("hidden");
    $("scan-button").addEventListener("click", function () {
      var video = $("camera");
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (s) {
          stream = s;
          video.srcObject = s;
          video.classList.remove("hidden");
          return video.play();
        })
        .then(function tick() {
          if (!stream) return;
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stopCamera();
              found(codes[0].rawValue);
            } else {
              requestAnimationFrame(tick);
            }
          }, function () { requestAnimationFrame(tick); });
        })
        .catch(function () {
          stopCamera();
          $("scan-error").textContent = T.noCamera;
        });
    });
  }

  if (detector && window.createImageBitmap) {
    $("photo-label").classList.remove("hidden");
    $("photo-input").addEventListener("change", function (event) {
      var file = event.target.files && event.target.files[0];
      if (!file) return;
      createImageBitmap(file)
        .then(function (image) { return detector.detect(image); })
        .then(function (codes) {
          if (codes.length) found(codes[0].rawValue);
          else $("scan-error").textContent = T.noCode;
        })
        .catch(function () { $("scan-error").textContent = T.noCode; });
    });
  }

  // --- service worker: install for offline use, refresh cached data while online ----------------

  function whenActive(registration) {
    if (registration.active) return Promise.resolve(registration);
    var worker = registration.installing || registration.waiting;
    return new Promise(function (resolve, reject) {
      worker.addEventListener("statechange", function () {
        if (worker.state === "activated") resolve(registration);
        else if (worker.state === "redundant") reject(new Error("service worker failed to install"));
      });
    });
  }

  function registerWorkers() {
    if (!("serviceWorker" in navigator)) {
      root.dataset.swState = "unsupported";
      return Promise.resolve(null);
    }
    // One worker per scope, same script: /verify/offline/ (this page) and /v/, /V/, so that a scanned verify
    // URL opened without signal gets this page from the cache.
    return Promise.all(
      config.scopes.map(function (scope) {
        return navigator.serviceWorker.register(config.serviceWorker, { scope: scope }).then(whenActive);
      })
    ).then(function (registrations) {
      return registrations[0];
    });
  }

  function workerFilled(registration) {
    return new Promise(function (resolve) {
      var worker = registration.active;
      if (!worker) return resolve(false);
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        resolve(!!(event.data && event.data.ok));
      };
      worker.postMessage({ type: "refresh" }, [channel.port2]);
      setTimeout(function () { resolve(false); }, 15000);
    });
  }

  var initial = (function () {
    // Opened as /v/<payload> (offline, served by the worker): verify that payload at once.
    var match = /^\/v\/([A-Za-z2-7]+)\/?$/i.exec(location.pathname);
    return match ? match[1] : new URLSearchParams(location.search).get("p");
  })();

  loadData()
    .catch(function () {})
    .then(function () {
      if (initial) found(initial);
      flush();
    });

  registerWorkers()
    .then(function (registration) {
      if (!registration) return false;
      return workerFilled(registration);
    })
    .then(function (ok) {
      if (root.dataset.swState !== "unsupported") root.dataset.swState = ok ? "ready" : "pending";
      if (ok && navigator.onLine !== false) return loadData().catch(function () {});
    })
    .catch(function () {
      root.dataset.swState = "failed";
    });

  setInterval(showAge, 60000);
  window.certificateVerifier = {
    verify: verify,
    decide: decide,
    parsePayload: parsePayload,
    extractPayload: extractPayload,
    usePureEd25519: function (on) {
      pureOnly = !!on;
    },
  };
})();
