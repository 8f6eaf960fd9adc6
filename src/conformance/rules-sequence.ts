/**
 * Rules about the exchange over time: Ns/Nr (RFC 2661 §5.8), retransmission timing (§5.8),
 * acknowledgements, and what may follow a StopCCN (§5.7, §6.4).
 */
import { MessageType } from '../wire/message-catalog.js';
import { GeneralError as E } from '../wire/result-codes.js';
import { seqBefore, seqDistance } from '../reliable/serial.js';
import { KEPT, type ConformanceRule, type Finding, type MessageContext } from './rule-types.js';
import { GROWTH, ONCE, bodyHash } from './state.js';

const S58 = 'RFC 2661 §5.8';

/** A sequenced control message of the peer's (not a ZLB or v3 ACK, not data). */
function sequenced(c: MessageContext): boolean {
  return c.m.isControl && !c.m.isAck && c.m.ns !== undefined;
}

/**
 * For the second and later retransmission: did the interval stop growing below the cap floor?
 * `grewBefore`: it grew earlier (so it is the cap that is too low, not the backoff missing).
 */
function stalled(c: MessageContext): { last: number; prev: number; grewBefore: boolean } | undefined {
  const d = c.duplicate!;
  if (d.count < 2) return undefined;
  const last = c.now - d.lastAt;
  const prev = d.lastInterval;
  if (prev >= c.options.capFloor || last >= prev * GROWTH) return undefined;
  return { last, prev, grewBefore: d.grew };
}

function retransmission(c: MessageContext): boolean {
  return sequenced(c) && c.duplicate !== undefined;
}

function once(c: MessageContext, rule: keyof typeof ONCE, f: Finding): readonly Finding[] {
  const d = c.duplicate!;
  if (d.reported & ONCE[rule]) return KEPT;
  d.reported |= ONCE[rule];
  return [f];
}

export const SEQUENCE_RULES: readonly ConformanceRule[] = [
  {
    // Reported, not refused: the Sequencer ignores an Nr past what it sent (src/reliable), so the
    // connection survives it; the peer's own bookkeeping is what is broken.
    id: 'seq.nr-unsent', section: S58, severity: 'MUST', strict: 'report', errorCode: E.OutOfRange,
    text: 'Nr acknowledges only messages we sent (it is the next Ns expected)',
    onMessage: ({ m, s }) => {
      if (!m.isControl || m.nr === undefined) return undefined;
      const next = s.haveSent ? s.ourNextNs : 0;
      const ahead = seqDistance(m.nr, next);
      if (ahead === 0 || ahead >= 0x8000) return KEPT;
      return [{ detail: `Nr ${m.nr} acknowledges ${ahead} message(s) past our last (we sent up to Ns ${s.haveSent ? (next - 1) & 0xffff : 'none'})` }];
    },
  },
  {
    id: 'seq.ns-window', section: S58, severity: 'MUST', strict: 'report', errorCode: E.OutOfRange,
    text: 'no more unacknowledged messages in flight than our Receive Window Size',
    onMessage: (c) => {
      if (!sequenced(c) || c.duplicate !== undefined) return undefined;
      const { m, s } = c;
      // Our last Nr is at least what the peer had seen when it sent: never a false alarm.
      const inFlight = seqDistance(m.ns!, s.ourLastNr);
      if (inFlight >= 0x8000) return undefined; // behind our ack: an old duplicate, not a window matter
      return inFlight < s.ourReceiveWindow ? KEPT : [{ detail: `Ns ${m.ns} while we acknowledged up to ${s.ourLastNr}: ${inFlight + 1} in flight, our window is ${s.ourReceiveWindow}` }];
    },
  },
  {
    id: 'seq.ns-skipped', section: S58, severity: 'MUST', strict: 'report', errorCode: E.OutOfRange,
    text: 'Ns goes up by one per message: a hole is filled within a retransmission cycle',
    onMessage: (c) => (sequenced(c) && c.s.gapSince !== undefined && c.m.ns === c.s.peerExpected ? KEPT : undefined),
    onTime: ({ s, now, options }) => {
      if (s.gapSince === undefined || s.gapReported || now - s.gapSince < options.ackTimeout) return undefined;
      s.gapReported = true;
      return [{ detail: `Ns ${s.peerExpected} never arrived, though later ones did (${[...(s.peerAhead ?? [])].join(', ')})`, ns: s.peerExpected }];
    },
  },
  {
    id: 'seq.retransmission-same', section: S58, severity: 'MUST', strict: 'report', errorCode: E.OutOfRange,
    text: 'a message sent again with the same Ns is the same message (only Nr may change)',
    onMessage: (c) => {
      if (!retransmission(c)) return undefined;
      const d = c.duplicate!;
      const { m } = c;
      const same = d.bodyLength === m.end - 12 && d.bodyHash === bodyHash(m.bytes, 12, m.end);
      return same ? KEPT : [{ detail: `Ns ${m.ns} reused: first a ${d.type} of ${d.bodyLength + 12} bytes, now a ${m.typeName} of ${m.end}` }];
    },
  },
  {
    id: 'timing.retransmit-early', section: S58, severity: 'SHOULD', strict: 'report', errorCode: E.OutOfRange,
    text: 'the first retransmission waits the initial timeout (1 s recommended)',
    onMessage: (c) => {
      if (!retransmission(c) || c.duplicate!.count !== 1) return undefined;
      const dt = c.now - c.duplicate!.lastAt;
      return dt >= c.options.minRetransmitInterval ? KEPT : [{ detail: `${c.m.typeName} Ns ${c.m.ns} sent again after ${dt} ms` }];
    },
  },
  {
    id: 'timing.backoff', section: S58, severity: 'MUST', strict: 'report', errorCode: E.OutOfRange,
    text: 'each further retransmission waits exponentially longer',
    onMessage: (c) => {
      if (!retransmission(c) || c.duplicate!.count < 2) return undefined;
      const st = stalled(c);
      if (st === undefined || st.grewBefore) return KEPT;
      return once(c, 'timing.backoff', { detail: `${c.m.typeName} Ns ${c.m.ns} retransmitted after ${st.prev} ms then ${st.last} ms: no backoff` });
    },
  },
  {
    id: 'timing.cap', section: S58, severity: 'MUST', strict: 'report', errorCode: E.OutOfRange,
    text: 'the retransmission interval is capped no lower than 8 s',
    onMessage: (c) => {
      if (!retransmission(c) || c.duplicate!.count < 2) return undefined;
      const st = stalled(c);
      if (st === undefined || !st.grewBefore) return KEPT;
      return once(c, 'timing.cap', { detail: `${c.m.typeName} Ns ${c.m.ns}: the interval stopped growing at ${st.prev} ms (then ${st.last} ms), under 8 s` });
    },
  },
  {
    id: 'ack.missing', section: S58, severity: 'MUST', strict: 'report', errorCode: E.OutOfRange,
    text: 'every control message we send is acknowledged (piggybacked Nr or ZLB) within a retransmission cycle',
    onMessage: ({ m, s }) => {
      if (!m.isControl || m.nr === undefined) return undefined;
      return s.newlyAcked(m.nr) > 0 ? KEPT : undefined;
    },
    onTime: ({ s, now, options }) => {
      const out: Finding[] = [];
      for (const r of s.outstanding) {
        if (r.reported || now - r.firstAt < options.ackTimeout) continue;
        r.reported = true;
        out.push({ detail: `our ${r.type} Ns ${r.ns} unacknowledged ${now - r.firstAt} ms after we first sent it`, ns: r.ns, messageType: r.type, tunnelId: r.tunnelId, sessionId: r.sessionId });
      }
      return out.length > 0 ? out : undefined;
    },
  },
  {
    id: 'stop.after-stopccn', section: 'RFC 2661 §5.7', severity: 'MUST', strict: 'report', errorCode: E.OutOfRange,
    text: 'after a StopCCN, only acknowledgements and retransmissions of earlier messages',
    onMessage: (c) => {
      const { m, s } = c;
      if (!sequenced(c) || c.duplicate !== undefined) return undefined;
      if (s.peerStopNs !== undefined && m.type !== MessageType.StopCCN && !seqBefore(m.ns!, s.peerStopNs)) {
        return [{ detail: `${m.typeName} Ns ${m.ns} after its own StopCCN (Ns ${s.peerStopNs})` }];
      }
      if (s.peerAckedOurStop) return [{ detail: `${m.typeName} Ns ${m.ns} after acknowledging our StopCCN` }];
      return s.peerStopNs !== undefined || s.ourStopNs !== undefined ? KEPT : undefined;
    },
  },
];
