/**
 * UTF-8 of AVP strings (src/wire/utf8.ts) at the code-point boundaries where the encoded size
 * changes (U+07FF/U+0800), at surrogates (pairs, lone halves, a low half after a non-surrogate)
 * and at a leading U+FEFF. Known answers are the platform's TextEncoder/TextDecoder (WHATWG
 * Encoding: lone surrogates become U+FFFD, EF BF BD) and hand-written UTF-8 (RFC 3629 §3).
 */
import { describe, expect, it } from 'vitest';
import * as c from '../../src/wire/value-codecs.js';
import { hex, toHex } from '../support/hex.js';

const text = c.string();
const utf8 = (s: string) => new TextEncoder().encode(s);

function encode(s: string): Uint8Array {
  const b = new Uint8Array(text.encodedLength(s));
  text.encode(s, b, 0);
  return b;
}

describe('encoded size and bytes agree with TextEncoder', () => {
  it.each([
    ['U+07FF, the last 2-byte code point', '\u07ff', 'dfbf'],
    ['U+0800, the first 3-byte code point', '\u0800', 'e0a080'],
    ['U+1F600 as a surrogate pair (4 bytes)', '\u{1f600}', 'f09f9880'],
    ['U+10FFFF, the last code point (pair DBFF DFFF)', '\u{10ffff}', 'f48fbfbf'],
    ['a lone high surrogate at the end', 'a\ud800', '61efbfbd'],
    ['a lone high surrogate before a 2-byte character', '\ud800\u00e9', 'efbfbdc3a9'],
    ['a lone low surrogate U+DC00', '\udc00', 'efbfbd'],
    ['a lone low surrogate U+DFFF (the last surrogate)', '\udfff', 'efbfbd'],
    ['two low surrogates', '\udc00\udc00', 'efbfbdefbfbd'],
    ['U+0800 then a lone low surrogate', '\u0800\udc00', 'e0a080efbfbd'],
    ['U+E000 then a lone low surrogate', '\ue000\udc00', 'ee8080efbfbd'],
  ])('%s', (_, s, want) => {
    expect(toHex(utf8(s))).toBe(want); // the reference agrees with the hand-written bytes
    expect(text.encodedLength(s)).toBe(want.length / 2);
    expect(toHex(encode(s))).toBe(want);
  });
});

describe('decoding keeps a leading U+FEFF (it is part of the value, not a byte-order mark)', () => {
  it('EF BB BF 41 decodes to U+FEFF "A", as TextDecoder with ignoreBOM', () => {
    const b = hex('efbbbf41');
    expect(text.decode(b, 0, b.length)).toBe('\ufeffA');
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(b)).toBe('\ufeffA');
  });
});
