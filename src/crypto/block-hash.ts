/**
 * The Merkle–Damgård frame shared by MD4 (RFC 1320 §3.1–3.2) and SHA-1 (RFC 3174 §4): buffer
 * input into 64-byte blocks, pad with a 1 bit, zeros to 56 mod 64 and the bit length. Only the
 * compression function and the byte order of the length and digest differ, so each hash is a
 * subclass with those two things. A hasher allocates nothing after construction except the
 * array {@link BlockHash.digest} returns.
 */
import { checkBytes, checkRange, checkRoom } from './check.js';

/** Bytes per block of MD4, MD5 and SHA-1. */
const BLOCK = 64;

/**
 * What HMAC (RFC 2104) needs from a hash: incremental input, a digest written in place, and the
 * block and digest sizes. `Md5` (from the wire layer), {@link Md4} and {@link Sha1} fit it.
 * @example
 * ```ts
 * const h: Hasher = new Sha1();
 * h.update(bytes).digestInto(out, 0);
 * ```
 */
export interface Hasher {
  update(bytes: Uint8Array, start?: number, end?: number): this;
  digestInto(target: Uint8Array, offset?: number): Uint8Array;
  reset(): this;
}

/** @internal The shared buffering and padding; subclasses supply the compression. */
export abstract class BlockHash implements Hasher {
  /** Digest size in bytes. */
  abstract readonly digestLength: number;
  /** Block size in bytes (64 for MD4 and SHA-1). */
  readonly blockLength = BLOCK;
  protected readonly buffer = new Uint8Array(BLOCK);
  private buffered = 0;
  private total = 0;

  /** Forget everything hashed so far. */
  reset(): this {
    this.buffered = 0;
    this.total = 0;
    this.init();
    return this;
  }

  /**
   * Hash `bytes[start, end)` (the whole array by default). Returns `this` for chaining.
   * @throws `TypeError` unless `bytes` is a `Uint8Array`; `RangeError` for a bad range.
   */
  update(bytes: Uint8Array, start = 0, end: number = bytes?.length): this {
    checkBytes(bytes, 'bytes');
    checkRange(bytes.length, start, end);
    this.total += end - start;
    let o = start;
    const buf = this.buffer;
    if (this.buffered > 0) {
      const n = Math.min(BLOCK - this.buffered, end - o);
      buf.set(bytes.subarray(o, o + n), this.buffered);
      this.buffered += n;
      o += n;
      if (this.buffered < BLOCK) return this;
      this.compress(buf, 0);
      this.buffered = 0;
    }
    for (; end - o >= BLOCK; o += BLOCK) this.compress(bytes, o);
    if (o < end) {
      buf.set(bytes.subarray(o, end), 0);
      this.buffered = end - o;
    }
    return this;
  }

  /**
   * Finish and write the digest into `target` at `offset`; the hasher is then reset.
   * @throws `RangeError` when the digest does not fit at `offset`.
   */
  digestInto(target: Uint8Array, offset = 0): Uint8Array {
    checkBytes(target, 'target');
    checkRoom(target, offset, this.digestLength);
    const buf = this.buffer;
    let n = this.buffered;
    buf[n++] = 0x80;
    if (n > 56) {
      buf.fill(0, n);
      this.compress(buf, 0);
      n = 0;
    }
    buf.fill(0, n, 56);
    // The bit length, total * 8, as two 32-bit words without losing bits above 2^32.
    this.putLength((this.total * 8) >>> 0, Math.floor(this.total / 0x20000000) >>> 0);
    this.compress(buf, 0);
    this.output(target, offset);
    this.reset();
    return target;
  }

  /** Finish and return the digest; the hasher is then reset. */
  digest(): Uint8Array {
    return this.digestInto(new Uint8Array(this.digestLength), 0);
  }

  /** Set the chaining state to the initial value. */
  protected abstract init(): void;
  /** Write the 64-bit bit length into buffer[56..64) in the hash's byte order. */
  protected abstract putLength(lo: number, hi: number): void;
  /** The compression function over the 64 bytes at `m[o]`. */
  protected abstract compress(m: Uint8Array, o: number): void;
  /** Write the chaining state as the digest. */
  protected abstract output(target: Uint8Array, offset: number): void;
}
