/**
 * What differs between an L2TPv2 (RFC 2661) and an L2TPv3 (RFC 3931) control connection, as one
 * row per version: the handshake, the transition table and the Sequencer are shared, and the
 * FSM asks its row for the few things the versions do differently — the AVPs of SCCRQ, SCCRP
 * and SCCCN and what makes them acceptable, how the peer is authenticated (v2's challenge,
 * RFC 2661 §5.1.1, or v3's Message Digest, RFC 3931 §4.3), and the ack-only message (a ZLB, or
 * v3's explicit ACK, §6.15). The message rules (required AVPs, known types) are the columns of
 * `MESSAGE_RULES`; the version-only transitions are rows of `TUNNEL_TRANSITIONS` with `versions`.
 * @internal
 */
import type { ControlMessage } from '../wire/control.js';
import type { L2tpError } from '../wire/errors.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import type { L2tpVersion } from './message-rules.js';
import type { Mutable, TunnelCore } from './tunnel-core.js';
import type { PeerInfo } from './types.js';

/** Why an SCCRQ/SCCRP/SCCCN is refused, as its StopCCN says it. */
export interface StartRefusal {
  result: number;
  error: number;
  message: string;
  code?: L2tpError['code'];
}

/** @internal One version's row. */
export interface Dialect {
  readonly version: L2tpVersion;
  /** Largest Tunnel / Control Connection ID (16 or 32 bits). */
  readonly maxId: number;
  /** Our authentication material for the handshake (v2 challenge, v3 nonce), drawn at open / first SCCRQ. */
  startAuth(c: TunnelCore): void;
  /** The peer's ID from its SCCRQ/SCCRP/StopCCN (Assigned Tunnel ID or Assigned Control Connection ID). */
  peerIdOf(m: ControlMessage): number | undefined;
  /** The name of the AVP that carries it, for messages. */
  readonly peerIdAvp: string;
  /** What makes an SCCRQ/SCCRP not acceptable, beyond the AVP problems found on receipt. */
  startProblem(c: TunnelCore, m: ControlMessage): StartRefusal | undefined;
  /** Whether an SCCRP (initiator) or SCCCN (responder) authenticates the peer (v2: its Challenge Response). */
  replyProblem(c: TunnelCore, m: ControlMessage): StartRefusal | undefined;
  /** The version's fields of {@link PeerInfo}. */
  notePeer(c: TunnelCore, m: ControlMessage, p: Mutable<PeerInfo>): void;
  sccrq(c: TunnelCore): Uint8Array;
  sccrp(c: TunnelCore, m: ControlMessage): Uint8Array;
  scccn(c: TunnelCore, m: ControlMessage): Uint8Array;
  stopccn(c: TunnelCore, result: ResultCodeValue): Uint8Array;
  hello(c: TunnelCore): Uint8Array;
  /** The ack-only message (ZLB or ACK) with this Ns and Nr. */
  ack(c: TunnelCore, ns: number, nr: number): Uint8Array;
  /**
   * We won a control connection tie (we are the initiator): what to send the peer for its losing
   * SCCRQ `m`, outside our own sequence, or `undefined` for nothing (RFC 2661 §4.4.3: the loser
   * discards silently; RFC 3931 §5.4.3: a StopCCN SHOULD reject it).
   */
  rejectLosingSccrq(c: TunnelCore, m: ControlMessage): Uint8Array | undefined;
  /** Final touch on a copy of a sequenced message about to go out (Ns/Nr stamped): v3 signs it. */
  seal(c: TunnelCore, bytes: Uint8Array): void;
  /** The peer's SCCRP arrived (initiator): keep what signs our reply to it, even a refusal (v3: its nonce). */
  noteReplyAuth(c: TunnelCore, m: ControlMessage): void;
}
