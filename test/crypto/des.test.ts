/// <reference types="node" />
import { createCipheriv, getCiphers } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { desEncryptBlock } from '../../src/crypto/des.js';

const h = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!, (x) => parseInt(x, 16));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('DES single-block encryption (FIPS 46-3)', () => {
  it('the NBS/FIPS 81 example: "Now is t" under 0123456789abcdef', () => {
    expect(hex(desEncryptBlock(h('0123456789abcdef'), new TextEncoder().encode('Now is t')))).toBe('3fa40e8a984d4815');
  });
  it('the worked example of Grabbe\'s "DES algorithm illustrated": 0123456789abcdef under 133457799bbcdff1', () => {
    expect(hex(desEncryptBlock(h('133457799bbcdff1'), h('0123456789abcdef')))).toBe('85e813540f0ab405');
  });
  it.each([
    // NIST SP 800-17 Table A.1 (variable plaintext, key 0101…01): the first rows.
    ['0101010101010101', '8000000000000000', '95f8a5e5dd31d900'],
    ['0101010101010101', '4000000000000000', 'dd7f121ca5015619'],
    // SP 800-17 Table A.2 (variable key, plaintext 0): the first row.
    ['8001010101010101', '0000000000000000', '95a8d72813daa94d'],
  ])('SP 800-17 known answer: key %s, plaintext %s', (key, pt, ct) => {
    expect(hex(desEncryptBlock(h(key), h(pt)))).toBe(ct);
  });
  it('parity bits of the key do not matter', () => {
    expect(hex(desEncryptBlock(h('0023456789abcdee'), new TextEncoder().encode('Now is t')))).toBe('3fa40e8a984d4815');
  });
  it('writes into a given output at an offset', () => {
    const out = new Uint8Array(12).fill(0xee);
    desEncryptBlock(h('0123456789abcdef'), new TextEncoder().encode('Now is t'), out, 2);
    expect(hex(out)).toBe('eeee3fa40e8a984d4815eeee');
  });
  const hasDes = getCiphers().includes('des-ecb') && (() => { try { createCipheriv('des-ecb', new Uint8Array(8), null); return true; } catch { return false; } })();
  it.skipIf(!hasDes)('agrees with node:crypto des-ecb for random keys and blocks (skipped: OpenSSL legacy DES not loaded)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), (k, b) => {
      const c = createCipheriv('des-ecb', k, null).setAutoPadding(false);
      return hex(desEncryptBlock(k, b)) === hex(new Uint8Array(c.update(b)));
    }), { numRuns: 100 });
  });
  it('refuses keys and blocks that are not 8 bytes', () => {
    expect(() => desEncryptBlock(new Uint8Array(7), new Uint8Array(8))).toThrow(RangeError);
    expect(() => desEncryptBlock(new Uint8Array(8), new Uint8Array(9))).toThrow(RangeError);
    expect(() => desEncryptBlock(new Uint8Array(8), new Uint8Array(8), new Uint8Array(8), 1)).toThrow(RangeError);
  });
});
