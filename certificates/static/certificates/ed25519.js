/* Ed25519 signature verification (RFC 8032, section 5.1.7) in plain JavaScript with BigInt.
 *
 * Fallback for browsers whose WebCrypto has no Ed25519 yet (older Android WebViews and in-app browsers);
 * the offline verifier uses crypto.subtle when it can. Verification only, public data only (no secrets,
 * so constant time does not matter). SHA-512 comes from crypto.subtle.digest, which every browser with
 * a secure context has.
 *
 *   window.ed25519Verify(publicKey: Uint8Array(32), signature: Uint8Array(64), message: Uint8Array)
 *     -> Promise<boolean>
 */
(function (global) {
  "use strict";

  var P = (1n << 255n) - 19n;
  var L = (1n << 252n) + 27742317777372353535851937790883648493n;

  function mod(a, m) {
    var r = a % (m || P);
    return r >= 0n ? r : r + (m || P);
  }

  function pow(base, exponent) {
    var result = 1n;
    base = mod(base);
    while (exponent > 0n) {
      if (exponent & 1n) result = mod(result * base);
      base = mod(base * base);
      exponent >>= 1n;
    }
    return result;
  }

  function inv(x) {
    return pow(x, P - 2n);
  }

  var D = mod(-121665n * inv(121666n));
  var SQRT_M1 = pow(2n, (P - 1n) / 4n);

  // points in extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z
  function add(p, q) {
    var a = mod((p[1] - p[0]) * (q[1] - q[0]));
    var b = mod((p[1] + p[0]) * (q[1] + q[0]));
    var c = mod(2n * p[3] * q[3] * D);
    var d = mod(2n * p[2] * q[2]);
    var e = b - a, f = d - c, g = d + c, h = b + a;
    return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
  }

  function multiply(point, scalar) {
    var result = [0n, 1n, 1n, 0n];
    while (scalar > 0n) {
      if (scalar & 1n) result = add(result, point);
      point = add(point, point);
      scalar >>= 1n;
    }
    return result;
  }

  function same(p, q) {
    return mod(p[0] * q[2] - q[0] * p[2]) === 0n && mod(p[1] * q[2] - q[1] * p[2]) === 0n;
  }

  function littleEndian(bytes) {
    var n = 0n;
    for (var i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
    return n;
  }

  /** The point encoded in 32 bytes, or null (RFC 8032, 5.1.3). */
  function decode(bytes) {
    if (!bytes || bytes.length !== 32) return null;
    var copy = Uint8Array.from(bytes);
    var sign = copy[31] >> 7;
    copy[31] &= 0x7f;
    var y = littleEndian(copy);
    if (y >= P) return null;
    var y2 = mod(y * y);
    var u = mod(y2 - 1n), v = mod(D * y2 + 1n);
    var x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
    var vx2 = mod(v * x * x);
    if (vx2 === mod(-u)) x = mod(x * SQRT_M1);
    else if (vx2 !== u) return null;
    if (x === 0n && sign) return null;
    if (Number(x & 1n) !== sign) x = P - x;
    return [x, y, 1n, mod(x * y)];
  }

  var BASE = decode(
    Uint8Array.from([
      0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
      0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    ])
  );

  function ed25519Verify(publicKey, signature, message) {
    var A = decode(publicKey);
    if (!A || !signature || signature.length !== 64) return Promise.resolve(false);
    var R = decode(signature.subarray(0, 32));
    var S = littleEndian(signature.subarray(32, 64));
    if (!R || S >= L) return Promise.resolve(false);
    var input = new Uint8Array(64 + message.length);
    input.set(signature.subarray(0, 32), 0);
    input.set(publicKey, 32);
    input.set(message, 64);
    return global.crypto.subtle.digest("SHA-512", input).then(function (digest) {
      var h = mod(littleEndian(new Uint8Array(digest)), L);
      return same(multiply(BASE, S), add(R, multiply(A, h)));
    });
  }

  global.ed25519Verify = ed25519Verify;
})(typeof self !== "undefined" ? self : globalThis);
