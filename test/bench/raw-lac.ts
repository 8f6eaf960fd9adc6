/// <reference types="node" />
/**
 * A raw LAC for benchmarks: the same few lines of client work against any LNS, so that a
 * comparison of two servers measures the servers. No Sequencer, no FSM, no retransmission: it
 * sends pre-built control messages with the right Ns/Nr, acks what it receives with a ZLB
 * (RFC 2661 §5.8), and treats a reply that does not come within `timeout` as a failure (on
 * loopback nothing is lost unless a socket buffer overflows, which the figures then show).
 *
 * The LAC spreads its tunnels over several sockets bound to distinct loopback addresses
 * (127.0.0.1, 127.0.0.2, …), so an LNS's per-source admission quota sees more than one peer, and
 * our Tunnel IDs are unique per socket (an LNS that keys peers by address + Assigned Tunnel ID,
 * as xl2tpd does, never sees two tunnels with the same key).
 */
import dgram from 'node:dgram';
import { parseControl } from '../../src/wire/control.js';
import { iccn, icrq, scccn, sccrq, stopccn, zlb } from '../../src/wire/builders.js';

/** One tunnel of the raw LAC. */
export interface RawTunnel {
  readonly sock: RawSocket;
  readonly localId: number;
  peerId: number;
  /** Next Ns we send. */
  ns: number;
  /** Next Ns we expect from the LNS. */
  nr: number;
  /** Resolved when a datagram satisfies `want`. */
  waiter?: { want: (m: Inbound) => boolean; resolve: (m: Inbound) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
  callSerial: number;
}

/** What the raw LAC reads of a datagram from the LNS (RFC 2661 §3.1, control header). */
export interface Inbound {
  tunnelId: number;
  sessionId: number;
  ns: number;
  nr: number;
  /** Message Type, or 0 for a ZLB. */
  type: number;
  bytes: Uint8Array;
}

/** One bound socket of the raw LAC and the tunnels on it. */
export interface RawSocket {
  readonly socket: dgram.Socket;
  readonly address: string;
  readonly tunnels: Map<number, RawTunnel>;
  nextId: number;
}

function readInbound(b: Uint8Array): Inbound | undefined {
  if (b.length < 12 || (b[0]! & 0x80) === 0) return undefined; // data: not for us
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // Control messages carry L and S (§3.1): flags, Length, Tunnel ID, Session ID, Ns, Nr.
  const len = dv.getUint16(2);
  const type = len > 12 && b.length >= 20 ? dv.getUint16(18) : 0;
  return { tunnelId: dv.getUint16(4), sessionId: dv.getUint16(6), ns: dv.getUint16(8), nr: dv.getUint16(10), type, bytes: b };
}

/** The raw LAC: `sockets` sockets on 127.0.0.1… sending to `127.0.0.1:port`. */
export class RawLac {
  readonly sockets: RawSocket[] = [];
  private next = 0;
  /** Datagrams that matched no tunnel or waiter (for the report). */
  stray = 0;

  private constructor(
    readonly port: number,
    readonly timeout: number,
  ) {}

  static async open(port: number, sockets = 8, timeout = 5000): Promise<RawLac> {
    const lac = new RawLac(port, timeout);
    for (let i = 0; i < sockets; i++) {
      const address = `127.0.0.${i + 1}`;
      const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 22, sendBufferSize: 1 << 22 });
      await new Promise<void>((res, rej) => {
        socket.once('error', rej);
        socket.bind(0, address, () => res());
      });
      const rs: RawSocket = { socket, address, tunnels: new Map(), nextId: 1 };
      socket.on('message', (msg) => lac.receive(rs, new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength)));
      lac.sockets.push(rs);
    }
    return lac;
  }

  private receive(rs: RawSocket, b: Uint8Array): void {
    const m = readInbound(b);
    const t = m && rs.tunnels.get(m.tunnelId);
    if (!m || !t) {
      this.stray++;
      return;
    }
    if (m.type !== 0) {
      // In order (loopback): take it; a duplicate is acked again (§5.8).
      if (m.ns === t.nr) t.nr = (t.nr + 1) & 0xffff;
    }
    const w = t.waiter;
    if (w && w.want(m)) {
      t.waiter = undefined;
      clearTimeout(w.timer);
      w.resolve(m);
      return; // the caller's next send carries the ack
    }
    if (m.type !== 0) this.send(t, zlb({ tunnelId: t.peerId, sessionId: m.sessionId, ns: t.ns, nr: t.nr }));
  }

  private send(t: RawTunnel, bytes: Uint8Array): void {
    t.sock.socket.send(bytes, this.port, '127.0.0.1');
  }

  private wait(t: RawTunnel, want: (m: Inbound) => boolean, what: string): Promise<Inbound> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        t.waiter = undefined;
        reject(new Error(`no ${what} within ${this.timeout} ms`));
      }, this.timeout);
      t.waiter = { want, resolve, reject, timer };
    });
  }

  /** SCCRQ → SCCRP → SCCCN; resolves when the SCCCN is acknowledged (the tunnel is up on the LNS). */
  async openTunnel(hostName = 'raw-lac'): Promise<RawTunnel> {
    const rs = this.sockets[this.next++ % this.sockets.length]!;
    let localId = rs.nextId;
    while (rs.tunnels.has(localId)) localId = (localId % 0xffff) + 1;
    rs.nextId = (localId % 0xffff) + 1;
    const t: RawTunnel = { sock: rs, localId, peerId: 0, ns: 0, nr: 0, callSerial: 1 };
    rs.tunnels.set(localId, t);
    try {
      const reply = this.wait(t, (m) => m.type === 2, 'SCCRP');
      this.send(t, sccrq({ hostName, assignedTunnelId: localId, ns: t.ns++, nr: 0 }));
      const sccrp = await reply;
      t.peerId = parseControl(sccrp.bytes).assignedTunnelId ?? 0;
      const acked = this.wait(t, (m) => m.nr === 2, 'ack of SCCCN');
      this.send(t, scccn({ tunnelId: t.peerId, ns: t.ns++, nr: t.nr }));
      await acked;
      return t;
    } catch (e) {
      rs.tunnels.delete(localId);
      throw e;
    }
  }

  /** ICRQ → ICRP → ICCN; resolves when the ICCN is acknowledged (§7.3: the call is up on the LNS). */
  async openSession(t: RawTunnel, sessionId: number): Promise<number> {
    const reply = this.wait(t, (m) => m.type === 11 && m.sessionId === sessionId, 'ICRP');
    this.send(t, icrq({ tunnelId: t.peerId, ns: t.ns++, nr: t.nr, assignedSessionId: sessionId, callSerialNumber: t.callSerial++, bearerType: 0 }));
    const icrp = await reply;
    const peerSession = parseControl(icrp.bytes).assignedSessionId ?? 0;
    const mine = t.ns;
    const acked = this.wait(t, (m) => ((m.nr - mine - 1) & 0xffff) < 0x8000, 'ack of ICCN');
    this.send(t, iccn({ tunnelId: t.peerId, sessionId: peerSession, ns: t.ns++, nr: t.nr, txConnectSpeed: 100_000_000, framingType: 1 }));
    await acked;
    return peerSession;
  }

  /** StopCCN (result 1, §4.4.2); resolves when it is acknowledged, and forgets the tunnel. */
  async closeTunnel(t: RawTunnel): Promise<void> {
    const mine = t.ns;
    const acked = this.wait(t, (m) => ((m.nr - mine - 1) & 0xffff) < 0x8000, 'ack of StopCCN');
    this.send(t, stopccn({ tunnelId: t.peerId, ns: t.ns++, nr: t.nr, assignedTunnelId: t.localId, resultCode: { result: 1 } }));
    try {
      await acked;
    } finally {
      t.sock.tunnels.delete(t.localId);
    }
  }

  /** Tunnels held now. */
  get size(): number {
    let n = 0;
    for (const s of this.sockets) n += s.tunnels.size;
    return n;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) {
      for (const t of s.tunnels.values()) if (t.waiter) clearTimeout(t.waiter.timer);
      await new Promise<void>((r) => s.socket.close(() => r()));
    }
  }
}
