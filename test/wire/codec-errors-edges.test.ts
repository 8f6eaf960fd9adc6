/**
 * What a caller is told when a typed field has the wrong kind of value (src/wire/codec-checks.ts,
 * DESIGN §4: local misuse is a TypeError/RangeError saying what to change): the field, its AVP,
 * and what was given — null and arrays by name, not as "object". And jsonValue (src/wire/json.ts)
 * on nulls and arrays.
 */
import { describe, expect, it } from 'vitest';
import { encodeControl, jsonValue, MessageType } from '../../src/index.js';

describe('a refused value is named by what it is', () => {
  it.each([
    ['a string', 'x', 'string'],
    ['null', null, 'null'],
    ['an array', [1], 'array'],
  ])('a 16-bit field given %s', (_, v, what) => {
    expect(() => encodeControl({ type: MessageType.SCCRQ, assignedTunnelId: v as never })).toThrow(
      new TypeError(`assignedTunnelId (Assigned Tunnel ID AVP): value must be a number, got ${what}`),
    );
  });

  it.each([
    ['null', null, 'null'],
    ['an array', [1, 0], 'array'],
  ])('a structured field (Result Code, §4.4.2) given %s', (_, v, what) => {
    expect(() => encodeControl({ type: MessageType.StopCCN, resultCode: v as never })).toThrow(
      new TypeError(`resultCode (Result Code AVP): resultCode must be an object, got ${what}`),
    );
  });

  it('a fixed-size field (Tie Breaker, §4.4.3: 8 octets) of another size says "exactly"', () => {
    expect(() => encodeControl({ type: MessageType.SCCRQ, tieBreaker: new Uint8Array(7) })).toThrow(
      new RangeError('tieBreaker (Tie Breaker AVP): value is 7 bytes; it must be exactly 8 bytes'),
    );
  });
});

describe('jsonValue', () => {
  it('keeps null, and keeps arrays arrays (their items converted)', () => {
    const v = jsonValue({ a: null, b: [1n, Uint8Array.of(0xab), { c: 2n }] } as const);
    expect(v).toEqual({ a: null, b: ['1', 'ab', { c: '2' }] });
    expect(Array.isArray((v as { b: unknown }).b)).toBe(true);
  });
});
