/**
 * What a {@link TunnelFsm} does with received bytes: parse, authenticate (v3, RFC 3931 §4.3),
 * route into the Sequencer, and act on each delivered control message in order (RFC 2661
 * §7.2.1, RFC 3931 §7.2), plus data messages and the peer's StopCCN (§5.7).
 * @internal
 */
import { Sequencer } from '../reliable/sequencer.js';
import { parseControl, type ControlMessage } from '../wire/control.js';
import { parseData } from '../wire/data.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import { GeneralError, StopCcnResult } from '../wire/result-codes.js';
import { knownMessageType, mandatoryProblem, missingAvp, sessionMessageType, type Rejection } from './checks.js';
import { authentic, unauthenticRaw } from './authenticate.js';
import { onScccn, onSccrp, onSccrq } from './handshake.js';
import { onCrossedSccrq } from './tie-breaker.js';
import type { TunnelCore } from './tunnel-core.js';
import type { TunnelState } from './types.js';

/** One whole received message (control or data) addressed to this tunnel. */
export function onReceived(c: TunnelCore, bytes: Uint8Array): void {
  if (c.st === 'closed') return;
  if (bytes.length < 2) {
    c.acts.push({ type: 'error', error: new L2tpError('TRUNCATED', 'message shorter than the 2-byte flags word', bytes.length) });
    return;
  }
  if ((bytes[0]! & 0x80) === 0) {
    onData(c, bytes);
    return;
  }
  let m: ControlMessage;
  try {
    // Required AVPs are checked in onMessage, so a missing one gets a StopCCN/CDN (§7.1) rather than silence.
    m = parseControl(bytes, { secret: c.o.hidingKey, requireAvps: false });
  } catch (e) {
    onMalformed(c, bytes, e);
    return;
  }
  if (m.version !== c.o.version) {
    const what = m.version === 3 ? 'an L2TPv3 control message: this state machine speaks L2TPv2 (RFC 2661)' : 'an L2TPv2 control message: this state machine speaks L2TPv3 (RFC 3931)';
    c.acts.push({ type: 'error', error: new L2tpError('BAD_VERSION', what) });
    return;
  }
  if (m.version === 3 && !authentic(c, m, bytes)) return;
  const freshSccrq = !m.isZlb && m.type === MessageType.SCCRQ && m.tunnelId === 0;
  if (freshSccrq && c.st === 'idle') {
    c.role = 'responder';
    // RFC 2661 §5.8: the first Ns is 0; start from whatever the SCCRQ carries so a peer that starts elsewhere still gets through.
    c.seq = new Sequencer<ControlMessage>(c.o.sequencer, m.ns);
  } else if (freshSccrq && c.st === 'wait-ctl-reply') {
    onCrossedSccrq(c, m, (d) => onMessage(c, d));
    return;
  } else if (m.tunnelId !== c.localTunnelId && !freshSccrq && !refusalOfOurSccrq(c, m)) {
    // Not addressed to this tunnel (the driver routed it wrongly, or a stray): not ours to act on.
    return;
  }
  const seq = c.seq;
  if (seq === undefined) {
    c.acts.push({ type: 'error', error: new L2tpError('PROTOCOL', `${m.typeName} before any control connection exists (RFC 2661 §7.2.1: only SCCRQ starts one)`) });
    return;
  }
  c.lastHeard = c.now;
  // RFC 3931 §6.15: an ACK acknowledges only, as a ZLB does: never sequenced nor delivered.
  const out = seq.receive(m.version === 3 && m.type === MessageType.ACK ? ackOnly(m) : m, c.now);
  // absorb() lets the list go rather than emptying it: it is ours now, no copy needed.
  const delivered = out.deliver.length === 0 ? undefined : out.deliver;
  c.absorb(out);
  if (delivered === undefined) return;
  for (let i = 0; i < delivered.length; i++) {
    if ((c.st as TunnelState) === 'closed') return;
    onMessage(c, delivered[i]!);
  }
}

function ackOnly(m: ControlMessage): ControlMessage {
  return { ns: m.ns, nr: m.nr, isZlb: true } as ControlMessage;
}

/**
 * A StopCCN answering our SCCRQ from a peer that could not read our Assigned Tunnel ID:
 * xl2tpd then addresses it to Tunnel ID 0 (as LAC) or 65535 (as LNS). Taking it lets the
 * user see the peer's reason instead of a timeout.
 */
function refusalOfOurSccrq(c: TunnelCore, m: ControlMessage): boolean {
  return c.st === 'wait-ctl-reply' && !m.isZlb && m.type === MessageType.StopCCN && (m.tunnelId === 0 || m.tunnelId === 0xffff);
}

/** A control message that does not parse. */
function onMalformed(c: TunnelCore, bytes: Uint8Array, e: unknown): void {
  const error = e instanceof L2tpError ? e : new L2tpError('PROTOCOL', String(e), undefined, { cause: e });
  const v3 = c.o.version === 3;
  const tid = v3 ? (bytes.length >= 8 ? ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0 : -1) : bytes.length >= 6 ? (bytes[4]! << 8) | bytes[5]! : -1;
  const ours = tid === c.localTunnelId && (c.st === 'wait-ctl-reply' || c.st === 'wait-ctl-conn' || c.st === 'established');
  if (!ours) {
    c.acts.push({ type: 'error', error });
    return;
  }
  // RFC 3931 §5.4.1: with authentication on, nothing in a message is used before its digest is
  // checked, so a broken message tears the connection down only when the peer signed it; a forged
  // one is dropped like any message with a bad digest.
  const forged = v3 ? unauthenticRaw(c, bytes) : undefined;
  if (forged !== undefined) {
    c.authFailure = forged;
    c.acts.push({ type: 'error', error: new L2tpError(forged.code, `a message that does not parse (${error.message}) and fails authentication: dropped (RFC 3931 §5.4.1)`.slice(0, 300), error.offset, { cause: forged }) });
    return;
  }
  // The header parsed even if an AVP did not: take its Nr as the ack it is, so our StopCCN is
  // not queued behind a message the peer already has (it would go out a retransmission later).
  // With v3 authentication on, only a message whose digest verified got here (unauthenticRaw above).
  const flags = (bytes[0]! << 8) | bytes[1]!;
  if (bytes.length >= 12 && (flags & 0xcb0f) === (0xc800 | c.o.version) && c.seq !== undefined) {
    c.absorb(c.seq.receive({ ns: (bytes[8]! << 8) | bytes[9]!, nr: (bytes[10]! << 8) | bytes[11]!, isZlb: true } as ControlMessage, c.now));
  }
  if (isChallengeResponse(bytes, error)) {
    // §4.4.3: the response is one MD5 digest, 16 bytes; any other length is a failed authentication (§5.1.1).
    c.teardown('recv-broken', { result: StopCcnResult.NotAuthorized, error: GeneralError.NoError, message: error.message.slice(0, 200) }, new L2tpError('AUTH_FAILED', error.message, error.offset, { cause: error }));
    return;
  }
  // A broken message in our control connection: general error (RFC 2661 §4.4.2), as xl2tpd does.
  const code = error.code === 'BAD_LENGTH' || error.code === 'BAD_AVP_LENGTH' || error.code === 'TRUNCATED' ? GeneralError.BadLength : error.code === 'BAD_AVP_VALUE' || error.code === 'BAD_FLAGS' ? GeneralError.OutOfRange : GeneralError.VendorSpecific;
  c.teardown('recv-broken', { result: StopCcnResult.GeneralError, error: code, message: error.message.slice(0, 200) }, error);
}

/** Whether a parse error is about a Challenge Response AVP (its offset names the AVP). */
function isChallengeResponse(bytes: Uint8Array, error: L2tpError): boolean {
  const o = error.offset;
  if (error.code !== 'BAD_AVP_VALUE' || o === undefined || o + 6 > bytes.length) return false;
  return ((bytes[o + 2]! << 8) | bytes[o + 3]!) === 0 && ((bytes[o + 4]! << 8) | bytes[o + 5]!) === 13;
}

function onData(c: TunnelCore, bytes: Uint8Array): void {
  if (c.st !== 'established') return;
  let d;
  try {
    d = parseData(bytes);
  } catch (e) {
    c.acts.push({ type: 'error', error: e instanceof L2tpError ? e : new L2tpError('PROTOCOL', String(e)) });
    return;
  }
  // Data for another tunnel or an unknown session is dropped (RFC 2661 §3.1 IDs are ours).
  if (d.version !== 2 || d.tunnelId !== c.localTunnelId) return;
  // §6.5: HELLO is due after a quiet period "since the last data or control message" received.
  c.lastHeard = c.now;
  c.sessionsIfAny?.onData(d.sessionId, d.ns, d.payload); // no table: no session to take it
}

/** One delivered control message, in order, exactly once (the Sequencer saw to it). */
function onMessage(c: TunnelCore, m: ControlMessage): void {
  if (c.st === 'closing') {
    // Only acks matter now (the Sequencer sends them); a crossing StopCCN needs nothing more.
    if (m.type === MessageType.StopCCN) c.go('recv-StopCCN');
    return;
  }
  if (!knownMessageType(m.type, m.version)) {
    // §4.4.1: an unknown message type with M=1 clears the tunnel; with M=0 it is ignored.
    if (m.avps[0]!.mandatory) broken(c, { error: GeneralError.OutOfRange, message: `unknown message type ${m.type} with the M bit set` });
    return;
  }
  let problem = mandatoryProblem(m, c.o.secret !== undefined);
  // SCCRQ/SCCRP: startProblem checks their required AVPs itself, with the answers §6.1/§6.2 call for.
  // (v3 has no such answers of its own: its required AVPs are checked from MESSAGE_RULES like any message's.)
  if (problem === undefined && (m.version === 3 || (m.type !== MessageType.SCCRQ && m.type !== MessageType.SCCRP))) problem = requiredProblem(c, m);
  if (m.type === MessageType.StopCCN) {
    if (problem !== undefined) return broken(c, problem);
    onStopccn(c, m);
    return;
  }
  if (sessionMessageType(m.type)) {
    if (c.st !== 'established') return outOfState(c, m);
    c.sessions.onMessage(m, problem);
    return;
  }
  switch (m.type) {
    case MessageType.SCCRQ:
      return c.st === 'idle' ? onSccrq(c, m, problem) : outOfState(c, m);
    case MessageType.SCCRP:
      return c.st === 'wait-ctl-reply' ? onSccrp(c, m, problem) : outOfState(c, m);
    case MessageType.SCCCN:
      return c.st === 'wait-ctl-conn' ? onScccn(c, m, problem) : outOfState(c, m);
    case MessageType.HELLO:
      // The Sequencer acks it; nothing else to do (§6.5). An unknown M=1 AVP in it still tears down.
      if (problem !== undefined) broken(c, problem);
      return;
  }
}

/**
 * A required AVP (§6) missing from `m`: a protocol error to clear with (§7.1), or, with
 * `lenient`, an `error` action and nothing else.
 */
function requiredProblem(c: TunnelCore, m: ControlMessage): Rejection | undefined {
  const missing = missingAvp(m, c.o.secret !== undefined);
  if (missing === undefined || !c.o.lenient) return missing;
  c.acts.push({ type: 'error', error: new L2tpError('MISSING_AVP', `${missing.message} (accepted: lenient)`) });
  return undefined;
}

function broken(c: TunnelCore, p: Rejection): void {
  c.refuse('recv-broken', StopCcnResult.GeneralError, p.error, p.message);
}

function outOfState(c: TunnelCore, m: ControlMessage): void {
  c.refuse('recv-out-of-state', StopCcnResult.FsmError, GeneralError.NoError, `unexpected ${m.typeName} in state ${c.st}`);
}

/**
 * The peer's StopCCN (§5.7): ack at once, clear every session, then linger for a full
 * retransmission cycle so a retransmitted StopCCN (our ZLB lost) is acked again.
 */
function onStopccn(c: TunnelCore, m: ControlMessage): void {
  if (!c.go('recv-StopCCN')) return;
  const seq = c.seq!;
  const peerId = c.v.peerIdOf(m);
  if (c.peerId === 0 && peerId !== undefined) c.peerId = peerId;
  // Ack now rather than after the ack delay: the peer is waiting for it to let go.
  c.acts.push({ type: 'send', bytes: c.v.ack(c, seq.nextNs, seq.nextNr) });
  const r = m.resultCode;
  const error = new L2tpError('PEER_STOPPED', `peer sent StopCCN${r ? ` (result ${r.result}${r.error !== undefined ? `, error ${r.error}` : ''}${r.message ? `: ${r.message}` : ''})` : ''}`);
  c.sessionsIfAny?.allDown('peer', error);
  c.stopped('peer', r, error);
  if (c.st === 'closing') c.absorb(seq.abandon(c.now, c.o.peerStopLinger));
  else c.finish();
  // The ZLB above already carries this ack.
  c.ackDue = undefined;
}
