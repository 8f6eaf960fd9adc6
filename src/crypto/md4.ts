/**
 * MD4 (RFC 1320), needed by MS-CHAPv2 only: NtPasswordHash is MD4 over the UTF-16LE password
 * (RFC 2759 §8.3). MD4 is thoroughly broken; use it for nothing else. WebCrypto has no MD4.
 */
import { BlockHash } from './block-hash.js';

/** Message word order of rounds 2 and 3 (RFC 1320 §3.4). */
const R2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const R3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
/** Rotation amounts per round, repeating every four steps (RFC 1320 §3.4). */
const S1 = [3, 7, 11, 19];
const S2 = [3, 5, 9, 13];
const S3 = [3, 9, 11, 15];

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/**
 * An incremental MD4 hasher (RFC 1320).
 * @example
 * ```ts
 * const digest = new Md4().update(new TextEncoder().encode('abc')).digest(); // a448017a…
 * ```
 */
export class Md4 extends BlockHash {
  /** MD4 digests are 16 bytes. */
  readonly digestLength = 16;
  private readonly state = new Int32Array(4);
  private readonly x = new Int32Array(16);

  constructor() {
    super();
    this.reset();
  }

  protected init(): void {
    // RFC 1320 §3.3: the same initial words as MD5.
    const s = this.state;
    s[0] = 0x67452301;
    s[1] = 0xefcdab89 | 0;
    s[2] = 0x98badcfe | 0;
    s[3] = 0x10325476;
  }

  protected putLength(lo: number, hi: number): void {
    // Little-endian, low word first (RFC 1320 §3.2).
    const b = this.buffer;
    for (let i = 0; i < 4; i++) {
      b[56 + i] = lo >>> (8 * i);
      b[60 + i] = hi >>> (8 * i);
    }
  }

  protected compress(m: Uint8Array, o: number): void {
    const x = this.x;
    for (let i = 0; i < 16; i++) {
      const p = o + 4 * i;
      x[i] = m[p]! | (m[p + 1]! << 8) | (m[p + 2]! << 16) | (m[p + 3]! << 24);
    }
    const s = this.state;
    let a = s[0]!;
    let b = s[1]!;
    let c = s[2]!;
    let d = s[3]!;
    let t: number;
    // Each step computes the new a, then the registers rotate (a, b, c, d) ← (d, a', b, c).
    for (let i = 0; i < 16; i++) {
      t = rotl((a + ((b & c) | (~b & d)) + x[i]!) | 0, S1[i & 3]!);
      a = d; d = c; c = b; b = t;
    }
    for (let i = 0; i < 16; i++) {
      t = rotl((a + ((b & c) | (b & d) | (c & d)) + x[R2[i]!]! + 0x5a827999) | 0, S2[i & 3]!);
      a = d; d = c; c = b; b = t;
    }
    for (let i = 0; i < 16; i++) {
      t = rotl((a + (b ^ c ^ d) + x[R3[i]!]! + 0x6ed9eba1) | 0, S3[i & 3]!);
      a = d; d = c; c = b; b = t;
    }
    s[0] = (s[0]! + a) | 0;
    s[1] = (s[1]! + b) | 0;
    s[2] = (s[2]! + c) | 0;
    s[3] = (s[3]! + d) | 0;
  }

  protected output(target: Uint8Array, offset: number): void {
    const s = this.state;
    for (let i = 0; i < 16; i++) target[offset + i] = s[i >> 2]! >>> (8 * (i & 3));
  }
}

/**
 * The MD4 digest (16 bytes) of `data` (RFC 1320).
 * @example
 * ```ts
 * md4(new TextEncoder().encode('abc')); // a448017aaf21d8525fc10ae87aa6729d
 * ```
 */
export function md4(data: Uint8Array): Uint8Array {
  return new Md4().update(data).digest();
}
