/**
 * Two TunnelFsms joined by the seeded lossy link of `src/testing` on a virtual clock: the
 * driver loop, written out small, so tests can watch every action and every datagram.
 */
import { TunnelFsm, type TunnelAction, type TunnelEvent, type TunnelOptions } from '../../src/fsm/index.js';
import { Prng } from '../../src/testing/prng.js';
import { SimulatedLink, type LinkOptions } from '../../src/testing/link.js';
import { parseControl } from '../../src/wire/control.js';

/** Seeded random bytes for an FSM (tests only; the driver uses crypto.getRandomValues). */
export function seededRandom(seed: number): (n: number) => Uint8Array {
  const p = new Prng(seed);
  return (n) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(p.next() * 256);
    return b;
  };
}

export type Side = 'a' | 'b';

/** An action with when and where it happened. */
export interface Logged {
  side: Side;
  at: number;
  action: TunnelAction;
}

/** A datagram put on a link. */
export interface Wire {
  from: Side;
  at: number;
  bytes: Uint8Array;
  /** Message type name, 'ZLB', or 'DATA'. */
  typeName: string;
}

export interface PairOptions {
  seed?: number;
  link?: LinkOptions;
  aToB?: LinkOptions;
  bToA?: LinkOptions;
}

export class Pair {
  readonly a: TunnelFsm;
  readonly b: TunnelFsm;
  now = 0;
  readonly log: Logged[] = [];
  readonly wire: Wire[] = [];
  /** Return true to lose a datagram on purpose (on top of the link's own loss). */
  drop: (w: Wire) => boolean = () => false;
  private readonly ab: SimulatedLink;
  private readonly ba: SimulatedLink;

  constructor(a: Partial<TunnelOptions>, b: Partial<TunnelOptions>, o: PairOptions = {}) {
    const seed = o.seed ?? 1;
    this.a = new TunnelFsm({ hostName: 'lac.test', random: seededRandom(seed * 7 + 1), ...a });
    this.b = new TunnelFsm({ hostName: 'lns.test', random: seededRandom(seed * 7 + 2), ...b });
    const prng = new Prng(seed);
    this.ab = new SimulatedLink({ ...o.link, ...o.aToB }, prng);
    this.ba = new SimulatedLink({ ...o.link, ...o.bToA }, prng);
  }

  fsm(side: Side): TunnelFsm {
    return side === 'a' ? this.a : this.b;
  }

  /** Feed an event to one side now and carry out its actions. */
  do(side: Side, event: TunnelEvent): TunnelAction[] {
    const acts = this.fsm(side).handle(event, this.now);
    this.carry(side, acts);
    return acts;
  }

  private carry(side: Side, acts: TunnelAction[]): void {
    for (const action of acts) {
      this.log.push({ side, at: this.now, action });
      if (action.type === 'send') {
        const bytes = action.bytes;
        let typeName = 'DATA';
        if (bytes[0]! & 0x80) {
          try {
            typeName = parseControl(bytes, { requireAvps: false }).typeName;
          } catch {
            typeName = 'BAD';
          }
        }
        const w = { from: side, at: this.now, bytes, typeName };
        this.wire.push(w);
        if (!this.drop(w)) (side === 'a' ? this.ab : this.ba).send(bytes, this.now);
      }
    }
  }

  /** Run the event loop until nothing is pending or `until` (virtual ms) is reached. */
  run(until: number): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const t = this.next();
      if (t === undefined || t > until) {
        this.now = Math.max(this.now, Math.min(until, t ?? until));
        return;
      }
      this.now = Math.max(this.now, t);
      let bytes: Uint8Array | undefined;
      while ((bytes = this.ab.receive(this.now)) !== undefined) this.do('b', { type: 'received', bytes });
      while ((bytes = this.ba.receive(this.now)) !== undefined) this.do('a', { type: 'received', bytes });
      for (const side of ['a', 'b'] as const) {
        const d = this.fsm(side).nextDeadline();
        if (d !== undefined && d <= this.now) this.do(side, { type: 'tick' });
      }
    }
    throw new Error('event loop did not settle');
  }

  private next(): number | undefined {
    let t: number | undefined;
    for (const c of [this.ab.nextArrival(), this.ba.nextArrival(), this.a.nextDeadline(), this.b.nextDeadline()]) {
      if (c !== undefined && (t === undefined || c < t)) t = c;
    }
    return t;
  }

  /** Actions of one side, optionally of one type. */
  actions<T extends TunnelAction['type']>(side: Side, type: T): Extract<TunnelAction, { type: T }>[] {
    return this.log.filter((l) => l.side === side && l.action.type === type).map((l) => l.action) as Extract<TunnelAction, { type: T }>[];
  }

  /** When a side first did an action of `type`. */
  firstAt(side: Side, type: TunnelAction['type']): number | undefined {
    return this.log.find((l) => l.side === side && l.action.type === type)?.at;
  }

  /** Control messages a side put on the wire, by name. */
  sent(side: Side, typeName?: string): Wire[] {
    return this.wire.filter((w) => w.from === side && (typeName === undefined || w.typeName === typeName));
  }
}

/**
 * A LAC and an LNS joined by hand (every message delivered at once, no link): established at
 * time 0, for tests that then feed one side crafted messages.
 */
export function establishedPair(lnsOptions: Partial<TunnelOptions> = {}, lacOptions: Partial<TunnelOptions> = {}): { lac: TunnelFsm; lns: TunnelFsm } {
  const lac = new TunnelFsm({ hostName: 'lac', random: seededRandom(11), ...lacOptions });
  const lns = new TunnelFsm({ hostName: 'lns', random: seededRandom(5), ...lnsOptions });
  const carry = (from: TunnelFsm, acts: TunnelAction[]): void => {
    const to = from === lac ? lns : lac;
    for (const a of acts) if (a.type === 'send' && (a.bytes[0]! & 0x80) !== 0) carry(to, to.handle({ type: 'received', bytes: a.bytes }, 0));
  };
  carry(lac, lac.handle({ type: 'open' }, 0));
  if (lac.state !== 'established' || lns.state !== 'established') throw new Error(`handshake did not complete: ${lac.state}/${lns.state}`);
  return { lac, lns };
}

