/**
 * Checks and byte helpers shared by the value codecs: local misuse is a `TypeError`/`RangeError`
 * saying what to change (DESIGN §4).
 */

/** Largest AVP value: the 10-bit AVP Length (1023) minus the 6-byte AVP header (RFC 2661 §4.1). */
export const MAX = 1017;

export function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

export function needUint(v: unknown, max: number, what: string): void {
  if (typeof v !== 'number') throw new TypeError(`${what} must be a number, got ${typeName(v)}`);
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`${what} must be an integer from 0 to ${max}, got ${v}`);
  }
}

export function needObject(v: unknown, what: string): asserts v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new TypeError(`${what} must be an object, got ${typeName(v)}`);
  }
}

export function checkSize(n: number, min: number, max: number, what: string, unit = 'bytes'): number {
  if (n < min || n > max) {
    throw new RangeError(`${what} is ${n} ${unit}; it must be ${min === max ? `exactly ${min}` : `from ${min} to ${max}`} ${unit}`);
  }
  return n;
}

// The byte writers and the 32-bit reader the codecs use are the wire's own (bytes.ts).
export { put16, put32, u32 as get32 } from './bytes.js';

export function needString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string, got ${typeName(v)}`);
  return v;
}
