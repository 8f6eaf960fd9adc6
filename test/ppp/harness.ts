/**
 * Runs a PPP client against a PPP server over two simulated links (src/testing), in virtual
 * time: every step delivers the next frame or fires the next deadline. Bounded in steps.
 */
import { Prng } from '../../src/testing/prng.js';
import { SimulatedLink, type LinkOptions } from '../../src/testing/link.js';
import type { PppAction, PppEvent, PppLink } from '../../src/ppp/link.js';

export function seededRandom(seed: number): (n: number) => Uint8Array {
  const prng = new Prng(seed);
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(prng.next() * 256));
}

export interface Side {
  readonly link: PppLink;
  readonly actions: PppAction[];
  /** Frames this side sent, in order. */
  readonly sent: Uint8Array[];
}

export class Pair {
  readonly client: Side;
  readonly server: Side;
  readonly toServer: SimulatedLink;
  readonly toClient: SimulatedLink;
  now = 0;
  steps = 0;

  constructor(client: PppLink, server: PppLink, link: LinkOptions = { delay: 10 }, seed = 1) {
    this.client = { link: client, actions: [], sent: [] };
    this.server = { link: server, actions: [], sent: [] };
    this.toServer = new SimulatedLink(link, new Prng(seed));
    this.toClient = new SimulatedLink(link, new Prng(seed + 1));
  }

  /** Feed `event` to one side and carry its actions out. */
  feed(side: Side, event: PppEvent): void {
    const out = side === this.client ? this.toServer : this.toClient;
    for (const a of side.link.handle(event, this.now)) {
      side.actions.push(a);
      if (a.type === 'send') {
        side.sent.push(a.frame.slice());
        out.send(a.frame.slice(), this.now);
      }
    }
  }

  open(): this {
    this.feed(this.server, { type: 'open' });
    this.feed(this.client, { type: 'open' });
    return this;
  }

  /** Run until `done()` or nothing is left to happen or `until` (virtual ms) passes. */
  run(done: () => boolean = () => false, until = 120_000): this {
    while (!done() && this.steps < 10_000) {
      const times = [this.toServer.nextArrival(), this.toClient.nextArrival(), this.client.link.nextDeadline(), this.server.link.nextDeadline()].filter(
        (t): t is number => t !== undefined,
      );
      if (times.length === 0) break;
      const t = Math.max(this.now, Math.min(...times));
      if (t > until) break;
      this.now = t;
      this.steps++;
      let f: Uint8Array | undefined;
      while ((f = this.toServer.receive(this.now))) this.feed(this.server, { type: 'received', frame: f });
      while ((f = this.toClient.receive(this.now))) this.feed(this.client, { type: 'received', frame: f });
      for (const s of [this.client, this.server]) {
        const d = s.link.nextDeadline();
        if (d !== undefined && d <= this.now) this.feed(s, { type: 'tick' });
      }
    }
    return this;
  }

  bothUp(): boolean {
    return [this.client, this.server].every((s) => s.actions.some((a) => a.type === 'up'));
  }
  bothDown(): boolean {
    return [this.client, this.server].every((s) => s.actions.some((a) => a.type === 'down'));
  }
}

export function find<T extends PppAction['type']>(side: Side, type: T): Extract<PppAction, { type: T }> | undefined {
  return side.actions.find((a) => a.type === type) as Extract<PppAction, { type: T }> | undefined;
}
