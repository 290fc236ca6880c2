// Trade-secret registration: the file is read and hashed here, in the browser, with a random salt; only the
// SHA-256 and SM3 digests of salt || content are submitted. Plain JavaScript implementations (no WebCrypto),
// because crypto.subtle is missing on plain-HTTP intranet pages.
(function () {
  "use strict";
  function rotl(x, n) { n %= 32; return ((x << n) | (x >>> (32 - n))) >>> 0; }
  function pad(bytes) {
    var bitLen = bytes.length * 8, total = ((bytes.length + 9 + 63) >> 6) << 6;
    var out = new Uint8Array(total); out.set(bytes); out[bytes.length] = 0x80;
    var view = new DataView(out.buffer);
    view.setUint32(total - 8, Math.floor(bitLen / 4294967296)); view.setUint32(total - 4, bitLen >>> 0);
    return view;
  }
  function hex(words) { return words.map(function (w) { return ("00000000" + (w >>> 0).toString(16)).slice(-8); }).join(""); }

  var K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,
    0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,
    0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
    0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,
    0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,
    0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];
  function rotr(x, n) { return ((x >>> n) | (x << (32 - n))) >>> 0; }
  function sha256(bytes) {
    var view = pad(bytes), h = [0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19];
    var w = new Array(64);
    for (var off = 0; off < view.byteLength; off += 64) {
      for (var i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
      for (i = 16; i < 64; i++) {
        var s0 = rotr(w[i-15], 7) ^ rotr(w[i-15], 18) ^ (w[i-15] >>> 3), s1 = rotr(w[i-2], 17) ^ rotr(w[i-2], 19) ^ (w[i-2] >>> 10);
        w[i] = (w[i-16] + s0 + w[i-7] + s1) >>> 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        k = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h = [h[0]+a, h[1]+b, h[2]+c, h[3]+d, h[4]+e, h[5]+f, h[6]+g, h[7]+k].map(function (x) { return x >>> 0; });
    }
    return hex(h);
  }
  function sm3(bytes) {
    var view = pad(bytes), v = [0x7380166f,0x4914b2b9,0x172442d7,0xda8a0600,0xa96f30bc,0x163138aa,0xe38dee4d,0xb0fb0e4e];
    var p0 = function (x) { return (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0; };
    var p1 = function (x) { return (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0; };
    for (var off = 0; off < view.byteLength; off += 64) {
      var w = new Array(68), w1 = new Array(64), j;
      for (j = 0; j < 16; j++) w[j] = view.getUint32(off + j * 4);
      for (j = 16; j < 68; j++) w[j] = (p1(w[j-16] ^ w[j-9] ^ rotl(w[j-3], 15)) ^ rotl(w[j-13], 7) ^ w[j-6]) >>> 0;
      for (j = 0; j < 64; j++) w1[j] = (w[j] ^ w[j+4]) >>> 0;
      var a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
      for (j = 0; j < 64; j++) {
        var ss1 = rotl((rotl(a, 12) + e + rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j)) >>> 0, 7);
        var ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
        var ff = j < 16 ? (a ^ b ^ c) : ((a & b) | (a & c) | (b & c));
        var gg = j < 16 ? (e ^ f ^ g) : ((e & f) | (~e & g));
        var tt1 = (ff + d + ss2 + w1[j]) >>> 0, tt2 = (gg + h + ss1 + w[j]) >>> 0;
        d = c; c = rotl(b, 9); b = a; a = tt1; h = g; g = rotl(f, 19); f = e; e = p0(tt2);
      }
      v = [v[0]^a, v[1]^b, v[2]^c, v[3]^d, v[4]^e, v[5]^f, v[6]^g, v[7]^h].map(function (x) { return x >>> 0; });
    }
    return hex(v);
  }
  window.ipcityHash = { sha256: sha256, sm3: sm3 };

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("[data-hash-target]");
    if (!input) return;
    var status = document.querySelector("[data-testid=hash-status]");
    var submit = document.querySelector("[data-needs-hash]");
    input.addEventListener("change", function () {
      var file = input.files[0];
      if (!file) return;
      status.textContent = "正在本机计算摘要……";
      file.arrayBuffer().then(function (buffer) {
        var salt = new Uint8Array(32); window.crypto.getRandomValues(salt);
        var content = new Uint8Array(32 + buffer.byteLength); content.set(salt); content.set(new Uint8Array(buffer), 32);
        document.querySelector("input[name=sha256]").value = sha256(content);
        document.querySelector("input[name=sm3]").value = sm3(content);
        var saltHex = Array.prototype.map.call(salt, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
        var link = document.getElementById("salt-download");
        link.href = URL.createObjectURL(new Blob([saltHex + "\n"], { type: "text/plain" }));
        link.hidden = false; link.dataset.salt = saltHex;
        status.textContent = "摘要已计算（文件未上传）。请先下载并保存盐值文件，再提交登记。";
        submit.disabled = false;
      });
    });
  });
})();
