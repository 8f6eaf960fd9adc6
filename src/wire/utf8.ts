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
 * usual case) is built four bytes per `String.fromCharCode` call; non-ASCII and values of 32 bytes
 * or more go to `TextDecoder`, which measured faster from about 32 bytes on (Node 20).
 */
export function decodeUtf8(b: Uint8Array, o: number, length: number): string {
  const end = o + length;
  if (length < 32) {
    let s = '';
    let i = o;
    for (; i + 4 <= end; i += 4) {
      const c0 = b[i]!;
      const c1 = b[i + 1]!;
      const c2 = b[i + 2]!;
      const c3 = b[i + 3]!;
      if ((c0 | c1 | c2 | c3) & 0x80) return slowUtf8(b, o, end);
      s += String.fromCharCode(c0, c1, c2, c3);
    }
    for (; i < end; i++) {
      const c = b[i]!;
      if (c & 0x80) return slowUtf8(b, o, end);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return slowUtf8(b, o, end);
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
