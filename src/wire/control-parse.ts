/**
 * The control message parser (RFC 2661 §3.1, §4, §6; RFC 3931 §3.2.1).
 *
 * Parsing validates the whole message eagerly (flags, lengths, every AVP's bounds, required AVPs)
 * but builds nothing it does not have to: typed fields and the `avps` list are views decoded on
 * first access, so a parse costs one small object however many AVPs the message has.
 */
import { AVP_HEADER_LENGTH } from './avp.js';
import { avpDef } from './avp-catalog.js';
import { ParsedControl } from './control-view.js';
import { avpRule, directRule, DIRECT_LIMITS, type AvpRule } from './avp-rules.js';
import { assertBytes, u16, u32 } from './bytes.js';
import { fail, L2tpError } from './errors.js';
import { unhideAvpValue } from './hidden.js';
import { messageDef } from './message-catalog.js';
import { CONTROL_HEADER_LENGTH, type ControlMessage, type ParseControlOptions } from './control-types.js';

/** A ZLB's index: no AVPs (shared; never written). */
const NO_INDEX: number[] = [];

/**
 * Parse one control message (v2 or v3 over UDP).
 *
 * Checks the RFC's MUSTs: T=L=S=1 and (v2) O=P=0 (§3.1); Length within the input and not shorter
 * than the header (bytes past Length are ignored); Message Type AVP first and not hidden
 * (§4.4.1); every AVP's Length ≥ 6 and inside the message (§4.1); the value size and content
 * rules of every AVP the catalogue knows; required AVPs present (§6). Unknown message types and
 * unknown AVPs (M=1 included) are not parse errors: whether to tear down is the state machine's
 * decision (§4.1); they are kept in `avps`. Time is linear in the message size.
 *
 * @throws {@link L2tpError} only: `TRUNCATED`, `BAD_VERSION`, `BAD_FLAGS`, `BAD_LENGTH`,
 *   `BAD_AVP_LENGTH`, `BAD_AVP_VALUE`, `MESSAGE_TYPE_NOT_FIRST`, `MISSING_AVP`,
 *   `HIDDEN_WITHOUT_RANDOM_VECTOR`, `BAD_HIDDEN_LENGTH`.
 * @example
 * ```ts
 * const m = parseControl(bytes);
 * if (m.typeName === 'SCCRP') console.log(m.hostName, m.assignedTunnelId);
 * ```
 */
export function parseControl(bytes: Uint8Array, options?: ParseControlOptions): ControlMessage {
  assertBytes(bytes);
  const n = bytes.length;
  if (n < 2) fail('TRUNCATED', 'message shorter than the 2-byte flags word', n);
  const flags = (bytes[0]! << 8) | bytes[1]!;
  const version = flags & 0x000f;
  if (version !== 2 && version !== 3) {
    fail('BAD_VERSION', version === 1 ? 'version 1 is L2F (RFC 2341), not L2TP' : `unknown L2TP version ${version}`, 1);
  }
  // The header's bits and sizes are literals in this function (HeaderFlag T 0x8000, L 0x4000, S
  // 0x0800, O 0x0200, P 0x0100; the 12-byte header; the 6-byte AVP header): a module constant is
  // a context load, and a property of one a map check, per parse in a bundle.
  if ((flags & 0x8000) === 0) fail('BAD_FLAGS', 'T bit is 0: a data message, not a control message', 0);
  // RFC 2661 §3.1: L and S MUST be 1, O and P MUST be 0 on control messages (RFC 3931 §3.2.1 alike).
  if ((flags & 0x4800) !== 0x4800) {
    fail('BAD_FLAGS', 'control message without the L and S bits set (RFC 2661 §3.1)', 0);
  }
  if (version === 2 && (flags & 0x0300) !== 0) {
    fail('BAD_FLAGS', 'control message with the O or P bit set (RFC 2661 §3.1)', 0);
  }
  if (n < 12) fail('TRUNCATED', `control header is 12 bytes, got ${n}`, n);
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (length > n) fail('BAD_LENGTH', `Length ${length} exceeds the ${n} bytes received`, 2);
  if (length < 12) fail('BAD_LENGTH', `Length ${length} is shorter than the 12-byte header`, 2);
  const tunnelId = version === 2 ? u16(bytes, 4) : u32(bytes, 4);
  const sessionId = version === 2 ? u16(bytes, 6) : 0;
  const ns = u16(bytes, 8);
  const nr = u16(bytes, 10);
  if (length === 12) return new ParsedControl(bytes, version, tunnelId, sessionId, ns, nr, length, 0, 'ZLB', NO_INDEX);

  // The Message Type AVP: first, 8 bytes, vendor 0, type 0, not hidden (RFC 2661 §4.4.1).
  const b = bytes;
  const end = length;
  let o = 12;
  if (end - o < 6) fail('TRUNCATED', 'message ends inside the first AVP header', o);
  const w0 = u16(b, o);
  const len0 = w0 & 0x03ff;
  if (len0 < 6) fail('BAD_AVP_LENGTH', `AVP Length ${len0} is under the 6-byte minimum`, o);
  if (o + len0 > end) fail('BAD_AVP_LENGTH', `AVP Length ${len0} runs past the end of the message`, o);
  if (u16(b, o + 2) !== 0 || u16(b, o + 4) !== 0) fail('MESSAGE_TYPE_NOT_FIRST', 'the first AVP is not Message Type (RFC 2661 §4.4.1)', o);
  if (w0 & 0x4000) fail('BAD_AVP_VALUE', 'the Message Type AVP is hidden; RFC 2661 §4.4.1 forbids it', o);
  if (len0 !== 8) fail('BAD_AVP_VALUE', `Message Type AVP Length is ${len0}, must be 8`, o);
  const type = u16(b, o + 6);
  const def = messageDef(type);
  // The typed fields' index (see ParsedControl.index), filled in this walk; holey, room for the
  // usual types (a typed array per message would cost more than the parse). Message Type first.
  const idx: number[] = new Array<number>(16);
  idx[0] = 12;
  const msg = new ParsedControl(b, version, tunnelId, sessionId, ns, nr, length, type, def ? def.name : `Unknown(${type})`, idx);
  let count = 1;
  o += 8;
  // Bitmap of IETF AVP types 0–63 seen, for the §6 required-AVP check.
  let seenLo = 1;
  let seenHi = 0;
  let vectorStart = -1;
  let vectorEnd = -1;
  const secret = options?.secret;
  // Reserved AVP bits: RFC 2661 §4.1 has an AVP with any set treated as unrecognised; RFC 3931
  // §5.1 has them "ignored upon receipt" in L2TPv3.
  const reservedMask = version === 3 ? 0 : 0x3c00;
  const limits = DIRECT_LIMITS;
  // In this loop 6 is AVP_HEADER_LENGTH, 128 RULE_DIRECT, 36 RANDOM_VECTOR_AVP and the bits of
  // DIRECT_LIMITS as literals: a module constant is a context load in a bundle, and this runs per AVP.
  while (o < end) {
    const w = (b[o]! << 8) | b[o + 1]!;
    const len = w & 0x03ff;
    if (len < 6 || o + len > end) badAvpLength(b, o, end);
    const vendorId = (b[o + 2]! << 8) | b[o + 3]!;
    const at = (b[o + 4]! << 8) | b[o + 5]!;
    if ((vendorId | (w & reservedMask)) === 0) {
      // In v2 an AVP with reserved bits set is unrecognised (§4.1): it does not count as present.
      if (at < 32) seenLo |= 1 << at;
      else if (at < 64) seenHi |= 1 << (at - 32);
      if (at < 128 && (w & 0x4000) === 0) {
        // The usual AVP, clear and IETF: checked against its packed limits, indexed by type.
        const lim = limits[at]!;
        if (lim !== 0) {
          const vlen = len - 6;
          if (vlen < (lim & 0x3ff) || vlen > ((lim >>> 10) & 0x3ff) || (lim & 0x100000) !== 0) checkValue(directRule(at)!, b, o + 6, vlen, o);
          if (idx[at] === undefined) idx[at] = o; // the first usable occurrence wins
        }
        if (at === 36) {
          // §4.3: a hidden AVP uses the most recent Random Vector before it.
          vectorStart = o + 6;
          vectorEnd = o + len;
        }
        o += len;
        count++;
        continue;
      }
    }
    // Hidden, vendor or IETF ≥ 128 (the usual case took the branch above). v2 reserved bits set:
    // "treat as unrecognized" (§4.1), so no typed value to check.
    if ((w & reservedMask) === 0) {
      const r = vendorId === 0 && at < 128 ? directRule(at) : avpRule(vendorId, at);
      if (r !== undefined) {
        // What the index records: the offset, or its complement for an AVP the parser unhid (see
        // ParsedControl.index); -1 (~0) when the AVP is not usable.
        let ref = o;
        const vlen = len - 6;
        if ((w & 0x4000) === 0) {
          if (vlen < r.minLength || vlen > r.maxLength || r.validate !== undefined) checkValue(r, b, o + 6, vlen, o);
        } else if (secret !== undefined) {
          if (vectorStart < 0) fail('HIDDEN_WITHOUT_RANDOM_VECTOR', `hidden AVP ${at} with no Random Vector AVP before it (RFC 2661 §4.3)`, o);
          const value = unhideAvpValue(at, b.subarray(o + AVP_HEADER_LENGTH, o + len), secret, b.subarray(vectorStart, vectorEnd), o + AVP_HEADER_LENGTH);
          checkValue(r, value, 0, value.length, o);
          (msg.unhidden ??= new Map()).set(o, value);
          ref = ~o;
        } else ref = -1; // hidden, no secret: no typed value
        // The typed fields' index, built in this walk (the first usable occurrence wins).
        if (ref !== -1) {
          const slot = r.slot;
          if (slot >= 0) {
            if (idx[slot] === undefined) idx[slot] = ref;
          } else {
            const more = (msg.more ??= new Map());
            if (!more.has(r.mapKey)) more.set(r.mapKey, ref);
          }
        }
      }
    }
    o += len;
    count++;
  }
  msg.count = count;
  if (version === 2 && def !== undefined && options?.requireAvps !== false) {
    const req = def.requiredV2;
    for (let i = 0; i < req.length; i++) {
      const t = req[i]!;
      const seen = t < 32 ? (seenLo >>> t) & 1 : (seenHi >>> (t - 32)) & 1;
      if (!seen) fail('MISSING_AVP', `${def.name} without the ${avpDef(0, t)?.name ?? `AVP ${t}`} AVP that RFC 2661 §6 requires`, CONTROL_HEADER_LENGTH);
    }
  }
  return msg as unknown as ControlMessage;
}

/** The error for a bad AVP header at `o` (out of line: the walk stays small). */
function badAvpLength(b: Uint8Array, o: number, end: number): never {
  if (end - o < AVP_HEADER_LENGTH) fail('TRUNCATED', `${end - o} bytes left after the last AVP, fewer than an AVP header`, o);
  const len = ((b[o]! << 8) | b[o + 1]!) & 0x03ff;
  if (len < AVP_HEADER_LENGTH) fail('BAD_AVP_LENGTH', `AVP Length ${len} is under the 6-byte minimum`, o);
  fail('BAD_AVP_LENGTH', `AVP Length ${len} runs ${o + len - end} bytes past the end of the message`, o);
}

/** The length bounds and content rules of rule `r` on a value (the caller saw a reason to look). */
function checkValue(r: AvpRule, b: Uint8Array, offset: number, length: number, avpOffset: number): void {
  if (length < r.minLength || length > r.maxLength) {
    const want = r.minLength === r.maxLength ? `${r.minLength}` : `${r.minLength}–${r.maxLength}`;
    fail('BAD_AVP_VALUE', `${r.def.name} AVP value is ${length} bytes; ${want} allowed`, avpOffset);
  }
  if (r.validate !== undefined) {
    try {
      r.validate(b, offset, length);
    } catch (e) {
      // Report at the AVP, not inside the value: for a hidden AVP that is a decrypted copy.
      if (e instanceof L2tpError) throw new L2tpError(e.code, `${r.def.name} AVP: ${e.message.replace(/ \(at byte \d+\)$/, '')}`, avpOffset);
      throw e;
    }
  }
}
