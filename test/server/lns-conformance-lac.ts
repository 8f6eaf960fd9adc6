/**
 * A misbehaving test LAC for the LNS's conformance tests: a bare UDP socket sending hand-built
 * RFC 2661 messages (test/conformance/lac-bytes.ts, never our encoder) — the prober-style ICRQ of
 * issue 15, Minimum/Maximum BPS with M=1 (they belong to OCRQ, §6.6) and an Nr acknowledging
 * messages the LNS never sent (§5.8).
 */
import dgram from 'node:dgram';
import { parseControl, type ControlMessage } from '../../src/wire/control.js';
import { avp, ctl, iccnAvps, icrqAvps, LAC_SESSION, LAC_TUNNEL, mt, sccrqAvps, stopccnAvps, u32h, zlb } from '../conformance/lac-bytes.js';

/** One datagram from the LNS, its header read by hand (§3.1) and its AVPs by the parser. */
export interface FromLns {
  readonly tunnelId: number;
  readonly sessionId: number;
  readonly ns: number;
  readonly nr: number;
  /** Message Type, 0 for a ZLB. */
  readonly type: number;
  readonly message: ControlMessage | undefined;
}

export class BadLac {
  private readonly inbox: FromLns[] = [];
  private wake: (() => void) | undefined;
  /** Our Tunnel ID at the LNS, from its SCCRP. */
  lnsTunnel = 0;

  private constructor(
    private readonly sock: dgram.Socket,
    private readonly port: number,
  ) {
    sock.on('message', (b: Buffer) => {
      const u = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      const w = (i: number) => (u[i]! << 8) | u[i + 1]!;
      const type = u.length >= 20 ? w(18) : 0;
      this.inbox.push({ tunnelId: w(4), sessionId: w(6), ns: w(8), nr: w(10), type, message: type === 0 ? undefined : parseControl(u) });
      this.wake?.();
    });
  }

  static async open(port: number): Promise<BadLac> {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((res) => sock.bind(0, '127.0.0.1', res));
    return new BadLac(sock, port);
  }

  send(b: Uint8Array): void {
    this.sock.send(b, this.port, '127.0.0.1');
  }

  /** The first datagram (kept or to come) with this Message Type; removes it from the inbox. */
  async next(type: number, ms = 5000): Promise<FromLns> {
    const limit = Date.now() + ms;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0]!;
      if (Date.now() > limit) throw new Error(`no message type ${type} from the LNS within ${ms} ms (got ${this.inbox.map((m) => m.type).join(', ')})`);
      await new Promise<void>((res) => {
        this.wake = res;
        setTimeout(res, 50);
      });
    }
  }

  /** SCCRQ, SCCRP, SCCCN (Ns 0, 1). */
  async openTunnel(): Promise<void> {
    this.send(ctl(0, 0, 0, 0, sccrqAvps()));
    const sccrp = await this.next(2);
    this.lnsTunnel = sccrp.message!.assignedTunnelId!;
    this.send(ctl(this.lnsTunnel, 0, 1, 1, [mt(3)]));
  }

  /**
   * The prober's ICRQ (Ns 2): Minimum and Maximum BPS with M=1, and Nr 3 although the LNS sent
   * only its SCCRP (Ns 0): it acknowledges two messages never sent.
   */
  badIcrq(): void {
    this.send(ctl(this.lnsTunnel, 0, 2, 3, [...icrqAvps(), avp(16, u32h(9600)), avp(17, u32h(100_000_000))]));
  }

  /** ICCN (Ns 3) on the LNS's session `id`, acking its ICRP (Ns 1). */
  iccn(id: number): void {
    this.send(ctl(this.lnsTunnel, id, 3, 2, iccnAvps()));
  }

  ack(ns: number, nr: number): void {
    this.send(zlb(this.lnsTunnel, ns, nr));
  }

  /** StopCCN result 1 with Ns `ns`, Nr `nr`. */
  stop(ns: number, nr: number): void {
    this.send(ctl(this.lnsTunnel, 0, ns, nr, stopccnAvps(LAC_TUNNEL)));
  }

  close(): Promise<void> {
    return new Promise((res) => this.sock.close(() => res()));
  }
}

export { LAC_SESSION };
