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
  if (length >= 32) return slowUtf8(b, o, o + length);
  let any = 0;
  for (let i = o, end = o + length; i < end; i++) any |= b[i]!;
  if (any & 0x80) return slowUtf8(b, o, o + length);
  return length > 16 ? shortAscii(b, o, 16) + shortAscii(b, o + 16, length - 16) : shortAscii(b, o, length);
}

const fc = String.fromCharCode;

/** `length` (≤ 16) ASCII bytes at `o` as a string: one `fromCharCode` call with exactly that many arguments. */
function shortAscii(b: Uint8Array, o: number, length: number): string {
  switch (length) {
    case 1:
      return fc(b[o]!);
    case 2:
      return fc(b[o]!, b[o + 1]!);
    case 3:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!);
    case 4:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
    case 5:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!);
    case 6:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!);
    case 7:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!);
    case 8:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!);
    case 9:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!, b[o + 8]!);
    case 10:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!, b[o + 8]!, b[o + 9]!);
    case 11:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!, b[o + 8]!, b[o + 9]!, b[o + 10]!);
    case 12:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!, b[o + 8]!, b[o + 9]!, b[o + 10]!, b[o + 11]!);
    case 13:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!, b[o + 8]!, b[o + 9]!, b[o + 10]!, b[o + 11]!, b[o + 12]!);
    case 14:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!, b[o + 8]!, b[o + 9]!, b[o + 10]!, b[o + 11]!, b[o + 12]!, b[o + 13]!);
    case 15:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!, b[o + 8]!, b[o + 9]!, b[o + 10]!, b[o + 11]!, b[o + 12]!, b[o + 13]!, b[o + 14]!);
    case 16:
      return fc(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!, b[o + 4]!, b[o + 5]!, b[o + 6]!, b[o + 7]!, b[o + 8]!, b[o + 9]!, b[o + 10]!, b[o + 11]!, b[o + 12]!, b[o + 13]!, b[o + 14]!, b[o + 15]!);
    default:
      return '';
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
