/**
 * `--pcap FILE`: the recorded exchange as a pcap file — each message with the timestamp (µs) and
 * the local and remote address and port it had when it passed, in the order it passed.
 */
import { writeFileSync } from 'node:fs';
import { writePcap } from '../pcap/write.js';
import type { Recorded } from './recording.js';

/** Write `records` to `file`; `fallback` names the peer when a transport never reported it. */
export function writeCapture(file: string, records: readonly Recorded[], fallback: { host: string; port: number }): void {
  writeFileSync(
    file,
    writePcap(
      records.map((r) => {
        const remote = r.remote ?? { address: fallback.host, port: fallback.port };
        const local = r.local ?? { address: remote.address.includes(':') ? '::1' : '127.0.0.1', port: 0 };
        const sent = r.direction === 'sent';
        return {
          payload: r.bytes,
          timestampUs: r.wallMicros,
          src: sent ? local.address : remote.address,
          dst: sent ? remote.address : local.address,
          srcPort: sent ? local.port : remote.port,
          dstPort: sent ? remote.port : local.port,
        };
      }),
    ),
  );
}
