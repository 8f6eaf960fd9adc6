/// <reference types="node" />
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Md5, md5 } from '../../src/wire/md5.js';
import { runs } from '../runs.js';
import { expectLocalError } from '../support/local-errors.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
/** The reference: Node's OpenSSL MD5 (allowed in tests only). */
const nodeMd5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

describe('md5: RFC 1321 §A.5 test suite', () => {
  // Every pair printed in RFC 1321 Appendix A.5.
  const suite: [string, string][] = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
  ];
  it.each(suite)('MD5("%s")', (input, digest) => {
    expect(hex(md5(ascii(input)))).toBe(digest);
  });

  it('the incremental class gives the same answers, byte by byte', () => {
    const h = new Md5();
    for (const [input, digest] of suite) {
      const b = ascii(input);
      for (let i = 0; i < b.length; i++) h.update(b, i, i + 1);
      expect(hex(h.digest())).toBe(digest);
    }
  });
});

describe('md5: block and padding boundaries (§3.1–3.2)', () => {
  // 55 bytes: padding fits in one block; 56: length spills into a second; 63/64/65 around a block.
  const lengths = [1, 15, 16, 17, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129, 191, 192, 1000, 1017, 4096, 65537];
  it.each(lengths)('%i bytes agree with node:crypto', (n) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (i * 131 + 17) & 0xff;
    expect(hex(md5(b))).toBe(nodeMd5(b));
  });

  it('bytes of 0xff and 0x80 (sign-bit handling in the Int32 word reads)', () => {
    for (const fill of [0x80, 0xff]) {
      const b = new Uint8Array(200).fill(fill);
      expect(hex(md5(b))).toBe(nodeMd5(b));
    }
  });
});

describe('Md5 class', () => {
  it('update(bytes, start, end) hashes only that range', () => {
    const b = ascii('xxabcyy');
    expect(hex(new Md5().update(b, 2, 5).digest())).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('digest() resets: the same hasher hashes the next message from scratch', () => {
    const h = new Md5();
    h.update(ascii('garbage'));
    h.digest();
    expect(hex(h.update(ascii('abc')).digest())).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('reset() drops what was hashed', () => {
    const h = new Md5().update(ascii('garbage that spans more than one block of sixty-four bytes, surely'));
    h.reset();
    expect(hex(h.digest())).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('digestInto writes 16 bytes at an offset and leaves the rest alone', () => {
    const out = new Uint8Array(20).fill(0xee);
    new Md5().update(ascii('a')).digestInto(out, 2);
    expect(hex(out)).toBe('eeee' + '0cc175b9c0f1b6a831c399e269772661' + 'eeee');
  });

  it('rejects misuse with TypeError / RangeError', () => {
    const h = new Md5();
    expect(() => h.update('abc' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => h.update(new Uint8Array(4), 3, 2)).toThrow(RangeError);
    expect(() => h.update(new Uint8Array(4), 0, 5)).toThrow(RangeError);
    expect(() => h.digestInto(new Uint8Array(16), 1)).toThrow(RangeError);
    expect(() => md5([1, 2, 3] as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('each misuse names the argument to change, in exactly these words', () => {
    const h = new Md5();
    expectLocalError(() => md5([1, 2, 3] as unknown as Uint8Array), TypeError, 'data must be a Uint8Array, got object');
    // No bytes at all, and no range: the argument check speaks, not a property read on undefined.
    expectLocalError(() => h.update(undefined as unknown as Uint8Array), TypeError, 'bytes must be a Uint8Array, got undefined');
    expectLocalError(() => h.digestInto('x' as unknown as Uint8Array), TypeError, 'target must be a Uint8Array, got string');
    expectLocalError(() => h.digestInto(new Uint8Array(20), 5), RangeError, 'offset must be an integer from 0 to 4, got 5');
  });
});

describe('md5: properties against node:crypto', () => {
  it('one-shot equals createHash("md5") on 2000+ random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), (b) => {
        expect(hex(md5(b))).toBe(nodeMd5(b));
      }),
      { numRuns: runs(2500) },
    );
  });

  it('incremental update in random splits equals one-shot', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (b, cuts) => {
          const points = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
          const h = new Md5();
          let prev = 0;
          for (const p of points) {
            h.update(b, prev, p);
            prev = p;
          }
          h.update(b, prev);
          expect(hex(h.digest())).toBe(nodeMd5(b));
        },
      ),
      { numRuns: runs(1500) },
    );
  });

  it('hashing a subarray view agrees (byteOffset is respected)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(40), (b, skip) => {
        const big = new Uint8Array(skip + b.length);
        big.set(b, skip);
        expect(hex(md5(big.subarray(skip)))).toBe(nodeMd5(b));
      }),
      { numRuns: runs(500) },
    );
  });
});
