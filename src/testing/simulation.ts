/**
 * Two Sequencers joined by two simulated links, on a virtual clock. Deterministic for a seed:
 * the proof harness for reliable delivery, and a way to test code built on a Sequencer.
 */
import { put16, put32, u16 } from '../wire/bytes.js';
import { parseHeader } from '../wire/header.js';
import { Sequencer } from '../reliable/sequencer.js';
import type { SequencerOptions } from '../reliable/options.js';
import type { SequencerOutput } from '../reliable/types.js';
import { seqBefore, seqDistance } from '../reliable/serial.js';
import { SimulatedLink } from './link.js';
import type { LinkOptions } from './link.js';
import { Prng } from './prng.js';

/** A control message as the simulator parses it off its link. */
export interface SimMessage {
  readonly ns: number;
  readonly nr: number;
  /** A ZLB, or an L2TPv3 ACK (a lone Message Type AVP of value 20). */
  readonly isZlb: boolean;
  /** The whole datagram. */
  readonly bytes: Uint8Array;
  /**
   * What follows the 12-byte control header: the `body` given to {@link Simulation.send}
   * (opaque; only an 8-byte body equal to a Message Type AVP of value 20 would read as an ACK).
   */
  readonly body: Uint8Array;
}

/** Options of a {@link Simulation}. */
export interface SimulationOptions {
  /** Seed of the PRNG behind both links. */
  seed: number;
  /** Link behaviour in both directions (overridden per direction by `aToB` / `bToA`). */
  link?: LinkOptions;
  aToB?: LinkOptions;
  bToA?: LinkOptions;
  /** Sequencer options for both ends (overridden per end by `a` / `b`). */
  sequencer?: SequencerOptions;
  a?: SequencerOptions;
  b?: SequencerOptions;
  /** Control header version to frame messages with. Default 2. */
  version?: 2 | 3;
}

/** One end of a {@link Simulation}. */
export interface SimEndpoint {
  readonly name: 'a' | 'b';
  readonly sequencer: Sequencer<SimMessage>;
  /** Bodies handed to `send`, in order (also the ones refused because the end had failed). */
  readonly sent: Uint8Array[];
  /** Messages delivered by this end's Sequencer, in order (their `body` is what was sent). */
  readonly delivered: SimMessage[];
  /** Sequenced datagrams this end put on the wire (retransmissions included). */
  transmissions: number;
  /** Ack-only datagrams (ZLB / ACK) this end put on the wire. */
  acks: number;
  /** Set when this end's Sequencer reported failure. */
  failed: boolean;
  /** Set when this end's Sequencer reported closed. */
  closed: boolean;
  /**
   * Most messages this end ever had outstanding as seen on the wire: for each sequenced
   * datagram it sent, its Ns minus the highest Nr this end had received, plus one. Never more
   * than the peer's window if the send window is honoured.
   */
  maxOutstanding: number;
}

class Endpoint implements SimEndpoint {
  readonly sent: Uint8Array[] = [];
  readonly delivered: SimMessage[] = [];
  transmissions = 0;
  acks = 0;
  failed = false;
  closed = false;
  maxOutstanding = 0;
  /** Highest Nr received from the peer (serial order). */
  ackedTo: number;

  constructor(
    readonly name: 'a' | 'b',
    readonly sequencer: Sequencer<SimMessage>,
    readonly out: SimulatedLink,
    initialNs: number,
  ) {
    this.ackedTo = initialNs;
  }
}

const ACK_MESSAGE_TYPE = 20;

/**
 * Two {@link Sequencer}s, `a` and `b`, exchanging framed test messages over two
 * {@link SimulatedLink}s. Drive it with {@link send}, {@link step}, {@link runUntil} and
 * {@link runUntilIdle}; read the results on {@link a} and {@link b}.
 *
 * @example
 * ```ts
 * const sim = new Simulation({ seed: 42, link: { loss: 0.2, jitter: 300 } });
 * sim.send('a', new Uint8Array([1, 2, 3]));
 * sim.runUntilIdle();
 * sim.b.delivered.map((m) => m.body); // [Uint8Array [1, 2, 3]], or else sim.a.failed
 * ```
 */
export class Simulation {
  /** Virtual time in ms. */
  now = 0;
  readonly a: SimEndpoint;
  readonly b: SimEndpoint;
  private readonly ends: readonly [Endpoint, Endpoint];
  private readonly version: 2 | 3;

  /** @throws `RangeError`/`TypeError` for an option out of range. */
  constructor(options: SimulationOptions) {
    const random = new Prng(options.seed);
    this.version = options.version ?? 2;
    if (this.version !== 2 && this.version !== 3) throw new RangeError(`version must be 2 or 3, got ${String(options.version)}`);
    const seqA = { ...options.sequencer, ...options.a };
    const seqB = { ...options.sequencer, ...options.b };
    const a = new Endpoint('a', new Sequencer<SimMessage>(seqA), new SimulatedLink({ ...options.link, ...options.aToB }, random), seqA.initialNs ?? 0);
    const b = new Endpoint('b', new Sequencer<SimMessage>(seqB), new SimulatedLink({ ...options.link, ...options.bToA }, random), seqB.initialNs ?? 0);
    this.a = a;
    this.b = b;
    this.ends = [a, b];
  }

  /** Datagrams on the way in both directions. */
  get inTransit(): number {
    return this.ends[0].out.pending + this.ends[1].out.pending;
  }

  /**
   * Frame `body` as a control message and hand it to `from`'s Sequencer now. Refused (only
   * recorded in `sent`) when that end has failed or is closing.
   */
  send(from: 'a' | 'b', body: Uint8Array): void {
    const end = from === 'a' ? this.ends[0] : this.ends[1];
    end.sent.push(body);
    const seq = end.sequencer;
    if (seq.failed || seq.state !== 'open') return;
    this.apply(end, seq.send(this.frame(body.length, body), this.now));
  }

  /** Start closing `who`'s Sequencer now. */
  close(who: 'a' | 'b'): void {
    const end = who === 'a' ? this.ends[0] : this.ends[1];
    this.apply(end, end.sequencer.close(this.now));
  }

  /** Time of the next event (a datagram arrival or a Sequencer deadline), or `undefined`. */
  nextEvent(): number | undefined {
    let t = Infinity;
    for (const end of this.ends) {
      const arrival = end.out.nextArrival();
      if (arrival !== undefined && arrival < t) t = arrival;
      const deadline = end.sequencer.nextDeadline();
      if (deadline !== undefined && deadline < t) t = deadline;
    }
    return t === Infinity ? undefined : t;
  }

  /**
   * Advance to the next event and process everything due then: arrivals first (a→b, then
   * b→a), then each Sequencer's tick. Returns false when nothing is left to happen.
   */
  step(): boolean {
    const t = this.nextEvent();
    if (t === undefined) return false;
    this.stepAt(t);
    return true;
  }

  private stepAt(t: number): void {
    if (t > this.now) this.now = t;
    const [a, b] = this.ends;
    this.arrive(a.out, b);
    this.arrive(b.out, a);
    for (const end of this.ends) {
      const deadline = end.sequencer.nextDeadline();
      if (deadline !== undefined && deadline <= this.now) this.apply(end, end.sequencer.tick(this.now));
    }
  }

  /** Process every event up to time `t`, then set the clock to `t`. */
  runUntil(t: number): void {
    for (let next = this.nextEvent(); next !== undefined && next <= t; next = this.nextEvent()) this.stepAt(next);
    if (t > this.now) this.now = t;
  }

  /**
   * Run until nothing is left to happen. `onStep` (if given) runs after every step, e.g. to
   * check invariants. Returns the number of steps.
   * @throws `Error` after `maxSteps` steps (a livelock in the code under test).
   */
  runUntilIdle(onStep?: (sim: Simulation) => void, maxSteps = 10_000_000): number {
    let steps = 0;
    for (let next = this.nextEvent(); next !== undefined; next = this.nextEvent()) {
      this.stepAt(next);
      if (++steps > maxSteps) throw new Error(`simulation still busy after ${maxSteps} steps at t=${this.now}`);
      onStep?.(this);
    }
    return steps;
  }

  private arrive(link: SimulatedLink, to: Endpoint): void {
    for (let bytes = link.receive(this.now); bytes !== undefined; bytes = link.receive(this.now)) {
      const msg = parse(bytes);
      if (seqBefore(to.ackedTo, msg.nr)) to.ackedTo = msg.nr;
      this.apply(to, to.sequencer.receive(msg, this.now));
    }
  }

  private apply(end: Endpoint, out: SequencerOutput<SimMessage>): void {
    for (const bytes of out.transmit) {
      end.transmissions++;
      const outstanding = seqDistance(u16(bytes, 8), end.ackedTo) + 1;
      if (outstanding > end.maxOutstanding) end.maxOutstanding = outstanding;
      end.out.send(bytes, this.now);
    }
    for (const msg of out.deliver) end.delivered.push(msg);
    if (out.ack) {
      end.acks++;
      end.out.send(this.ackBytes(end.sequencer.ackMessage === 'ack', out.ackNs, out.ackNr), this.now);
    }
    if (out.failed) end.failed = true;
    if (out.closed) end.closed = true;
  }

  /** A control header (tunnel / control connection ID 1, session 0) followed by `body`. */
  private frame(bodyLength: number, body?: Uint8Array): Uint8Array {
    const bytes = new Uint8Array(12 + bodyLength);
    put16(bytes, 0, 0xc800 | this.version);
    put16(bytes, 2, bytes.length);
    if (this.version === 2) put16(bytes, 4, 1);
    else put32(bytes, 4, 1);
    if (body) bytes.set(body, 12);
    return bytes;
  }

  private ackBytes(explicit: boolean, ns: number, nr: number): Uint8Array {
    // L2TPv3 ACK: a lone Message Type AVP (M=1, length 8, vendor 0, type 0) of value 20.
    const bytes = this.frame(explicit ? 8 : 0);
    if (explicit) {
      put16(bytes, 12, 0x8008);
      put16(bytes, 18, ACK_MESSAGE_TYPE);
    }
    put16(bytes, 8, ns);
    put16(bytes, 10, nr);
    return bytes;
  }
}

class Parsed implements SimMessage {
  constructor(
    readonly ns: number,
    readonly nr: number,
    readonly isZlb: boolean,
    readonly bytes: Uint8Array,
    private readonly end: number,
  ) {}

  get body(): Uint8Array {
    return this.bytes.subarray(12, this.end);
  }
}

function parse(bytes: Uint8Array): SimMessage {
  const h = parseHeader(bytes);
  if (!h.isControl) throw new Error('simulator link carried a data message');
  const end = h.length ?? bytes.length;
  const o = h.headerLength;
  const isAck = end - o === 8 && u16(bytes, o) === 0x8008 && u16(bytes, o + 2) === 0 && u16(bytes, o + 4) === 0 && u16(bytes, o + 6) === ACK_MESSAGE_TYPE;
  return new Parsed(h.ns!, h.nr!, end === o || isAck, bytes, end);
}
