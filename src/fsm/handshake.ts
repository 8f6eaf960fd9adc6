/**
 * Setting up a control connection (RFC 2661 §7.2.1): our SCCRQ, and the SCCRQ, SCCRP and SCCCN
 * we receive, with the checks that make one "acceptable" (§6.1–§6.3, §4.4.3, §5.1.1).
 * @internal
 */
import { Sequencer } from '../reliable/sequencer.js';
import { challengeResponse, verifyChallengeResponse } from '../wire/challenge.js';
import { sccrp, sccrq, scccn } from '../wire/builders.js';
import type { ControlMessage } from '../wire/control.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import { GeneralError, StopCcnResult } from '../wire/result-codes.js';
import type { Rejection } from './checks.js';
import { RANDOM_LENGTH, type Mutable, type TunnelCore } from './tunnel-core.js';
import type { PeerInfo } from './types.js';

/** Error Code of a StopCCN result 5: the highest version we support, 1.0 (RFC 2661 §4.4.2). */
const HIGHEST_VERSION = 0x0100;
/** RFC 2661 §5.8: the peer's window is 4 when it sends no Receive Window Size AVP. */
const DEFAULT_PEER_WINDOW = 4;

/** Why an SCCRQ/SCCRP is refused, as its StopCCN says it. */
interface StartRefusal {
  result: number;
  error: number;
  message: string;
  code?: L2tpError['code'];
}

/** Local open: become the initiator and send SCCRQ. */
export function openTunnel(c: TunnelCore): void {
  if (c.st !== 'idle') throw new TypeError(`open: the tunnel is ${c.st}; open() is only for a fresh (idle) TunnelFsm`);
  const o = c.o;
  c.go('open');
  c.role = 'initiator';
  c.seq = new Sequencer<ControlMessage>(o.sequencer);
  if (o.secret !== undefined) c.ourChallenge = o.random(RANDOM_LENGTH);
  const tie = o.tieBreaker;
  c.ourTie = tie === true ? o.random(8) : tie === false ? undefined : tie;
  c.sendControl(
    sccrq({
      ...c.common(0, false),
      hostName: o.hostName,
      assignedTunnelId: c.localTunnelId,
      receiveWindowSize: c.seq.receiveWindow,
      framingCapabilities: o.framingCapabilities,
      bearerCapabilities: o.bearerCapabilities,
      firmwareRevision: o.firmwareRevision,
      vendorName: o.vendorName,
      tieBreaker: c.ourTie,
      challenge: c.ourChallenge,
    }),
  );
  c.awaitPeer();
}

/**
 * Checks shared by SCCRQ and SCCRP (RFC 2661 §6.1, §6.2, §4.4.3): what makes one "not
 * acceptable". Returns the refusal, or `undefined`.
 */
function startProblem(c: TunnelCore, m: ControlMessage, problem: Rejection | undefined): StartRefusal | undefined {
  if (problem !== undefined) return { result: StopCcnResult.GeneralError, ...problem };
  const v = m.protocolVersion;
  if (v === undefined || v.version !== 1 || v.revision !== 0) {
    const got = v === undefined ? 'no Protocol Version AVP' : `protocol version ${v.version}.${v.revision}`;
    return { result: StopCcnResult.UnsupportedVersion, error: HIGHEST_VERSION, message: `${got}; only 1.0 (RFC 2661) is supported` };
  }
  if (m.assignedTunnelId === undefined) return { result: StopCcnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without Assigned Tunnel ID`, code: 'MISSING_AVP' };
  if (m.assignedTunnelId === 0) return { result: StopCcnResult.GeneralError, error: GeneralError.OutOfRange, message: `${m.typeName} with Assigned Tunnel ID 0, which RFC 2661 §4.4.3 reserves`, code: 'PROTOCOL' };
  if (m.hostName === undefined) return { result: StopCcnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without Host Name`, code: 'MISSING_AVP' };
  if (m.framingCapabilities === undefined) return { result: StopCcnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without Framing Capabilities`, code: 'MISSING_AVP' };
  if (m.receiveWindowSize === 0) return { result: StopCcnResult.GeneralError, error: GeneralError.OutOfRange, message: 'Receive Window Size 0 (RFC 2661 §5.8)' };
  if (m.challenge !== undefined && c.o.secret === undefined) {
    return { result: StopCcnResult.NotAuthorized, error: GeneralError.NoError, message: 'challenged, but no tunnel secret is configured here', code: 'AUTH_FAILED' };
  }
  return undefined;
}

function notePeer(c: TunnelCore, m: ControlMessage): void {
  const p: Mutable<PeerInfo> = {
    localTunnelId: c.localTunnelId,
    assignedTunnelId: m.assignedTunnelId!,
    role: c.role!,
    hostName: m.hostName!,
    protocolVersion: m.protocolVersion!,
    receiveWindowSize: m.receiveWindowSize ?? DEFAULT_PEER_WINDOW,
    challenged: m.challenge !== undefined,
    authenticated: false,
  };
  if (m.vendorName !== undefined) p.vendorName = m.vendorName;
  if (m.firmwareRevision !== undefined) p.firmwareRevision = m.firmwareRevision;
  if (m.framingCapabilities !== undefined) p.framingCapabilities = m.framingCapabilities;
  if (m.bearerCapabilities !== undefined) p.bearerCapabilities = m.bearerCapabilities;
  if (m.tieBreaker !== undefined) p.tieBreaker = m.tieBreaker.slice();
  c.peer = p;
  c.seq!.setPeerWindow(p.receiveWindowSize);
}

function established(c: TunnelCore): void {
  c.lastHeard = c.now;
  c.acts.push({ type: 'established', peer: { ...c.peer! } });
}

/** Responder: the peer's SCCRQ (RFC 2661 §7.2.1 idle). */
export function onSccrq(c: TunnelCore, m: ControlMessage, problem: Rejection | undefined): void {
  if (m.assignedTunnelId === undefined || m.assignedTunnelId === 0) {
    // No usable Tunnel ID to address a StopCCN to (0 is reserved, RFC 2661 §4.4.3): forget it.
    c.acts.push({ type: 'error', error: new L2tpError('MISSING_AVP', 'SCCRQ without a usable Assigned Tunnel ID (absent, or the reserved 0): ignored') });
    c.stopped('peer', undefined, new L2tpError('MISSING_AVP', 'SCCRQ without Assigned Tunnel ID'));
    c.finish();
    return;
  }
  c.peerId = m.assignedTunnelId;
  const bad = startProblem(c, m, problem);
  if (bad !== undefined) return c.refuse('recv-SCCRQ-not-acceptable', bad.result, bad.error, bad.message, bad.code);
  notePeer(c, m);
  const o = c.o;
  const secret = o.secret;
  if (secret !== undefined) c.ourChallenge = o.random(RANDOM_LENGTH);
  c.go('recv-SCCRQ-acceptable');
  c.sendControl(
    sccrp({
      ...c.common(0, false),
      hostName: o.hostName,
      assignedTunnelId: c.localTunnelId,
      receiveWindowSize: c.seq!.receiveWindow,
      framingCapabilities: o.framingCapabilities,
      bearerCapabilities: o.bearerCapabilities,
      firmwareRevision: o.firmwareRevision,
      vendorName: o.vendorName,
      // §4.2: the response carried in an SCCRP is keyed with the SCCRP's type, 2.
      challengeResponse: m.challenge !== undefined ? challengeResponse(MessageType.SCCRP, secret!, m.challenge) : undefined,
      challenge: c.ourChallenge,
    }),
  );
  // wait-ctl-conn: freed one handshakeTimeout after this SCCRP unless an SCCCN comes.
  c.awaitPeer();
}

/** Initiator: the peer's SCCRP (RFC 2661 §7.2.1 wait-ctl-reply). */
export function onSccrp(c: TunnelCore, m: ControlMessage, problem: Rejection | undefined): void {
  if (m.assignedTunnelId !== undefined) c.peerId = m.assignedTunnelId;
  const bad = startProblem(c, m, problem);
  if (bad !== undefined) return c.refuse('recv-SCCRP-not-acceptable', bad.result, bad.error, bad.message, bad.code);
  const secret = c.o.secret;
  if (c.ourChallenge !== undefined) {
    const r = m.challengeResponse;
    if (r === undefined || !verifyChallengeResponse(MessageType.SCCRP, secret!, c.ourChallenge, r)) {
      const what = r === undefined ? 'no Challenge Response' : 'a wrong Challenge Response';
      return c.refuse('recv-SCCRP-not-acceptable', StopCcnResult.NotAuthorized, GeneralError.NoError, `SCCRP with ${what} (RFC 2661 §5.1.1)`, 'AUTH_FAILED');
    }
  }
  notePeer(c, m);
  c.peer!.authenticated = c.ourChallenge !== undefined;
  c.go('recv-SCCRP-acceptable');
  c.sendControl(
    scccn({
      ...c.common(0),
      challengeResponse: m.challenge !== undefined ? challengeResponse(MessageType.SCCCN, secret!, m.challenge) : undefined,
    }),
  );
  established(c);
}

/** Responder: the peer's SCCCN (RFC 2661 §7.2.1 wait-ctl-conn). */
export function onScccn(c: TunnelCore, m: ControlMessage, problem: Rejection | undefined): void {
  if (problem !== undefined) return c.refuse('recv-SCCCN-not-acceptable', StopCcnResult.GeneralError, problem.error, problem.message);
  if (c.ourChallenge !== undefined) {
    const r = m.challengeResponse;
    if (r === undefined || !verifyChallengeResponse(MessageType.SCCCN, c.o.secret!, c.ourChallenge, r)) {
      const what = r === undefined ? 'no Challenge Response' : 'a wrong Challenge Response';
      return c.refuse('recv-SCCCN-not-acceptable', StopCcnResult.NotAuthorized, GeneralError.NoError, `SCCCN with ${what} (RFC 2661 §5.1.1)`, 'AUTH_FAILED');
    }
    c.peer!.authenticated = true;
  }
  c.go('recv-SCCCN-acceptable');
  established(c);
}
