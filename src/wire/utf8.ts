/**
 * UTF-8 for AVP strings (Host Name, Vendor Name, Result Code messages, …; RFC 2661 §4.4): a fast
 * path for short ASCII, `TextDecoder` for the rest, and an encoder that writes into the message.
 */


// Non-fatal: AVP strings are octets on the wire and peers send Latin-1 now and then; a typed
// field with U+FFFD is better than refusing the message (the raw bytes stay in `avps`).
// TextDecoder is a global in every runtime this library targets, but the core compiles against
// ES2022 without DOM typings, so it is reached through this minimal shape.
interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
let decoder: Utf8Decoder | undefined;
const TextDecoderCtor = (globalThis as unknown as { TextDecoder: new (label: string, options: { ignoreBOM: boolean }) => Utf8Decoder })
  .TextDecoder;

/**
 * @internal Decode `length` bytes at `o` as UTF-8. Short ASCII (host names, vendor names: the
 * usual case) is built by `String.fromCharCode` with one argument per byte — one call and one
 * string for up to 16 bytes (each `+=` of a piece would allocate another) —; non-ASCII and values
 * of 32 bytes or more go to `TextDecoder`, which measured faster from about 32 bytes on (Node 20).
 */
export function decodeUtf8(b: Uint8Array, o: number, length: number): string {
  if (length > 16) {
    if (length >= 32) return slowUtf8(b, o, o + length);
    // Both halves ASCII, else the whole value to TextDecoder (a character may straddle the cut).
    const head = shortAscii(b, o, 16);
    const tail = head === undefined ? undefined : shortAscii(b, o + 16, length - 16);
    return tail === undefined ? slowUtf8(b, o, o + length) : head! + tail;
  }
  return shortAscii(b, o, length) ?? slowUtf8(b, o, o + length);
}

const fc = String.fromCharCode;

/**
 * `length` (≤ 16) bytes at `o` as a string if they are all ASCII (else `undefined`): each byte is
 * read once, into a local that both the ASCII test and one `fromCharCode` call with exactly that
 * many arguments use. Generated shape, one case per length (a loop would read every byte twice
 * or build the string piecewise).
 */
function shortAscii(b: Uint8Array, o: number, length: number): string | undefined {
  switch (length) {
    case 0:
      return '';
    case 1: {
      const c0 = b[o]!;
      return c0 & 0x80 ? undefined : fc(c0);
    }
    case 2: {
      const c0 = b[o]!, c1 = b[o + 1]!;
      return (c0 | c1) & 0x80 ? undefined : fc(c0, c1);
    }
    case 3: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!;
      return (c0 | c1 | c2) & 0x80 ? undefined : fc(c0, c1, c2);
    }
    case 4: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!;
      return (c0 | c1 | c2 | c3) & 0x80 ? undefined : fc(c0, c1, c2, c3);
    }
    case 5: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!;
      return (c0 | c1 | c2 | c3 | c4) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4);
    }
    case 6: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!;
      return (c0 | c1 | c2 | c3 | c4 | c5) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5);
    }
    case 7: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6);
    }
    case 8: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!, c7 = b[o + 7]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6, c7);
    }
    case 9: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!, c7 = b[o + 7]!, c8 = b[o + 8]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6, c7, c8);
    }
    case 10: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!, c7 = b[o + 7]!, c8 = b[o + 8]!, c9 = b[o + 9]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
    }
    case 11: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!, c7 = b[o + 7]!, c8 = b[o + 8]!, c9 = b[o + 9]!, c10 = b[o + 10]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10);
    }
    case 12: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!, c7 = b[o + 7]!, c8 = b[o + 8]!, c9 = b[o + 9]!, c10 = b[o + 10]!, c11 = b[o + 11]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11);
    }
    case 13: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!, c7 = b[o + 7]!, c8 = b[o + 8]!, c9 = b[o + 9]!, c10 = b[o + 10]!, c11 = b[o + 11]!, c12 = b[o + 12]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12);
    }
    case 14: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!, c7 = b[o + 7]!, c8 = b[o + 8]!, c9 = b[o + 9]!, c10 = b[o + 10]!, c11 = b[o + 11]!, c12 = b[o + 12]!, c13 = b[o + 13]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13);
    }
    case 15: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!, c7 = b[o + 7]!, c8 = b[o + 8]!, c9 = b[o + 9]!, c10 = b[o + 10]!, c11 = b[o + 11]!, c12 = b[o + 12]!, c13 = b[o + 13]!, c14 = b[o + 14]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14);
    }
    case 16: {
      const c0 = b[o]!, c1 = b[o + 1]!, c2 = b[o + 2]!, c3 = b[o + 3]!, c4 = b[o + 4]!, c5 = b[o + 5]!, c6 = b[o + 6]!, c7 = b[o + 7]!, c8 = b[o + 8]!, c9 = b[o + 9]!, c10 = b[o + 10]!, c11 = b[o + 11]!, c12 = b[o + 12]!, c13 = b[o + 13]!, c14 = b[o + 14]!, c15 = b[o + 15]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11 | c12 | c13 | c14 | c15) & 0x80 ? undefined : fc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
    }
    default:
      return undefined;
  }
}

function slowUtf8(b: Uint8Array, start: number, end: number): string {
  // ignoreBOM: a leading U+FEFF is part of the value, not a byte-order mark to strip.
  decoder ??= new TextDecoderCtor('utf-8', { ignoreBOM: true });
  return decoder.decode(b.subarray(start, end));
}

/** @internal UTF-8 length of `s` (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder does). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

/** @internal Write `s` as UTF-8 at `o`; returns the offset after it. */
export function encodeUtf8(s: string, b: Uint8Array, o: number): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[o++] = c;
    } else if (c < 0x800) {
      b[o++] = 0xc0 | (c >> 6);
      b[o++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && (d & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        b[o++] = 0xf0 | (c >> 18);
        b[o++] = 0x80 | ((c >> 12) & 0x3f);
        b[o++] = 0x80 | ((c >> 6) & 0x3f);
        b[o++] = 0x80 | (c & 0x3f);
      } else {
        b[o++] = 0xef; // lone surrogate → U+FFFD
        b[o++] = 0xbf;
        b[o++] = 0xbd;
      }
    } else {
      b[o++] = 0xe0 | (c >> 12);
      b[o++] = 0x80 | ((c >> 6) & 0x3f);
      b[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o;
}
