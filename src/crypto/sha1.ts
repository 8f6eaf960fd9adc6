/**
 * SHA-1 (FIPS 180-4, RFC 3174), needed by MS-CHAPv2: ChallengeHash and the authenticator
 * response (RFC 2759 §8.2, §8.7). WebCrypto has SHA-1 but only asynchronously, and the PPP layer
 * is synchronous and sans-I/O.
 */
import { BlockHash } from './block-hash.js';

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/**
 * An incremental SHA-1 hasher (RFC 3174).
 * @example
 * ```ts
 * const digest = new Sha1().update(new TextEncoder().encode('abc')).digest(); // a9993e36…
 * ```
 */
export class Sha1 extends BlockHash {
  /** SHA-1 digests are 20 bytes. */
  readonly digestLength = 20;
  private readonly state = new Int32Array(5);
  /** The 80-word message schedule W (RFC 3174 §6.1 step b–c). */
  private readonly w = new Int32Array(80);

  constructor() {
    super();
    this.reset();
  }

  protected init(): void {
    // RFC 3174 §6.1: H0..H4.
    const s = this.state;
    s[0] = 0x67452301;
    s[1] = 0xefcdab89 | 0;
    s[2] = 0x98badcfe | 0;
    s[3] = 0x10325476;
    s[4] = 0xc3d2e1f0 | 0;
  }

  protected putLength(lo: number, hi: number): void {
    // Big-endian, high word first (RFC 3174 §4 c).
    const b = this.buffer;
    for (let i = 0; i < 4; i++) {
      b[56 + i] = hi >>> (24 - 8 * i);
      b[60 + i] = lo >>> (24 - 8 * i);
    }
  }

  protected compress(m: Uint8Array, o: number): void {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      const p = o + 4 * i;
      w[i] = (m[p]! << 24) | (m[p + 1]! << 16) | (m[p + 2]! << 8) | m[p + 3]!;
    }
    for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!, 1);
    const s = this.state;
    let a = s[0]!;
    let b = s[1]!;
    let c = s[2]!;
    let d = s[3]!;
    let e = s[4]!;
    // RFC 3174 §5: f and K change every 20 steps.
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const t = (rotl(a, 5) + f + e + w[i]! + k) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    s[0] = (s[0]! + a) | 0;
    s[1] = (s[1]! + b) | 0;
    s[2] = (s[2]! + c) | 0;
    s[3] = (s[3]! + d) | 0;
    s[4] = (s[4]! + e) | 0;
  }

  protected output(target: Uint8Array, offset: number): void {
    const s = this.state;
    for (let i = 0; i < 20; i++) target[offset + i] = s[i >> 2]! >>> (24 - 8 * (i & 3));
  }
}

/**
 * The SHA-1 digest (20 bytes) of `data` (RFC 3174).
 * @example
 * ```ts
 * sha1(new TextEncoder().encode('abc')); // a9993e364706816aba3e25717850c26c9cd0d89d
 * ```
 */
export function sha1(data: Uint8Array): Uint8Array {
  return new Sha1().update(data).digest();
}
