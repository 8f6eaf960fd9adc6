/**
 * Big-endian reads and writes straight on a `Uint8Array`. Creating a `DataView` per message costs
 * more than parsing a whole header, so the hot paths index the caller's bytes directly.
 * @internal
 */

export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v;
}

/**
 * @internal The 6-byte AVP header (RFC 2661 §4.1): the M/H bits with the Length, the Vendor ID and
 * the Attribute Type, each 16 bits. Callers have checked the fields.
 */
export function putAvpHeader(b: Uint8Array, o: number, flagsAndLength: number, vendorId: number, type: number): void {
  put16(b, o, flagsAndLength);
  put16(b, o + 2, vendorId);
  put16(b, o + 4, type);
}

export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}

/** Throws a `TypeError` unless `bytes` is a `Uint8Array` (a local error: our API misused). */
export function assertBytes(bytes: unknown, what = 'bytes'): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${what} must be a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  }
}

/** Throws a `RangeError` unless `v` is an integer in [min, max] (a local error). */
export function assertInt(v: unknown, min: number, max: number, what: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${what} must be an integer from ${min} to ${max}, got ${String(v)}`);
  }
}

/**
 * Encoders return small messages as views into a shared 8 KiB slab, as Node's
 * allocUnsafe pool does: allocating an `ArrayBuffer` per message costs more than encoding it.
 * Each view is exactly the message (offset and length right), written in full by its encoder,
 * and never handed out twice; only `view.buffer` is shared, so pass views (not `.buffer`) to
 * I/O, or `slice()` them.
 */
const POOL_SIZE = 8192;
/** Largest message taken from the slab; bigger ones get their own buffer. */
export const POOL_MAX = 1024;
let pool = new ArrayBuffer(POOL_SIZE);
let poolBytes = new Uint8Array(pool);
let poolOffset = 0;

/** @internal A `Uint8Array` of `size` bytes for an encoder to fill (pooled when small; see above). */
export function alloc(size: number): Uint8Array {
  if (size > POOL_MAX) return new Uint8Array(size);
  return poolCommit(poolStart(size), size);
}

/**
 * @internal Start writing a message of at most `max` (≤ {@link POOL_MAX}) bytes straight into
 * the slab: returns the offset in {@link poolSlab} to write at. Nothing is taken until
 * {@link poolCommit}, so an encoder that fails or gives up just leaves.
 */
export function poolStart(max: number): number {
  if (poolOffset + max > POOL_SIZE) {
    pool = new ArrayBuffer(POOL_SIZE);
    poolBytes = new Uint8Array(pool);
    poolOffset = 0;
  }
  return poolOffset;
}

/** @internal The whole current slab (valid until the next {@link poolStart}). */
export function poolSlab(): Uint8Array {
  return poolBytes;
}

/** @internal Take `size` bytes written at `start` (from {@link poolStart}) as the message's view. */
export function poolCommit(start: number, size: number): Uint8Array {
  const view = new Uint8Array(pool, start, size);
  // Keep views 8-byte aligned so a caller's DataView/typed views over them stay fast.
  poolOffset = (start + size + 7) & ~7;
  return view;
}
