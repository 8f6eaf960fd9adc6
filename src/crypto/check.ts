/**
 * Argument checks for the crypto layer, which imports nothing (not even `wire/`), so that any
 * layer may use it. Misuse is a local error: `TypeError`/`RangeError` saying what to change.
 * @internal
 */

/** Throws a `TypeError` unless `bytes` is a `Uint8Array`. */
export function checkBytes(bytes: unknown, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${what} must be a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  }
}

/** Throws a `RangeError` unless `[start, end)` is a range inside `length` bytes. */
export function checkRange(length: number, start: number, end: number): void {
  if (!Number.isInteger(end) || end < 0 || end > length) throw new RangeError(`end must be an integer from 0 to ${length}, got ${String(end)}`);
  if (!Number.isInteger(start) || start < 0 || start > end) throw new RangeError(`start must be an integer from 0 to ${end}, got ${String(start)}`);
}

/** Throws a `RangeError` unless `size` bytes fit in `target` at `offset`. */
export function checkRoom(target: Uint8Array, offset: number, size: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + size > target.length) {
    throw new RangeError(`offset must leave ${size} bytes in target (length ${target.length}), got ${String(offset)}`);
  }
}
