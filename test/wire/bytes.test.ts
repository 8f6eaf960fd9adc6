/**
 * src/wire/bytes.ts: the byte-argument check every parser and encoder starts with, and the slab
 * encoders take small messages from (its header comment: views into a shared 8 KiB slab, each
 * exactly its message, never handed out twice; messages over POOL_MAX bytes get their own buffer).
 */
import { describe, expect, it } from 'vitest';
import { alloc, POOL_MAX } from '../../src/wire/bytes.js';
import { parseHeader } from '../../src/wire/header.js';

const SLAB = 8192;

describe('a parser given something other than bytes says what it got (TypeError)', () => {
  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    ['c802', 'string'],
    [0xc802, 'number'],
    [[0xc8, 0x02], 'object'],
    [new ArrayBuffer(12), 'object'],
  ])('%s', (input, got) => {
    expect(() => parseHeader(input as never)).toThrow(new TypeError(`bytes must be a Uint8Array, got ${got}`));
  });
});

describe('alloc: small messages share a slab, big ones own their buffer', () => {
  it(`up to POOL_MAX (${POOL_MAX}) bytes is a view into an ${SLAB}-byte slab; one byte more is its own buffer`, () => {
    expect(POOL_MAX).toBe(1024);
    const small = alloc(POOL_MAX);
    expect([small.byteLength, small.buffer.byteLength]).toEqual([POOL_MAX, SLAB]);
    const big = alloc(POOL_MAX + 1);
    expect([big.byteOffset, big.byteLength, big.buffer.byteLength]).toEqual([0, POOL_MAX + 1, POOL_MAX + 1]);
    const huge = alloc(3 * SLAB);
    expect([huge.byteOffset, huge.byteLength, huge.buffer.byteLength]).toEqual([0, 3 * SLAB, 3 * SLAB]);
  });

  it('fills a slab to its last byte before starting the next, with views that never overlap', () => {
    // Reach the start of a fresh slab (at most 8 views of 1024 bytes fill the current one).
    let first = alloc(1024);
    for (let i = 0; i < 8 && first.byteOffset !== 0; i++) first = alloc(1024);
    expect(first.byteOffset).toBe(0);
    const views = [first];
    for (let i = 1; i < 8; i++) views.push(alloc(1024));
    expect(views.map((v) => v.byteOffset)).toEqual([0, 1024, 2048, 3072, 4096, 5120, 6144, 7168]);
    expect(views.every((v) => v.buffer === first.buffer && v.byteLength === 1024)).toBe(true);
    views.forEach((v, i) => v.fill(i + 1));
    expect(views.map((v) => v.every((x) => x === v[0]) && v[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // The slab is full: the next message, however small, starts a new one.
    const next = alloc(1);
    expect([next.byteOffset, next.buffer === first.buffer]).toEqual([0, false]);
    // Views stay 8-byte aligned (the comment in bytes.ts: a caller's typed views over them stay fast).
    expect(alloc(3).byteOffset).toBe(8);
    expect(alloc(3).byteOffset).toBe(16);
  });
});
