/**
 * Setting up a control connection (RFC 2661 §7.2.1, RFC 3931 §7.2), both versions: our SCCRQ, and the SCCRQ, SCCRP and SCCCN we receive, with the
 * checks that make one "acceptable" (RFC 2661 §6.1–§6.3, §4.4.3, §5.1.1; RFC 3931 §6.1–§6.3,
 * §4.3). What differs by version comes from the tunnel's dialect row.
 * @internal
 */
import { Sequencer } from '../reliable/sequencer.js';
import type { ControlMessage } from '../wire/control.js';
import { L2tpError } from '../wire/errors.js';
import { StopCcnResult } from '../wire/result-codes.js';
import type { Rejection } from './checks.js';
import type { StartRefusal } from './dialect.js';
import { intern } from './intern.js';
import type { Mutable, TunnelCore } from './tunnel-core.js';
import type { PeerInfo } from './types.js';

/** RFC 2661 §5.8, RFC 3931 §5.4.3: the peer's window is 4 when it sends no Receive Window Size AVP. */
const DEFAULT_PEER_WINDOW = 4;

/** Local open: become the initiator and send SCCRQ. */
export function openTunnel(c: TunnelCore): void {
  if (c.st !== 'idle') throw new TypeError(`open: the tunnel is ${c.st}; open() is only for a fresh (idle) TunnelFsm`);
  const o = c.o;
  c.go('open');
  c.role = 'initiator';
  c.seq = new Sequencer<ControlMessage>(o.sequencer);
  c.v.startAuth(c);
  const tie = o.tieBreaker;
  c.ourTie = tie === true ? o.random(8) : tie === false ? undefined : tie;
  c.sendControl(c.v.sccrq(c));
  c.awaitPeer();
}

/**
 * Checks shared by SCCRQ and SCCRP: an AVP problem found on receipt, then the version's own
 * (RFC 2661 §6.1, §6.2, §4.4.3; RFC 3931 §6.1, §6.2, §4.3). Returns the refusal, or `undefined`.
 */
function startProblem(c: TunnelCore, m: ControlMessage, problem: Rejection | undefined): StartRefusal | undefined {
  if (problem !== undefined) return { result: StopCcnResult.GeneralError, ...problem };
  return c.v.startProblem(c, m);
}

/**
 * What the peer told us, as a class: its instances get in-object room for the fields the dialect
 * and the optional AVPs add after construction (a plain literal sized for its first eight
 * fields moves the rest to a separate property array: issue 16, memory per tunnel).
 */
class PeerRecord {
  version: 2 | 3;
  localTunnelId: number;
  assignedTunnelId: number;
  role: PeerInfo['role'];
  hostName: string;
  receiveWindowSize: number;
  challenged = false;
  authenticated = false;
  constructor(c: TunnelCore, m: ControlMessage) {
    this.version = c.o.version;
    this.localTunnelId = c.localTunnelId;
    this.assignedTunnelId = c.v.peerIdOf(m)!;
    this.role = c.role!;
    this.hostName = intern(m.hostName!);
    this.receiveWindowSize = m.receiveWindowSize ?? DEFAULT_PEER_WINDOW;
  }
}

function notePeer(c: TunnelCore, m: ControlMessage): void {
  const p = new PeerRecord(c, m) as Mutable<PeerInfo>;
  c.v.notePeer(c, m, p);
  if (m.vendorName !== undefined) p.vendorName = intern(m.vendorName);
  if (m.tieBreaker !== undefined) p.tieBreaker = m.tieBreaker.slice();
  c.peer = p;
  c.seq!.setPeerWindow(p.receiveWindowSize);
}

function established(c: TunnelCore): void {
  c.lastHeard = c.now;
  c.acts.push({ type: 'established', peer: { ...c.peer! } });
}

/** Responder: the peer's SCCRQ (idle). */
export function onSccrq(c: TunnelCore, m: ControlMessage, problem: Rejection | undefined): void {
  const peerId = c.v.peerIdOf(m);
  if (peerId === undefined || peerId === 0) {
    // No usable ID to address a StopCCN to (0 is reserved, RFC 2661 §4.4.3, RFC 3931 §5.4.3): forget it.
    c.acts.push({ type: 'error', error: new L2tpError('MISSING_AVP', `SCCRQ without a usable ${c.v.peerIdAvp} (absent, or the reserved 0): ignored`) });
    c.stopped('peer', undefined, new L2tpError('MISSING_AVP', `SCCRQ without ${c.v.peerIdAvp}`));
    c.finish();
    return;
  }
  c.peerId = peerId;
  const bad = startProblem(c, m, problem);
  if (bad !== undefined) return c.refuse('recv-SCCRQ-not-acceptable', bad.result, bad.error, bad.message, bad.code);
  notePeer(c, m);
  c.v.startAuth(c);
  c.go('recv-SCCRQ-acceptable');
  c.sendControl(c.v.sccrp(c, m));
  // wait-ctl-conn: freed one handshakeTimeout after this SCCRP unless an SCCCN comes.
  c.awaitPeer();
}

/** Initiator: the peer's SCCRP (wait-ctl-reply). */
export function onSccrp(c: TunnelCore, m: ControlMessage, problem: Rejection | undefined): void {
  const peerId = c.v.peerIdOf(m);
  if (peerId !== undefined) c.peerId = peerId;
  c.v.noteReplyAuth(c, m);
  const bad = startProblem(c, m, problem) ?? c.v.replyProblem(c, m);
  if (bad !== undefined) return c.refuse('recv-SCCRP-not-acceptable', bad.result, bad.error, bad.message, bad.code);
  notePeer(c, m);
  c.peer!.authenticated = c.o.version === 3 ? c.o.secret !== undefined : c.ourChallenge !== undefined;
  c.go('recv-SCCRP-acceptable');
  c.sendControl(c.v.scccn(c, m));
  established(c);
}

/** Responder: the peer's SCCCN (wait-ctl-conn). */
export function onScccn(c: TunnelCore, m: ControlMessage, problem: Rejection | undefined): void {
  if (problem !== undefined) return c.refuse('recv-SCCCN-not-acceptable', StopCcnResult.GeneralError, problem.error, problem.message);
  const bad = c.v.replyProblem(c, m);
  if (bad !== undefined) return c.refuse('recv-SCCCN-not-acceptable', bad.result, bad.error, bad.message, bad.code);
  if (c.o.version === 3 ? c.o.secret !== undefined : c.ourChallenge !== undefined) c.peer!.authenticated = true;
  c.go('recv-SCCCN-acceptable');
  established(c);
}
