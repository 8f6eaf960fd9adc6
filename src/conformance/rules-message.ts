/**
 * Rules about one message taken alone: header flags and fields (RFC 2661 §3.1, RFC 3931 §3.2.1)
 * and AVPs (RFC 2661 §4.1, §4.3, §4.4, §6). One row per rule; the table is {@link CONFORMANCE_RULES}.
 */
import { avpDef } from '../wire/avp-catalog.js';
import { u16 } from '../wire/bytes.js';
import { HeaderFlag } from '../wire/header.js';
import { MessageType, messageAvps, messageDef } from '../wire/message-catalog.js';
import { messageRule } from '../wire/message-rules.js';
import { GeneralError as E } from '../wire/result-codes.js';
import { KEPT, type ConformanceRule, type Finding, type MessageContext } from './rule-types.js';
import { avpLabel, V2_RESERVED_BITS, V3_CONTROL_RESERVED_BITS } from './scan.js';

const S31 = 'RFC 2661 §3.1';
const RANDOM_VECTOR = 36;
const CHALLENGE_RESPONSE = 13;

/** A control message that got as far as its AVPs (not a ZLB). */
function withAvps(c: MessageContext): boolean {
  return c.m.isControl && !c.m.isZlb && c.m.bodyOffset !== undefined;
}

/** Whether an AVP row's M/H rules were taken from the RFC text (see the avp-catalog note). */
function checkedRow(rfc: string): boolean {
  return rfc.startsWith('RFC 2661') || rfc.startsWith('RFC 3931') || rfc.startsWith('RFC 3145');
}

/** Run `f` over every IETF or vendor AVP of the message; collect what it finds. */
function eachAvp(c: MessageContext, f: (i: number) => Finding | undefined): readonly Finding[] | undefined {
  if (!withAvps(c)) return undefined;
  let out: Finding[] | undefined;
  for (let i = 0; i < c.m.avps.length; i++) {
    const r = f(i);
    if (r !== undefined) (out ??= []).push(r);
  }
  return out ?? KEPT;
}

function label(vendorId: number, type: number): string {
  return avpLabel(avpDef(vendorId, type)?.name, vendorId, type);
}

/** True when the message is one RFC 2661 §6 lists AVPs for (v2 only). */
function section6(c: MessageContext): { name: string; rfc: string } | undefined {
  if (c.m.version !== 2 || c.m.type <= 0) return undefined;
  const d = messageDef(c.m.type);
  return d !== undefined && d.rfc.startsWith('RFC 2661') ? { name: d.name, rfc: d.rfc } : undefined;
}

export const HEADER_RULES: readonly ConformanceRule[] = [
  {
    id: 'header.version', section: S31, severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'Ver is 2 (L2TPv2) or 3 (L2TPv3), the same for the whole connection',
    onMessage: ({ m, s }) => {
      if (m.version !== 2 && m.version !== 3) return [{ detail: `header version is ${m.version}` }];
      if (s.version !== undefined && m.version !== s.version) return [{ detail: `version ${m.version} on a version ${s.version} connection` }];
      return KEPT;
    },
  },
  {
    id: 'header.reserved-bits', section: S31, severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'reserved header bits are sent as 0',
    onMessage: ({ m }) => {
      const mask = m.version === 2 ? V2_RESERVED_BITS : m.version === 3 && m.isControl ? V3_CONTROL_RESERVED_BITS : 0;
      if (mask === 0) return undefined;
      const bits = m.flags & mask;
      return bits === 0 ? KEPT : [{ detail: `flags word 0x${hex4(m.flags)} has reserved bits 0x${hex4(bits)} set` }];
    },
  },
  {
    id: 'header.control-flags', section: S31, severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'a control message has L=1 and S=1 (and O=0, P=0 in v2)',
    onMessage: ({ m }) => {
      if (!m.isControl || (m.version !== 2 && m.version !== 3)) return undefined;
      const wrong: string[] = [];
      if (!(m.flags & HeaderFlag.Length)) wrong.push('L=0');
      if (!(m.flags & HeaderFlag.Sequence)) wrong.push('S=0');
      if (m.version === 2 && m.flags & HeaderFlag.Offset) wrong.push('O=1');
      if (m.version === 2 && m.flags & HeaderFlag.Priority) wrong.push('P=1');
      return wrong.length === 0 ? KEPT : [{ detail: `control message with ${wrong.join(', ')} (flags 0x${hex4(m.flags)})` }];
    },
  },
  {
    id: 'header.length', section: S31, severity: 'MUST', strict: 'refuse', errorCode: E.BadLength,
    text: 'the Length field is the size of the whole message',
    onMessage: ({ m }) => {
      if (m.lengthField === undefined) return undefined;
      const n = m.bytes.length;
      return m.lengthField === n ? KEPT : [{ detail: `Length field says ${m.lengthField} bytes, the datagram has ${n}` }];
    },
  },
  {
    id: 'header.tunnel-id', section: S31, severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'Tunnel ID is the one the recipient assigned (0 only before it is known)',
    onMessage: ({ m, s }) => {
      // Only once the peer acknowledged the message carrying our Assigned Tunnel ID: before, it
      // may not know it yet (an SCCRQ, a StopCCN answering a lost SCCRP).
      if (!s.ourTunnelIdAcked || s.ourTunnelId === undefined || m.tunnelId === undefined || m.version !== 2) return undefined;
      return m.tunnelId === s.ourTunnelId ? KEPT : [{ detail: `Tunnel ID ${m.tunnelId}, but we assigned ${s.ourTunnelId}` }];
    },
  },
  {
    id: 'header.session-id', section: S31, severity: 'MUST', strict: 'refuse', errorCode: E.InvalidSessionId,
    text: 'a session message carries the Session ID the recipient assigned',
    onMessage: ({ m, s }) => {
      if (!m.isControl && m.version === 2 && m.sessionId !== undefined && s.assignedSessions) {
        // A data message goes to a session we assigned (§3.1, §5.3).
        return s.assignedSession(m.sessionId) ? KEPT : [{ detail: `data message for Session ID ${m.sessionId}, which we never assigned` }];
      }
      const d = m.version === 2 && m.type > 0 ? messageDef(m.type) : undefined;
      if (d === undefined || d.scope !== 'session' || m.sessionId === undefined) return undefined;
      // ICRQ/OCRQ open a call: the recipient has assigned nothing yet. A CDN may come before the
      // peer learnt our ID (§6.12: it carries its own Assigned Session ID for that), so 0 is fine.
      if (m.type === MessageType.ICRQ || m.type === MessageType.OCRQ) return undefined;
      if (m.type === MessageType.CDN && m.sessionId === 0) return KEPT;
      if (!s.assignedSessions) return undefined;
      return s.assignedSession(m.sessionId) ? KEPT : [{ detail: `${m.typeName} for Session ID ${m.sessionId}, which we never assigned` }];
    },
  },
  {
    id: 'header.session-id-tunnel', section: S31, severity: 'SHOULD', strict: 'report', errorCode: E.InvalidSessionId,
    text: 'a tunnel message (SCCRQ…StopCCN, Hello) has Session ID 0',
    onMessage: ({ m }) => {
      const d = m.version === 2 && m.type > 0 ? messageDef(m.type) : undefined;
      if (d === undefined || d.scope !== 'tunnel' || m.sessionId === undefined) return undefined;
      return m.sessionId === 0 ? KEPT : [{ detail: `${m.typeName} with Session ID ${m.sessionId}` }];
    },
  },
];

export const AVP_RULES: readonly ConformanceRule[] = [
  {
    id: 'avp.length', section: 'RFC 2661 §4.1', severity: 'MUST', strict: 'refuse', errorCode: E.BadLength,
    text: 'every AVP Length is at least 6 and stays inside the message',
    onMessage: (c) => {
      if (!c.m.isControl || c.m.bodyOffset === undefined) return undefined;
      const at = c.m.badAvpAt;
      return at < 0 ? KEPT : [{ detail: `the AVP at byte ${at} has Length ${at + 2 <= c.m.end ? u16(c.m.bytes, at) & 0x3ff : '(cut)'}, message ends at ${c.m.end}` }];
    },
  },
  {
    id: 'msg.type-first', section: 'RFC 2661 §4.4.1', severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'the Message Type AVP comes first',
    onMessage: (c) => {
      if (!withAvps(c) || c.m.avps.length === 0) return undefined;
      const a = c.m.avps[0]!;
      return a.vendorId === 0 && a.type === 0 ? KEPT : [{ detail: `first AVP is ${label(a.vendorId, a.type)}`, avp: label(a.vendorId, a.type) }];
    },
  },
  {
    id: 'msg.unknown-type', section: 'RFC 2661 §4.4.1', severity: 'MUST', strict: 'refuse', errorCode: E.UnknownMandatoryAvp,
    text: 'a Message Type with M=1 is one the RFCs define (5 and 13 are reserved)',
    onMessage: (c) => {
      if (!withAvps(c) || c.m.type < 0) return undefined;
      const first = c.m.avps[0]!;
      return messageDef(c.m.type) !== undefined || !first.mandatory ? KEPT : [{ detail: `unknown Message Type ${c.m.type} with M=1` }];
    },
  },
  {
    id: 'avp.reserved-bits', section: 'RFC 2661 §4.1', severity: 'MUST', strict: 'refuse', errorCode: E.UnknownMandatoryAvp,
    text: 'the 4 reserved AVP header bits are sent as 0',
    onMessage: (c) => eachAvp(c, (i) => {
      const a = c.m.avps[i]!;
      if (a.reserved === 0) return undefined;
      return { detail: `${label(a.vendorId, a.type)} has reserved bits 0x${a.reserved.toString(16)} set`, avp: label(a.vendorId, a.type) };
    }),
  },
  {
    id: 'avp.m-bit', section: 'RFC 2661 §4.4', severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'each AVP carries the M bit its definition prescribes',
    onMessage: (c) => eachAvp(c, (i) => {
      const a = c.m.avps[i]!;
      const d = avpDef(a.vendorId, a.type);
      if (d === undefined || d.mandatoryRule === 'may' || !checkedRow(d.rfc)) return undefined;
      const want = d.mandatoryRule === 'must';
      if (a.mandatory === want) return undefined;
      return { detail: `${d.name} in ${c.m.typeName} has M=${a.mandatory ? 1 : 0}; ${d.rfc} says M=${want ? 1 : 0}`, avp: d.name, section: d.rfc };
    }),
  },
  {
    id: 'avp.hidden-forbidden', section: 'RFC 2661 §4.3', severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'only AVPs whose definition allows it are hidden',
    onMessage: (c) => eachAvp(c, (i) => {
      const a = c.m.avps[i]!;
      const d = avpDef(a.vendorId, a.type);
      if (!a.hidden || d === undefined || d.hideable || !d.rfc.startsWith('RFC 2661')) return undefined;
      return { detail: `${d.name} is hidden; ${d.rfc} says it MUST NOT be`, avp: d.name, section: d.rfc };
    }),
  },
  {
    id: 'avp.random-vector-first', section: 'RFC 2661 §4.3', severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'a Random Vector AVP comes before any hidden AVP of the message',
    onMessage: (c) => {
      if (!withAvps(c) || !c.m.avps.some((a) => a.hidden)) return undefined;
      const rv = c.m.avps.findIndex((a) => a.vendorId === 0 && a.type === RANDOM_VECTOR);
      const h = c.m.avps.findIndex((a) => a.hidden);
      if (rv >= 0 && rv < h) return KEPT;
      const a = c.m.avps[h]!;
      return [{ detail: `hidden ${label(a.vendorId, a.type)} with no Random Vector before it`, avp: label(a.vendorId, a.type) }];
    },
  },
  {
    id: 'avp.unknown-mandatory', section: 'RFC 2661 §4.1', severity: 'MUST', strict: 'refuse', errorCode: E.UnknownMandatoryAvp,
    text: 'an AVP with M=1 is one the recipient can know (else it must clear the tunnel or session)',
    onMessage: (c) => eachAvp(c, (i) => {
      const a = c.m.avps[i]!;
      if (!a.mandatory || avpDef(a.vendorId, a.type) !== undefined) return undefined;
      return { detail: `unknown ${label(a.vendorId, a.type)} with M=1`, avp: label(a.vendorId, a.type) };
    }),
  },
  {
    id: 'avp.not-allowed', section: 'RFC 2661 §6', severity: 'MUST', strict: 'refuse', errorCode: E.UnknownMandatoryAvp,
    text: 'a mandatory (M=1) AVP appears only in the messages §6 lists it for',
    onMessage: (c) => notAllowed(c, true),
  },
  {
    id: 'avp.not-allowed-optional', section: 'RFC 2661 §6', severity: 'SHOULD', strict: 'report', errorCode: E.OutOfRange,
    text: 'an optional (M=0) AVP appears only in the messages §6 lists it for',
    onMessage: (c) => notAllowed(c, false),
  },
  {
    // The rows the state machines refuse by (MESSAGE_RULES): its v2 column (RFC 2661 §6) for an
    // L2TPv2 peer, its v3 column (RFC 3931 §6) for an L2TPv3 one; each finding names its section.
    id: 'avp.missing-required', section: 'RFC 2661 §6', severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'every AVP §6 requires for the message is present',
    onMessage: (c) => {
      if (!withAvps(c) || c.m.type <= 0 || (c.m.version !== 2 && c.m.version !== 3)) return undefined;
      const rule = messageRule(c.m.version, c.m.type);
      if (rule === undefined) return undefined;
      const out: Finding[] = [];
      for (const t of rule.required) {
        if (!c.m.avps.some((a) => a.vendorId === 0 && a.type === t)) {
          out.push({ detail: `${c.m.typeName} without ${label(0, t)}`, avp: label(0, t), section: rule.rfc });
        }
      }
      return out;
    },
  },
  {
    id: 'avp.value-length', section: 'RFC 2661 §4.4', severity: 'MUST', strict: 'refuse', errorCode: E.BadLength,
    text: 'each AVP value has the size and form its definition gives',
    onMessage: (c) => eachAvp(c, (i) => {
      const a = c.m.avps[i]!;
      const v = c.values[i];
      const d = avpDef(a.vendorId, a.type);
      if (v === undefined || d === undefined || (a.vendorId === 0 && a.type === CHALLENGE_RESPONSE)) return undefined;
      if (v.length < d.codec.minLength || v.length > d.codec.maxLength) {
        const want = d.codec.minLength === d.codec.maxLength ? `${d.codec.minLength}` : `${d.codec.minLength}–${d.codec.maxLength}`;
        return { detail: `${d.name} value is ${v.length} bytes; ${d.rfc} allows ${want}`, avp: d.name, section: d.rfc };
      }
      try {
        d.codec.validate?.(v, 0, v.length);
      } catch (e) {
        return { detail: `${d.name}: ${(e as Error).message}`, avp: d.name, section: d.rfc };
      }
      return undefined;
    }),
  },
  {
    id: 'avp.challenge-response-length', section: 'RFC 2661 §4.4.3', severity: 'MUST', strict: 'refuse', errorCode: E.BadLength,
    text: 'a Challenge Response is 16 octets (an MD5 digest)',
    onMessage: (c) => {
      const i = withAvps(c) ? c.m.avps.findIndex((a) => a.vendorId === 0 && a.type === CHALLENGE_RESPONSE) : -1;
      const v = i >= 0 ? c.values[i] : undefined;
      if (v === undefined) return undefined;
      return v.length === 16 ? KEPT : [{ detail: `Challenge Response of ${v.length} bytes`, avp: 'Challenge Response' }];
    },
  },
  {
    id: 'avp.zero-id', section: 'RFC 2661 §4.4.3', severity: 'MUST', strict: 'refuse', errorCode: E.OutOfRange,
    text: 'Assigned Tunnel ID and Assigned Session ID are non-zero',
    onMessage: (c) => eachAvp(c, (i) => {
      const a = c.m.avps[i]!;
      const v = c.values[i];
      if (a.vendorId !== 0 || (a.type !== 9 && a.type !== 14) || v === undefined || v.length !== 2) return undefined;
      if (u16(v, 0) !== 0) return undefined;
      const d = avpDef(0, a.type)!;
      return { detail: `${d.name} 0 in ${c.m.typeName}`, avp: d.name, section: d.rfc };
    }),
  },
];

/** IETF RFC 2661 AVPs (types 1–39) in a §6 message that does not list them. */
function notAllowed(c: MessageContext, mandatory: boolean): Finding[] | undefined {
  const s6 = section6(c);
  if (s6 === undefined) return undefined;
  const allowed = messageAvps(c.m.type);
  const out: Finding[] = [];
  for (let i = 1; i < c.m.avps.length; i++) {
    const a = c.m.avps[i]!;
    // Extension AVPs (type ≥ 40) add themselves to messages in their own RFCs: not judged here.
    if (a.vendorId !== 0 || a.type === 0 || a.type > 39 || a.mandatory !== mandatory) continue;
    if (allowed.some((d) => d.type === a.type)) continue;
    const d = avpDef(0, a.type);
    const where = d ? ` (${d.name} belongs to ${owners(a.type).join(', ') || 'no message'})` : '';
    out.push({ detail: `${label(0, a.type)} with M=${a.mandatory ? 1 : 0} is not an AVP of ${s6.name}${where}`, avp: label(0, a.type), section: s6.rfc });
  }
  return out;
}

/** The RFC 2661 messages whose §6 list has AVP `type`. */
function owners(type: number): string[] {
  const out: string[] = [];
  for (let t = 1; t <= 16; t++) {
    const d = messageDef(t);
    if (d !== undefined && messageAvps(t).some((a) => a.type === type)) out.push(d.name);
  }
  return out;
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}
