/**
 * Replays a capture (lines "#frame +seconds src>dst hex") through a ConformanceObserver, judging
 * the side at `peer` (an "ip:port" of the capture); the other side is us.
 */
import { ConformanceObserver, type ObserverOptions } from '../../src/conformance/index.js';
import { hex } from '../support/hex.js';

export interface Datagram {
  readonly at: number;
  readonly from: string;
  readonly to: string;
  readonly bytes: Uint8Array;
}

export function datagrams(capture: string): Datagram[] {
  return capture
    .trim()
    .split('\n')
    .map((l) => {
      const m = /^#\d+ \+(\d+\.\d+) (\S+)>(\S+) ([0-9a-f]+)$/.exec(l.trim());
      if (!m) throw new Error(`not a capture line: ${l}`);
      return { at: Math.round(Number(m[1]) * 1000), from: m[2]!, to: m[3]!, bytes: hex(m[4]!) };
    });
}

export function replay(capture: string, peer: string, options?: ObserverOptions): ConformanceObserver {
  const obs = new ConformanceObserver(options);
  for (const d of datagrams(capture)) {
    if (d.from === peer) obs.received(d.bytes, d.at);
    else obs.sent(d.bytes, d.at);
  }
  return obs;
}
