/**
 * L2TPv3 control message authentication on receipt (RFC 3931 §4.3, §5.4.1): every message of a
 * control connection with a shared secret must carry a valid Message Digest, checked before the
 * Sequencer or the state machine uses anything in it. The nonces hashed are the sender's first
 * (the peer's, taken from its SCCRP when that is the message), then ours; an SCCRQ hashes none.
 *
 * A message that fails the check is dropped, in every state and both roles: §5.4.1 says "If the
 * calculation fails, the message MUST be dropped", and nothing more. It is not acked (its Ns and
 * Nr are not trusted) and it changes no state, so a forged message (off path, with a guessed
 * Control Connection ID) cannot tear a connection down or cut its handshake short: guarding
 * against such spoofing is what §4.3 says the mechanism is for. The one refusal is an SCCRQ that
 * does no authentication at all (no Message Digest, no Nonce) while we require it: it starts
 * nothing that could be torn down, and §4.3 says "either both sides participate in
 * authentication, or neither does", so it gets StopCCN Result Code 4 ("not authorized").
 * @internal
 */
import { Sequencer } from '../reliable/sequencer.js';
import type { ControlMessage } from '../wire/control.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import { GeneralError, StopCcnResult } from '../wire/result-codes.js';
import { verifyControlV3, type DigestNonces } from '../wire/v3-digest.js';
import type { TunnelCore } from './tunnel-core.js';

/**
 * Whether a parsed v3 message may go on to the Sequencer: true without authentication, or when
 * its digest is right. Otherwise the message is dropped with an `error` action (see the module
 * notes); an SCCRQ without any authentication is refused (`recv-SCCRQ-not-acceptable`).
 */
export function authentic(c: TunnelCore, m: ControlMessage, bytes: Uint8Array): boolean {
  const secret = c.o.secret;
  if (secret === undefined) return true;
  const fresh = m.type === MessageType.SCCRQ && m.tunnelId === 0;
  if (m.isZlb) {
    drop(c, new L2tpError('BAD_DIGEST', 'a ZLB, with authentication on: it cannot carry a Message Digest (RFC 3931 §6.15), dropped'));
    return false;
  }
  const problem = digestProblem(c, m, bytes, fresh);
  if (problem === undefined) return true;
  if (fresh && c.st === 'idle' && m.messageDigest === undefined && m.controlMessageAuthenticationNonce === undefined) {
    refuseUnauthenticatedSccrq(c, m, problem);
    return false;
  }
  // v3 tie breaking (§5.4.3): we lost and answer the winner's SCCRQ with a new nonce; the winner's
  // StopCCN rejecting our discarded connection (its Ns 0) is signed for that connection's nonces.
  // Expected, and already done with: not an authentication failure to report.
  if (c.role === 'responder' && c.ourTie !== undefined && m.type === MessageType.StopCCN && m.ns === 0) return false;
  drop(c, new L2tpError(problem.code, `${m.typeName} dropped: ${problem.message}`.slice(0, 300), problem.offset, { cause: problem }));
  return false;
}

/**
 * Whether the raw bytes of a message addressed to this control connection (one that did not even
 * parse, say) carry a valid digest: only then may anything in them be acted on (§5.4.1).
 * `undefined` when they do, or when authentication is off.
 */
export function unauthenticRaw(c: TunnelCore, bytes: Uint8Array): L2tpError | undefined {
  const secret = c.o.secret;
  if (secret === undefined || c.o.version !== 3) return undefined;
  if (c.peerNonce === undefined || c.ourNonce === undefined) return new L2tpError('BAD_DIGEST', "the peer's Control Message Authentication Nonce is not known yet (RFC 3931 §5.4.1)");
  try {
    verifyControlV3(bytes, { secret, nonces: { local: c.peerNonce, remote: c.ourNonce } });
    return undefined;
  } catch (e) {
    return e instanceof L2tpError ? e : new L2tpError('BAD_DIGEST', String(e));
  }
}

/** Why `m`'s digest does not check out, or `undefined` when it does. */
function digestProblem(c: TunnelCore, m: ControlMessage, bytes: Uint8Array, fresh: boolean): L2tpError | undefined {
  let nonces: DigestNonces | undefined;
  if (!fresh) {
    const theirs = m.type === MessageType.SCCRP ? m.controlMessageAuthenticationNonce : c.peerNonce;
    if (theirs === undefined || c.ourNonce === undefined) {
      // Before the peer's nonce is known the digest cannot be checked (a message overtaking the
      // SCCRP is sent again; a StopCCN refusing our SCCRQ cannot be authenticated at all).
      return new L2tpError('BAD_DIGEST', "the peer's Control Message Authentication Nonce is not known yet, so the message cannot be authenticated (RFC 3931 §5.4.1)");
    }
    nonces = { local: theirs, remote: c.ourNonce };
  }
  try {
    verifyControlV3(bytes, { secret: c.o.secret!, nonces });
    return undefined;
  } catch (e) {
    return e instanceof L2tpError ? e : new L2tpError('BAD_DIGEST', String(e));
  }
}

/**
 * §5.4.1: the message is dropped; nothing else happens (the `recv-bad-digest` rows keep the
 * state). The failure is kept so that a handshake that then times out says why.
 */
function drop(c: TunnelCore, error: L2tpError): void {
  const idle = c.st === 'idle';
  c.go('recv-bad-digest');
  c.authFailure = error;
  c.acts.push({ type: 'error', error });
  if (idle) {
    // A responder made for this SCCRQ: nothing started, nothing to keep (the driver frees it).
    c.stopped('local', undefined, new L2tpError('AUTH_FAILED', error.message, error.offset, { cause: error }));
    c.finish();
  }
}

/** An SCCRQ with no authentication at all while we require it: StopCCN 4, without acking it. */
function refuseUnauthenticatedSccrq(c: TunnelCore, m: ControlMessage, cause: L2tpError): void {
  const message = 'SCCRQ without Message Digest or Control Message Authentication Nonce, and authentication is on here (RFC 3931 §4.3)';
  const error = new L2tpError('AUTH_FAILED', message, cause.offset, { cause });
  const peerId = m.assignedControlConnectionId;
  if (peerId === undefined || peerId === 0) {
    c.acts.push({ type: 'error', error });
    return;
  }
  c.role = 'responder';
  c.peerId = peerId;
  c.seq = new Sequencer<ControlMessage>(c.o.sequencer, m.ns);
  c.teardown('recv-SCCRQ-not-acceptable', { result: StopCcnResult.NotAuthorized, error: GeneralError.NoError, message }, error);
}
