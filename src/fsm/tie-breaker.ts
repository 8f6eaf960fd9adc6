/**
 * Control connection tie breaking (RFC 2661 §4.4.3 Tie Breaker; RFC 3931 §5.4.3 Control
 * Connection Tie Breaker, §7.2): we are the initiator, our SCCRQ is outstanding, and the peer's
 * own SCCRQ crossed it. Both RFCs: the lower value wins; with one value only, its sender wins;
 * with none, two connections are meant (this SCCRQ is for another, responder, state machine).
 * The versions differ in what follows, and those differences are rows (the `versions` column of
 * `TUNNEL_TRANSITIONS`, and the dialect's `rejectLosingSccrq`):
 *
 * | | RFC 2661 (v2) | RFC 3931 (v3) |
 * | --- | --- | --- |
 * | loser | "MUST silently discard its tunnel"; §7.2.1: clean up, re-queue the SCCRQ for idle | "MUST discard its control connection"; §7.2: send SCCRP (or StopCCN if not acceptable), clean up the losing connection |
 * | winner | nothing | "A StopCCN SHOULD be sent by the winner as an explicit rejection for the losing SCCRQ"; §7.2: stays in wait-ctl-reply |
 * | equal values | "both sides MUST discard their tunnels" | both discard "and restart control connection negotiation with a new, random tie breaker value" |
 * @internal
 */
import { Sequencer } from '../reliable/sequencer.js';
import type { ControlMessage } from '../wire/control.js';
import { L2tpError } from '../wire/errors.js';
import { compareTieBreakers } from './checks.js';
import type { TunnelCore } from './tunnel-core.js';
import type { TunnelState } from './types.js';

/** Tie Breaker AVP value length (RFC 2661 §4.4.3, RFC 3931 §5.4.3): 8 octets. */
const TIE_LENGTH = 8;

/** The peer's SCCRQ `m` crossed ours; `deliver` hands a message to the FSM as in idle (loser's case). */
export function onCrossedSccrq(c: TunnelCore, m: ControlMessage, deliver: (m: ControlMessage) => void): void {
  const ours = c.ourTie;
  const theirs = m.tieBreaker;
  if (ours === undefined && theirs === undefined) return;
  const cmp = ours !== undefined && theirs !== undefined ? compareTieBreakers(ours, theirs) : ours !== undefined ? -1 : 1;
  if (cmp < 0) return win(c, m);
  if (cmp === 0) return equal(c);
  // We lost: discard our connection (nothing is sent for it: the winner rejects it, v3, or
  // nobody does, v2) and answer theirs as a responder.
  c.go('recv-SCCRQ-lose-tie');
  c.ourChallenge = undefined;
  // c.ourTie is kept: a responder holding one lost a tie, and the winner's StopCCN for the
  // discarded connection may follow (authenticate.ts: it is dropped quietly).
  c.role = 'responder';
  c.seq = new Sequencer<ControlMessage>(c.o.sequencer, m.ns);
  c.lastHeard = c.now;
  const out = c.seq.receive(m, c.now);
  const delivered = out.deliver.slice();
  c.absorb(out);
  for (const d of delivered) if ((c.st as TunnelState) !== 'closed') deliver(d);
}

/** We won: v2 ignores the losing SCCRQ; v3 rejects it with a StopCCN, outside our own sequence. */
function win(c: TunnelCore, m: ControlMessage): void {
  c.go('recv-SCCRQ-win-tie');
  const bytes = c.v.rejectLosingSccrq(c, m);
  if (bytes !== undefined) c.acts.push({ type: 'send', bytes });
}

/**
 * Equal values: both sides discard. v2 ends here. v3 restarts at once with a fresh random Tie
 * Breaker (even when the option fixed one: the same bytes would tie again) and a fresh nonce.
 */
function equal(c: TunnelCore): void {
  c.go('recv-SCCRQ-equal-tie');
  if (c.st === 'wait-ctl-reply') {
    c.seq = new Sequencer<ControlMessage>(c.o.sequencer);
    c.v.startAuth(c);
    c.ourTie = c.o.random(TIE_LENGTH);
    c.acts.push({ type: 'error', error: new L2tpError('PROTOCOL', 'simultaneous SCCRQs with equal Tie Breakers: our control connection discarded, restarted with a new random Tie Breaker (RFC 3931 §5.4.3)') });
    c.sendControl(c.v.sccrq(c));
    c.awaitPeer();
    return;
  }
  c.stopped('local', undefined, new L2tpError('PROTOCOL', 'simultaneous SCCRQs with equal Tie Breakers: both tunnels discarded (RFC 2661 §4.4.3)'));
  c.finish();
}
