/**
 * The CHAP-like tunnel authentication helpers (RFC 2661 §4.2, §5.1.1) at their edges: a string
 * secret is its UTF-8 bytes exactly as the platform's TextEncoder gives them (an independent
 * encoder: surrogate pairs, lone surrogates → U+FFFD, each UTF-8 length boundary), and misuse
 * is a TypeError/RangeError naming the argument.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { challengeResponse, verifyChallengeResponse } from '../../src/index.js';
import { secretBytes } from '../../src/wire/challenge.js';
import { toHex } from '../support/hex.js';

const CHALLENGE = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

describe('a string secret is UTF-8 encoded as TextEncoder does', () => {
  const cases: [string, string][] = [
    ['the last 1-byte and first 2-byte code points', '\u007f\u0080'],
    ['the last 2-byte and first 3-byte code points', '\u07ff\u0800'],
    ['the last BMP code point', '\uffff'],
    ['U+10000, the first surrogate pair', '\ud800\udc00'],
    ['U+10FFFF, the last surrogate pair', '\udbff\udfff'],
    ['a pair in the middle of text', 'a\ud83d\ude00b'],
    ['a lone high surrogate at the end', 'x\ud800'],
    ['a lone high surrogate before a non-surrogate', '\ud800x'],
    ['a high surrogate before U+E000 (past the low range)', '\ud800\ue000'],
    ['a lone low surrogate U+DFFF', '\udfff'],
    ['two low surrogates', '\udc00\udc00'],
    ['a low then a high surrogate', '\udc00\ud800'],
  ];

  it.each(cases)('%s', (_, s) => {
    const want = new TextEncoder().encode(s);
    expect(toHex(secretBytes(s))).toBe(toHex(want));
    // §4.2: the response is MD5(type | secret | challenge) over those bytes.
    const md5 = createHash('md5').update(Uint8Array.of(2)).update(want).update(CHALLENGE).digest();
    expect(toHex(challengeResponse(2, s, CHALLENGE))).toBe(md5.toString('hex'));
  });
});

describe('misuse names the argument', () => {
  it('challengeResponse: messageType, secret, challenge', () => {
    expect(() => challengeResponse(256, 's', CHALLENGE)).toThrow(new RangeError('messageType must be an integer from 0 to 255, got 256'));
    expect(() => challengeResponse(2, null as never, CHALLENGE)).toThrow(new TypeError('secret must be a string or a Uint8Array, got null'));
    expect(() => challengeResponse(2, 42 as never, CHALLENGE)).toThrow(new TypeError('secret must be a string or a Uint8Array, got number'));
    expect(() => challengeResponse(2, 's', 'abc' as never)).toThrow(new TypeError('challenge must be a Uint8Array, got string'));
  });

  it('verifyChallengeResponse: response', () => {
    expect(() => verifyChallengeResponse(2, 's', CHALLENGE, [1, 2] as never)).toThrow(new TypeError('response must be a Uint8Array, got object'));
  });
});
