/** `--pcap FILE`: write the recorded exchange as a pcap file. */
import { writeFileSync } from 'node:fs';
import { writePcap } from './pcap.js';
import type { RecordingTransport } from './recording.js';

export function writeCapture(file: string, t: RecordingTransport, host: string, port: number): void {
  const local = t.local;
  const remote = t.remote ?? { address: host, port };
  const v6 = remote.address.includes(':');
  const here = local?.address ?? (v6 ? '::1' : '127.0.0.1');
  writeFileSync(
    file,
    writePcap(
      t.records.map((r) => ({
        payload: r.bytes,
        time: r.wallClock / 1000,
        src: r.direction === 'sent' ? here : remote.address,
        dst: r.direction === 'sent' ? remote.address : here,
        srcPort: r.direction === 'sent' ? (local?.port ?? 1701) : remote.port,
        dstPort: r.direction === 'sent' ? remote.port : (local?.port ?? 1701),
      })),
    ),
  );
}
