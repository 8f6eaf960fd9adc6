/**
 * The L2TPv2 row of the dialect table (RFC 2661): Protocol Version 1.0, 16-bit Tunnel IDs,
 * Framing/Bearer Capabilities, the CHAP-like challenge (§4.2, §5.1.1), ZLB acks (§5.8).
 * @internal
 */
import { challengeResponse, verifyChallengeResponse } from '../wire/challenge.js';
import { hello, sccrp, sccrq, scccn, stopccn, zlb } from '../wire/builders.js';
import type { ControlMessage } from '../wire/control.js';
import type { ProtocolVersionValue } from '../wire/value-types.js';
import { MessageType } from '../wire/message-catalog.js';
import { GeneralError, StopCcnResult } from '../wire/result-codes.js';
import type { Dialect, StartRefusal } from './dialect.js';
import { RANDOM_LENGTH, type TunnelCore } from './tunnel-core.js';

/** Error Code of a StopCCN result 5: the highest version we support, 1.0 (RFC 2661 §4.4.2). */
const HIGHEST_VERSION = 0x0100;

function checkResponse(c: TunnelCore, m: ControlMessage): StartRefusal | undefined {
  if (c.ourChallenge === undefined) return undefined;
  const r = m.challengeResponse;
  // §4.2: the response is keyed with the type of the message that carries it (SCCRP 2, SCCCN 3).
  if (r !== undefined && verifyChallengeResponse(m.type, c.o.secret!, c.ourChallenge, r)) return undefined;
  const what = r === undefined ? 'no Challenge Response' : 'a wrong Challenge Response';
  return { result: StopCcnResult.NotAuthorized, error: GeneralError.NoError, message: `${m.typeName} with ${what} (RFC 2661 §5.1.1)`, code: 'AUTH_FAILED' };
}

/** The only Protocol Version AVP value we accept (RFC 2661 §4.4.3: version 1, revision 0). */
const PROTOCOL_1_0: ProtocolVersionValue = Object.freeze({ version: 1, revision: 0 });

/** @internal */
export const V2: Dialect = {
  version: 2,
  maxId: 0xffff,
  startAuth(c) {
    if (c.o.secret !== undefined) c.ourChallenge = c.o.random(RANDOM_LENGTH);
  },
  peerIdOf: (m) => m.assignedTunnelId,
  peerIdAvp: 'Assigned Tunnel ID',
  startProblem(c, m) {
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
  },
  replyProblem: checkResponse,
  notePeer(c, m, p) {
    // Always 1.0 here (startProblem refused anything else): one shared frozen value, not a copy per tunnel (issue 16).
    p.protocolVersion = PROTOCOL_1_0;
    p.challenged = m.challenge !== undefined;
    if (m.firmwareRevision !== undefined) p.firmwareRevision = m.firmwareRevision;
    if (m.framingCapabilities !== undefined) p.framingCapabilities = m.framingCapabilities;
    if (m.bearerCapabilities !== undefined) p.bearerCapabilities = m.bearerCapabilities;
  },
  sccrq(c) {
    const o = c.o;
    return sccrq({
      ...c.common(0, false),
      hostName: o.hostName,
      assignedTunnelId: c.localTunnelId,
      receiveWindowSize: c.seq!.receiveWindow,
      framingCapabilities: o.framingCapabilities,
      bearerCapabilities: o.bearerCapabilities,
      firmwareRevision: o.firmwareRevision,
      vendorName: o.vendorName,
      tieBreaker: c.ourTie,
      challenge: c.ourChallenge,
    });
  },
  sccrp(c, m) {
    const o = c.o;
    return sccrp({
      ...c.common(0, false),
      hostName: o.hostName,
      assignedTunnelId: c.localTunnelId,
      receiveWindowSize: c.seq!.receiveWindow,
      framingCapabilities: o.framingCapabilities,
      bearerCapabilities: o.bearerCapabilities,
      firmwareRevision: o.firmwareRevision,
      vendorName: o.vendorName,
      // §4.2: the response carried in an SCCRP is keyed with the SCCRP's type, 2.
      challengeResponse: m.challenge !== undefined ? challengeResponse(MessageType.SCCRP, o.secret!, m.challenge) : undefined,
      challenge: c.ourChallenge,
    });
  },
  scccn(c, m) {
    return scccn({
      ...c.common(0),
      challengeResponse: m.challenge !== undefined ? challengeResponse(MessageType.SCCCN, c.o.secret!, m.challenge) : undefined,
    });
  },
  stopccn: (c, result) => stopccn({ ...c.common(0), assignedTunnelId: c.localTunnelId, resultCode: result }),
  hello: (c) => hello(c.common(0)),
  ack: (c, ns, nr) => zlb({ tunnelId: c.peerId, ns, nr }),
  // RFC 2661 §4.4.3: "the 'loser' MUST silently discard its tunnel"; the winner says nothing.
  rejectLosingSccrq: () => undefined,
  seal() {},
  // v2 signs nothing: the Challenge Response is checked on acceptance (replyProblem).
  noteReplyAuth() {},
};
