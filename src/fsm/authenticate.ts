/**
 * L2TPv3 control message authentication on receipt (RFC 3931 §4.3, §5.4.1): every message of a
 * control connection with a shared secret must carry a valid Message Digest, checked before the
 * Sequencer or the state machine uses anything in it. The nonces hashed are the sender's first
 * (the peer's, taken from its SCCRP when that is the message), then ours; an SCCRQ hashes none.
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
 * its digest is right. Otherwise the message is dropped (an `error` action) and, when it
 * belongs to this control connection, the connection is refused with StopCCN Result Code 4
 * (the `recv-bad-digest` row; `recv-SCCRQ-not-acceptable` for a first SCCRQ).
 */
export function authentic(c: TunnelCore, m: ControlMessage, bytes: Uint8Array): boolean {
  const secret = c.o.secret;
  if (secret === undefined) return true;
  const fresh = m.type === MessageType.SCCRQ && m.tunnelId === 0;
  if (m.isZlb) {
    c.acts.push({ type: 'error', error: new L2tpError('BAD_DIGEST', 'a ZLB, with authentication on: it cannot carry a Message Digest (RFC 3931 §6.15), dropped') });
    return false;
  }
  let nonces: DigestNonces | undefined;
  if (!fresh) {
    const theirs = m.type === MessageType.SCCRP ? m.controlMessageAuthenticationNonce : c.peerNonce;
    if (theirs === undefined || c.ourNonce === undefined) {
      // Before the peer's nonce is known the digest cannot be checked: not usable, not fatal
      // (a message overtaking the SCCRP is sent again).
      c.acts.push({ type: 'error', error: new L2tpError('BAD_DIGEST', `${m.typeName} before the peer's Control Message Authentication Nonce is known: cannot be authenticated, dropped (RFC 3931 §5.4.1)`) });
      return false;
    }
    nonces = { local: theirs, remote: c.ourNonce };
  }
  try {
    verifyControlV3(bytes, { secret, nonces });
    return true;
  } catch (e) {
    refuse(c, m, fresh, e instanceof L2tpError ? e : new L2tpError('BAD_DIGEST', String(e)));
    return false;
  }
}

function refuse(c: TunnelCore, m: ControlMessage, fresh: boolean, cause: L2tpError): void {
  const message = `${m.typeName}: ${cause.message}`.slice(0, 200);
  const error = new L2tpError('AUTH_FAILED', message, cause.offset, { cause });
  const result = { result: StopCcnResult.NotAuthorized, error: GeneralError.NoError, message };
  if (fresh && c.st === 'idle') {
    const peerId = m.assignedControlConnectionId;
    if (peerId === undefined || peerId === 0) {
      c.acts.push({ type: 'error', error });
      return;
    }
    // An SCCRQ we cannot authenticate: refused as "not acceptable", without acking it.
    c.role = 'responder';
    c.peerId = peerId;
    c.seq = new Sequencer<ControlMessage>(c.o.sequencer, m.ns);
    c.teardown('recv-SCCRQ-not-acceptable', result, error);
    return;
  }
  const ours = m.tunnelId === c.localTunnelId && (c.st === 'wait-ctl-reply' || c.st === 'wait-ctl-conn' || c.st === 'established');
  if (!ours) {
    c.acts.push({ type: 'error', error: cause });
    return;
  }
  c.teardown('recv-bad-digest', result, error);
}
