/**
 * The L2TPv3 row of the dialect table (RFC 3931, over UDP): 32-bit Control Connection IDs, Router
 * ID and Pseudowire Capabilities List in SCCRQ/SCCRP (§6.1, §6.2), the explicit ACK (§6.15)
 * where v2 sends a ZLB, and, with a shared secret, control message authentication (§4.3,
 * §5.4.1): our nonce in the SCCRQ/SCCRP, a Message Digest on every message, hiding keyed by
 * HMAC-MD5(secret, 1) (§5.3). The digest covers Ns and Nr, so every transmission of a sequenced
 * message is signed again after the Sequencer stamps them (`seal`).
 * @internal
 */
import { encodeControl, type ControlMessageInit } from '../wire/control.js';
import type { ControlMessage } from '../wire/control.js';
import { MessageType } from '../wire/message-catalog.js';
import { GeneralError, StopCcnResult } from '../wire/result-codes.js';
import { encodeControlV3 } from '../wire/v3-auth.js';
import { signControlV3, type DigestNonces } from '../wire/v3-digest.js';
import type { Dialect, StartRefusal } from './dialect.js';
import { RANDOM_LENGTH, type TunnelCore } from './tunnel-core.js';

/** RFC 3931 §5.4.1: the nonce SHOULD be at least 16 random bytes. */
const NONCE_LENGTH = 16;

/**
 * The nonces a message we send is signed with (§5.4.1): ours first (the sender's), then the
 * peer's. None for the SCCRQ, and none before the peer's nonce is known.
 */
function nonces(c: TunnelCore, type: number): DigestNonces | undefined {
  if (type === MessageType.SCCRQ || c.peerNonce === undefined || c.ourNonce === undefined) return undefined;
  return { local: c.ourNonce, remote: c.peerNonce };
}

/**
 * Encode a v3 control message to the peer: its Control Connection ID in the header, and with
 * authentication on, the Message Digest right after Message Type (and hidden AVPs, if `hide` and
 * `hideAvps`, keyed the v3 way).
 * @internal Sessions use it too.
 */
export function encodeV3(c: TunnelCore, msg: ControlMessageInit, hide = true): Uint8Array {
  const o = c.o;
  const init: ControlMessageInit = { ...msg, controlConnectionId: c.peerId };
  if (o.secret === undefined) return encodeControl({ ...init, version: 3 });
  const withHiding = hide && o.hideAvps ? { ...init, hiding: { randomVector: o.random(RANDOM_LENGTH), pad: o.hidePad } } : init;
  return encodeControlV3(withHiding, { secret: o.secret, digestType: o.digestType, nonces: nonces(c, msg.type ?? 0) });
}

/** @internal */
export const V3: Dialect = {
  version: 3,
  maxId: 0xffffffff,
  startAuth(c) {
    if (c.o.secret !== undefined) c.ourNonce = c.o.random(NONCE_LENGTH);
  },
  peerIdOf: (m) => m.assignedControlConnectionId,
  peerIdAvp: 'Assigned Control Connection ID',
  startProblem(c, m): StartRefusal | undefined {
    // Required by RFC 3931 §6.1/§6.2 (checked with the rest unless `lenient`), and needed even then:
    // PeerInfo names the peer, and every later message is addressed to its ID (as in v2, §6.1/§6.2 of RFC 2661).
    if (m.assignedControlConnectionId === undefined) return { result: StopCcnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without Assigned Control Connection ID (not waived by lenient: nothing to address the peer by)`, code: 'MISSING_AVP' };
    if (m.hostName === undefined) return { result: StopCcnResult.GeneralError, error: GeneralError.VendorSpecific, message: `${m.typeName} without Host Name (not waived by lenient: the peer's name is part of every tunnel's record)`, code: 'MISSING_AVP' };
    if (m.receiveWindowSize === 0) return { result: StopCcnResult.GeneralError, error: GeneralError.OutOfRange, message: 'Receive Window Size 0 (RFC 3931 §5.4.3: at least 1)' };
    const secret = c.o.secret;
    if (secret === undefined && m.messageDigest !== undefined) {
      // The peer authenticates its messages and expects ours to be: we have no secret to do it.
      return { result: StopCcnResult.NotAuthorized, error: GeneralError.NoError, message: `${m.typeName} with a Message Digest, but no shared secret is configured here (RFC 3931 §4.3)`, code: 'AUTH_FAILED' };
    }
    if (secret !== undefined && m.controlMessageAuthenticationNonce === undefined) {
      return { result: StopCcnResult.NotAuthorized, error: GeneralError.NoError, message: `${m.typeName} without a Control Message Authentication Nonce, and authentication is on here (RFC 3931 §5.4.1)`, code: 'AUTH_FAILED' };
    }
    return undefined;
  },
  // The digest of every message was checked before the Sequencer saw it (receive.ts).
  replyProblem: () => undefined,
  notePeer(c, m, p) {
    p.assignedControlConnectionId = m.assignedControlConnectionId!;
    p.routerId = m.routerId!;
    p.pseudowireCapabilities = m.pseudowireCapabilitiesList!;
    p.challenged = false;
    keepPeerNonce(c, m);
  },
  sccrq(c) {
    const o = c.o;
    return encodeV3(c, {
      type: MessageType.SCCRQ,
      hostName: o.hostName,
      routerId: o.routerId,
      assignedControlConnectionId: c.localTunnelId,
      pseudowireCapabilitiesList: o.pseudowireCapabilities as number[],
      receiveWindowSize: c.seq!.receiveWindow,
      tieBreaker: c.ourTie,
      vendorName: o.vendorName,
      controlMessageAuthenticationNonce: c.ourNonce,
    }, false);
  },
  sccrp(c) {
    const o = c.o;
    return encodeV3(c, {
      type: MessageType.SCCRP,
      hostName: o.hostName,
      routerId: o.routerId,
      assignedControlConnectionId: c.localTunnelId,
      pseudowireCapabilitiesList: o.pseudowireCapabilities as number[],
      receiveWindowSize: c.seq!.receiveWindow,
      vendorName: o.vendorName,
      controlMessageAuthenticationNonce: c.ourNonce,
    }, false);
  },
  scccn: (c) => encodeV3(c, { type: MessageType.SCCCN }),
  stopccn: (c, result) => encodeV3(c, { type: MessageType.StopCCN, resultCode: result, assignedControlConnectionId: c.localTunnelId }),
  hello: (c) => encodeV3(c, { type: MessageType.HELLO }),
  // §6.15: an ACK, not a ZLB: with authentication on only a message with AVPs can carry the digest.
  ack: (c, ns, nr) => encodeV3(c, { type: MessageType.ACK, ns, nr }, false),
  rejectLosingSccrq(c, m) {
    const peerId = m.assignedControlConnectionId;
    if (peerId === undefined || peerId === 0) return undefined;
    // §5.4.3: "A StopCCN SHOULD be sent by the winner as an explicit rejection for the losing
    // SCCRQ". It is the first (Ns 0) and only message of the losing connection, acking its SCCRQ;
    // sent once: the loser has discarded that connection and will not ack it there. Result Code
    // 3, "Control connection already exists" (§5.4.2): ours, being set up. §6.4: after an SCCRQ
    // of ours, the Assigned Control Connection ID MUST be present.
    const init: ControlMessageInit = {
      type: MessageType.StopCCN,
      controlConnectionId: peerId,
      ns: 0,
      nr: (m.ns + 1) & 0xffff,
      resultCode: { result: StopCcnResult.AlreadyExists, error: GeneralError.NoError, message: 'lost the control connection tie breaker (RFC 3931 §5.4.3)' },
      assignedControlConnectionId: c.localTunnelId,
    };
    const o = c.o;
    if (o.secret === undefined) return encodeControl({ ...init, version: 3 });
    // Signed over our nonce (the one in our SCCRQ, which the loser has) and the one in its SCCRQ.
    const theirs = m.controlMessageAuthenticationNonce;
    return encodeControlV3(init, { secret: o.secret, digestType: o.digestType, nonces: theirs === undefined || c.ourNonce === undefined ? undefined : { local: c.ourNonce, remote: theirs } });
  },
  seal(c, bytes) {
    const secret = c.o.secret;
    if (secret === undefined) return;
    signControlV3(bytes, { secret, nonces: nonces(c, (bytes[18]! << 8) | bytes[19]!) });
  },
  // §5.4.1: every message after the SCCRQ is signed over both nonces, so a StopCCN refusing the
  // SCCRP needs the nonce that SCCRP carries before notePeer (acceptance) would record it.
  noteReplyAuth: keepPeerNonce,
};

/** The peer's nonce from its SCCRQ/SCCRP, our own copy (the driver may reuse its receive buffer); only with a secret. */
function keepPeerNonce(c: TunnelCore, m: ControlMessage): void {
  const n = m.controlMessageAuthenticationNonce;
  if (c.o.secret !== undefined && n !== undefined) c.peerNonce = n.slice();
}
