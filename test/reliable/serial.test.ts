/**
 * Serial arithmetic on Ns/Nr (RFC 2661 §5.8: "all calculations on Ns and Nr are performed modulo
 * 2**16"): `a` is after `b` when (a − b) mod 2^16 is 1–32767; 32768 away is the past for a receiver.
 */
import { describe, expect, it } from 'vitest';
import { MAX_WINDOW, seqAdd, seqBefore, seqDistance } from '../../src/reliable/serial.js';

describe('serial arithmetic modulo 2^16 (RFC 2661 §5.8)', () => {
  it('seqAdd adds and wraps past 65535 to 0', () => {
    expect(seqAdd(1, 2)).toBe(3);
    expect(seqAdd(65535, 1)).toBe(0);
    expect(seqAdd(65000, 1000)).toBe(464);
  });

  it('seqDistance is how far a is ahead of b, across the wrap', () => {
    expect(seqDistance(3, 1)).toBe(2);
    expect(seqDistance(1, 65535)).toBe(2);
    expect(seqDistance(1, 3)).toBe(65534);
  });

  it('seqBefore: 1–32767 behind is before; equal is not; 32768 away is not (half the space)', () => {
    expect(MAX_WINDOW).toBe(32768);
    expect(seqBefore(5, 5)).toBe(false);
    expect(seqBefore(4, 5)).toBe(true);
    expect(seqBefore(5, 4)).toBe(false);
    expect(seqBefore(65535, 0)).toBe(true); // across the wrap
    expect(seqBefore(0, 65535)).toBe(false);
    expect(seqBefore(0, 32767)).toBe(true);
    expect(seqBefore(0, 32768)).toBe(false);
    expect(seqBefore(32768, 0)).toBe(false);
  });
});
