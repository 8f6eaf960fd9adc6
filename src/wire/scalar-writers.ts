/**
 * The encoder's fast path for the scalar kinds (RFC 2661 §4.1, §4.4): an unhidden 16- or 32-bit
 * integer or an ASCII string written in place with its AVP header, without the codec's two
 * megamorphic calls (`encodedLength`, `encode`). Only values the codec would accept take it;
 * anything else returns {@link NOT_SCALAR} and goes the generic way, which throws the codec's
 * own error, so behaviour is the codec's either way.
 * @internal
 */
import { Decode, type AvpRule } from './avp-rules.js';
import { putAvpHeader } from './bytes.js';

/** {@link writeScalar}'s answer when the value is not one it writes. */
export const NOT_SCALAR = -2;

/**
 * Write rule `r`'s AVP with value `v` at `b[o]`, within `limit`: the offset after it, -1 when it
 * does not fit, or {@link NOT_SCALAR}.
 */
export function writeScalar(b: Uint8Array, o: number, limit: number, r: AvpRule, v: unknown): number {
  switch (r.decode) {
    case Decode.U16:
      // An integer 0–65535 (`& 0xffff` leaves anything else changed), non-zero where the RFC says.
      if (typeof v !== 'number' || (v & 0xffff) !== v || (v === 0 && r.nonZero)) return NOT_SCALAR;
      if (o + 8 > limit) return -1;
      header(b, o, r, 8);
      b[o + 6] = v >>> 8;
      b[o + 7] = v;
      return o + 8;
    case Decode.U32:
      if (typeof v !== 'number' || v >>> 0 !== v || (v === 0 && r.nonZero)) return NOT_SCALAR;
      if (o + 10 > limit) return -1;
      header(b, o, r, 10);
      b[o + 6] = v >>> 24;
      b[o + 7] = v >>> 16;
      b[o + 8] = v >>> 8;
      b[o + 9] = v;
      return o + 10;
    case Decode.Utf8: {
      if (typeof v !== 'string') return NOT_SCALAR;
      const n = v.length;
      // Bounds as the codec's (1017 at most: the 10-bit AVP Length less the header).
      if (n < r.minLength || n > r.maxLength || n > 1017) return NOT_SCALAR;
      if (o + 6 + n > limit) return -1;
      const p = o + 6;
      for (let i = 0; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c >= 0x80) return NOT_SCALAR; // not ASCII: UTF-8 sizes differ, the codec writes it
        b[p + i] = c;
      }
      header(b, o, r, 6 + n);
      return p + n;
    }
    default:
      return NOT_SCALAR;
  }
}

function header(b: Uint8Array, o: number, r: AvpRule, length: number): void {
  putAvpHeader(b, o, r.mBit | length, r.vendorId, r.type);
}
