/**
 * UTF-8 for names, passwords and messages. The core targets ES2022 without DOM typings, where
 * `TextEncoder` is not declared, so the wire layer's hand-written codec is reused.
 * @internal
 */
import { secretBytes } from '../wire/challenge.js';
import { decodeUtf8 } from '../wire/value-codecs.js';

/** UTF-8 bytes of `s` (lone surrogates become U+FFFD). */
export const utf8 = (s: string): Uint8Array => secretBytes(s);
/** Text of UTF-8 bytes. */
export const fromUtf8 = (b: Uint8Array): string => decodeUtf8(b, 0, b.length);
