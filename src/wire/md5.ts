/**
 * MD5 (RFC 1321), in plain TypeScript.
 *
 * Why here: L2TPv2 uses MD5 for the tunnel challenge/response (RFC 2661 §4.2, §5.1.1) and for
 * hiding AVP values (§4.3), and WebCrypto (the only crypto every target runtime has) offers no
 * MD5. MD5 is broken as a collision-resistant hash; L2TP uses it as a keyed one-way function,
 * which is all this module is for. It is not a general-purpose security primitive.
 *
 * Speed: the 64 steps of RFC 1321 §3.4 are unrolled, all arithmetic is Int32 (`| 0`), the 16
 * message words are locals read straight from the caller's bytes (little-endian, §2), and a
 * hasher allocates nothing after construction except the 16-byte array {@link Md5.digest} returns.
 */
import { assertBytes, assertInt } from './bytes.js';

/** Bytes per MD5 block (RFC 1321 §3.4: 16 words of 32 bits). */
const BLOCK = 64;

/**
 * An incremental MD5 hasher, so callers can hash `type | secret | vector` without concatenating.
 *
 * @example
 * ```ts
 * const h = new Md5();
 * h.update(new Uint8Array([2])).update(secret).update(challenge);
 * const response = h.digest();   // 16 bytes; h is reset and can be reused
 * ```
 */
export class Md5 {
  /** The chaining state A, B, C, D (RFC 1321 §3.3). */
  private readonly state = new Int32Array(4);
  /** Bytes of an incomplete block waiting for more input. */
  private readonly buffer = new Uint8Array(BLOCK);
  /** How many bytes of {@link buffer} are in use (0–63). */
  private buffered = 0;
  /** Total bytes hashed so far (a double: exact up to 2^53, far beyond any L2TP input). */
  private total = 0;

  constructor() {
    this.reset();
  }

  /** Forget everything hashed so far and start again (RFC 1321 §3.3 initial state). */
  reset(): this {
    const s = this.state;
    s[0] = 0x67452301;
    s[1] = 0xefcdab89 | 0;
    s[2] = 0x98badcfe | 0;
    s[3] = 0x10325476;
    this.buffered = 0;
    this.total = 0;
    return this;
  }

  /**
   * Hash `bytes[start, end)` (the whole array by default). Returns `this` for chaining.
   * @throws `TypeError` unless `bytes` is a `Uint8Array`; `RangeError` for a bad range.
   */
  update(bytes: Uint8Array, start = 0, end: number = bytes?.length): this {
    assertBytes(bytes);
    assertInt(end, 0, bytes.length, 'end');
    assertInt(start, 0, end, 'start');
    this.total += end - start;
    let o = start;
    const buf = this.buffer;
    if (this.buffered > 0) {
      // Top up the pending block first; only a full block goes through the compression function.
      const n = Math.min(BLOCK - this.buffered, end - o);
      buf.set(bytes.subarray(o, o + n), this.buffered);
      this.buffered += n;
      o += n;
      if (this.buffered < BLOCK) return this;
      compress(this.state, buf, 0);
      this.buffered = 0;
    }
    // Whole blocks straight from the caller's bytes: no copy.
    for (; end - o >= BLOCK; o += BLOCK) compress(this.state, bytes, o);
    if (o < end) {
      buf.set(bytes.subarray(o, end), 0);
      this.buffered = end - o;
    }
    return this;
  }

  /**
   * Finish (RFC 1321 §3.1–3.2: a 1 bit, zeros to 56 mod 64, the bit length as 64-bit
   * little-endian) and write the 16-byte digest into `target` at `offset`. The hasher is then
   * reset, ready for a new message. Returns `target`.
   * @throws `RangeError` when 16 bytes do not fit at `offset`.
   */
  digestInto(target: Uint8Array, offset = 0): Uint8Array {
    assertBytes(target, 'target');
    assertInt(offset, 0, target.length - 16, 'offset');
    const buf = this.buffer;
    let n = this.buffered;
    buf[n++] = 0x80;
    if (n > 56) {
      buf.fill(0, n);
      compress(this.state, buf, 0);
      n = 0;
    }
    buf.fill(0, n, 56);
    // Bit length = total * 8, split into two 32-bit words without losing bits above 2^32.
    const lo = (this.total * 8) >>> 0;
    const hi = Math.floor(this.total / 0x20000000) >>> 0;
    buf[56] = lo;
    buf[57] = lo >>> 8;
    buf[58] = lo >>> 16;
    buf[59] = lo >>> 24;
    buf[60] = hi;
    buf[61] = hi >>> 8;
    buf[62] = hi >>> 16;
    buf[63] = hi >>> 24;
    compress(this.state, buf, 0);
    const s = this.state;
    for (let i = 0; i < 4; i++) {
      const w = s[i]!;
      const p = offset + 4 * i;
      target[p] = w;
      target[p + 1] = w >>> 8;
      target[p + 2] = w >>> 16;
      target[p + 3] = w >>> 24;
    }
    this.reset();
    return target;
  }

  /** Finish and return the 16-byte digest; the hasher is then reset (see {@link digestInto}). */
  digest(): Uint8Array {
    return this.digestInto(new Uint8Array(16), 0);
  }
}

/** One hasher for {@link md5}: JavaScript is single-threaded and `md5` never re-enters. */
const shared = new Md5();

/**
 * The MD5 digest (16 bytes) of `data` (RFC 1321).
 * @example `md5(new TextEncoder().encode('abc'))` → `90015098…7f72`
 */
export function md5(data: Uint8Array): Uint8Array {
  assertBytes(data, 'data');
  shared.reset();
  return shared.update(data).digest();
}

/**
 * The MD5 compression function (RFC 1321 §3.4) over the 64 bytes at `b[o]`, updating `s`.
 * Steps are unrolled; the round functions are rewritten with fewer operations but the same
 * truth tables: F = d ^ (b & (c ^ d)), G = c ^ (d & (b ^ c)), H = b ^ c ^ d, I = c ^ (b | ~d).
 * The constants are T[i] = floor(2^32 · |sin(i + 1)|) from the RFC's table.
 */
function compress(s: Int32Array, m: Uint8Array, o: number): void {
  const x0 = m[o]! | (m[o + 1]! << 8) | (m[o + 2]! << 16) | (m[o + 3]! << 24);
  const x1 = m[o + 4]! | (m[o + 5]! << 8) | (m[o + 6]! << 16) | (m[o + 7]! << 24);
  const x2 = m[o + 8]! | (m[o + 9]! << 8) | (m[o + 10]! << 16) | (m[o + 11]! << 24);
  const x3 = m[o + 12]! | (m[o + 13]! << 8) | (m[o + 14]! << 16) | (m[o + 15]! << 24);
  const x4 = m[o + 16]! | (m[o + 17]! << 8) | (m[o + 18]! << 16) | (m[o + 19]! << 24);
  const x5 = m[o + 20]! | (m[o + 21]! << 8) | (m[o + 22]! << 16) | (m[o + 23]! << 24);
  const x6 = m[o + 24]! | (m[o + 25]! << 8) | (m[o + 26]! << 16) | (m[o + 27]! << 24);
  const x7 = m[o + 28]! | (m[o + 29]! << 8) | (m[o + 30]! << 16) | (m[o + 31]! << 24);
  const x8 = m[o + 32]! | (m[o + 33]! << 8) | (m[o + 34]! << 16) | (m[o + 35]! << 24);
  const x9 = m[o + 36]! | (m[o + 37]! << 8) | (m[o + 38]! << 16) | (m[o + 39]! << 24);
  const x10 = m[o + 40]! | (m[o + 41]! << 8) | (m[o + 42]! << 16) | (m[o + 43]! << 24);
  const x11 = m[o + 44]! | (m[o + 45]! << 8) | (m[o + 46]! << 16) | (m[o + 47]! << 24);
  const x12 = m[o + 48]! | (m[o + 49]! << 8) | (m[o + 50]! << 16) | (m[o + 51]! << 24);
  const x13 = m[o + 52]! | (m[o + 53]! << 8) | (m[o + 54]! << 16) | (m[o + 55]! << 24);
  const x14 = m[o + 56]! | (m[o + 57]! << 8) | (m[o + 58]! << 16) | (m[o + 59]! << 24);
  const x15 = m[o + 60]! | (m[o + 61]! << 8) | (m[o + 62]! << 16) | (m[o + 63]! << 24);
  let a = s[0]!;
  let b = s[1]!;
  let c = s[2]!;
  let d = s[3]!;
  let t: number;

  // Round 1 (F), round 2 (G), round 3 (H), round 4 (I): 16 steps each.
  t = (a + (d ^ (b & (c ^ d))) + x0 + 0xd76aa478) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
  t = (d + (c ^ (a & (b ^ c))) + x1 + 0xe8c7b756) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
  t = (c + (b ^ (d & (a ^ b))) + x2 + 0x242070db) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
  t = (b + (a ^ (c & (d ^ a))) + x3 + 0xc1bdceee) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
  t = (a + (d ^ (b & (c ^ d))) + x4 + 0xf57c0faf) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
  t = (d + (c ^ (a & (b ^ c))) + x5 + 0x4787c62a) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
  t = (c + (b ^ (d & (a ^ b))) + x6 + 0xa8304613) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
  t = (b + (a ^ (c & (d ^ a))) + x7 + 0xfd469501) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
  t = (a + (d ^ (b & (c ^ d))) + x8 + 0x698098d8) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
  t = (d + (c ^ (a & (b ^ c))) + x9 + 0x8b44f7af) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
  t = (c + (b ^ (d & (a ^ b))) + x10 + 0xffff5bb1) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
  t = (b + (a ^ (c & (d ^ a))) + x11 + 0x895cd7be) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
  t = (a + (d ^ (b & (c ^ d))) + x12 + 0x6b901122) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
  t = (d + (c ^ (a & (b ^ c))) + x13 + 0xfd987193) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
  t = (c + (b ^ (d & (a ^ b))) + x14 + 0xa679438e) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
  t = (b + (a ^ (c & (d ^ a))) + x15 + 0x49b40821) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;

  t = (a + (c ^ (d & (b ^ c))) + x1 + 0xf61e2562) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
  t = (d + (b ^ (c & (a ^ b))) + x6 + 0xc040b340) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
  t = (c + (a ^ (b & (d ^ a))) + x11 + 0x265e5a51) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
  t = (b + (d ^ (a & (c ^ d))) + x0 + 0xe9b6c7aa) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
  t = (a + (c ^ (d & (b ^ c))) + x5 + 0xd62f105d) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
  t = (d + (b ^ (c & (a ^ b))) + x10 + 0x02441453) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
  t = (c + (a ^ (b & (d ^ a))) + x15 + 0xd8a1e681) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
  t = (b + (d ^ (a & (c ^ d))) + x4 + 0xe7d3fbc8) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
  t = (a + (c ^ (d & (b ^ c))) + x9 + 0x21e1cde6) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
  t = (d + (b ^ (c & (a ^ b))) + x14 + 0xc33707d6) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
  t = (c + (a ^ (b & (d ^ a))) + x3 + 0xf4d50d87) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
  t = (b + (d ^ (a & (c ^ d))) + x8 + 0x455a14ed) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
  t = (a + (c ^ (d & (b ^ c))) + x13 + 0xa9e3e905) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
  t = (d + (b ^ (c & (a ^ b))) + x2 + 0xfcefa3f8) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
  t = (c + (a ^ (b & (d ^ a))) + x7 + 0x676f02d9) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
  t = (b + (d ^ (a & (c ^ d))) + x12 + 0x8d2a4c8a) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;

  t = (a + (b ^ c ^ d) + x5 + 0xfffa3942) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
  t = (d + (a ^ b ^ c) + x8 + 0x8771f681) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
  t = (c + (d ^ a ^ b) + x11 + 0x6d9d6122) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
  t = (b + (c ^ d ^ a) + x14 + 0xfde5380c) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
  t = (a + (b ^ c ^ d) + x1 + 0xa4beea44) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
  t = (d + (a ^ b ^ c) + x4 + 0x4bdecfa9) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
  t = (c + (d ^ a ^ b) + x7 + 0xf6bb4b60) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
  t = (b + (c ^ d ^ a) + x10 + 0xbebfbc70) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
  t = (a + (b ^ c ^ d) + x13 + 0x289b7ec6) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
  t = (d + (a ^ b ^ c) + x0 + 0xeaa127fa) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
  t = (c + (d ^ a ^ b) + x3 + 0xd4ef3085) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
  t = (b + (c ^ d ^ a) + x6 + 0x04881d05) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
  t = (a + (b ^ c ^ d) + x9 + 0xd9d4d039) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
  t = (d + (a ^ b ^ c) + x12 + 0xe6db99e5) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
  t = (c + (d ^ a ^ b) + x15 + 0x1fa27cf8) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
  t = (b + (c ^ d ^ a) + x2 + 0xc4ac5665) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;

  t = (a + (c ^ (b | ~d)) + x0 + 0xf4292244) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
  t = (d + (b ^ (a | ~c)) + x7 + 0x432aff97) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
  t = (c + (a ^ (d | ~b)) + x14 + 0xab9423a7) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
  t = (b + (d ^ (c | ~a)) + x5 + 0xfc93a039) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
  t = (a + (c ^ (b | ~d)) + x12 + 0x655b59c3) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
  t = (d + (b ^ (a | ~c)) + x3 + 0x8f0ccc92) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
  t = (c + (a ^ (d | ~b)) + x10 + 0xffeff47d) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
  t = (b + (d ^ (c | ~a)) + x1 + 0x85845dd1) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
  t = (a + (c ^ (b | ~d)) + x8 + 0x6fa87e4f) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
  t = (d + (b ^ (a | ~c)) + x15 + 0xfe2ce6e0) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
  t = (c + (a ^ (d | ~b)) + x6 + 0xa3014314) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
  t = (b + (d ^ (c | ~a)) + x13 + 0x4e0811a1) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
  t = (a + (c ^ (b | ~d)) + x4 + 0xf7537e82) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
  t = (d + (b ^ (a | ~c)) + x11 + 0xbd3af235) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
  t = (c + (a ^ (d | ~b)) + x2 + 0x2ad7d2bb) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
  t = (b + (d ^ (c | ~a)) + x9 + 0xeb86d391) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
  s[0] = (s[0]! + a) | 0;
  s[1] = (s[1]! + b) | 0;
  s[2] = (s[2]! + c) | 0;
  s[3] = (s[3]! + d) | 0;
}
