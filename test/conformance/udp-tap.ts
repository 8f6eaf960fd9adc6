/**
 * A UDP proxy on 127.0.0.1 that feeds a ConformanceObserver: the LAC talks to the proxy, the
 * proxy to the LNS, and every datagram is shown to the observer on its way (from the LAC:
 * `received`, from the LNS: `sent`). No change to the LNS needed; loopback only.
 */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { ConformanceObserver, type ObserverOptions } from '../../src/conformance/index.js';

export interface UdpTap {
  readonly port: number;
  readonly observer: ConformanceObserver;
  /** Datagrams relayed each way. */
  readonly counts: { fromPeer: number; fromLns: number };
  close(): Promise<void>;
}

export async function udpTap(lnsPort: number, options?: ObserverOptions): Promise<UdpTap> {
  const observer = new ConformanceObserver(options);
  const sock = dgram.createSocket('udp4');
  const counts = { fromPeer: 0, fromLns: 0 };
  let peer: { address: string; port: number } | undefined;
  sock.on('message', (msg, from) => {
    const bytes = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
    const now = performance.now();
    if (from.port === lnsPort && from.address === '127.0.0.1') {
      counts.fromLns++;
      observer.sent(bytes, now);
      if (peer) sock.send(msg, peer.port, peer.address);
    } else {
      counts.fromPeer++;
      peer = { address: from.address, port: from.port };
      observer.received(bytes, now);
      sock.send(msg, lnsPort, '127.0.0.1');
    }
  });
  await new Promise<void>((res, rej) => {
    sock.once('error', rej);
    sock.bind(0, '127.0.0.1', () => res());
  });
  return {
    port: sock.address().port,
    observer,
    counts,
    close: () => new Promise<void>((res) => sock.close(() => res())),
  };
}
