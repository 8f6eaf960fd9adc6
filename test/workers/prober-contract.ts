/// <reference types="node" />
/**
 * The Worker prober's HTTP contract, as its clients use it (from its handlers, UI client and test
 * suite), for test/workers/example-worker.test.ts: the request bodies they send, its defaults and
 * fixed texts; and the peers the tests need that the library does not provide.
 */
import net from 'node:net';
import { expect } from 'vitest';

/**
 * The prober's contract, as its clients use it (from its handlers, UI client and test suite).
 * `HOST` stands for the target; everything else is sent exactly as they send it.
 */
export const HOST = '<host>';
export const PROBER_BODIES = {
  connect: [
    { host: HOST, port: 1701, hostname: 'portofcall-test', timeout: 10000 }, // its tests
    { host: HOST }, // its tests: host only
    { host: HOST, port: 1701, timeout: 15000 }, // its UI, no hostname
  ],
  'start-control': [{ host: HOST, port: 1701, timeout: 10000 }, { host: HOST }],
  session: [{ host: HOST, port: 1701, hostname: 'portofcall', timeout: 15000 }, { host: HOST }],
  hello: [{ host: HOST, port: 1701, tunnelId: 1, timeout: 10000 }],
} as const;
/** The Host Name AVP the prober sends when the body has no `hostname`, per endpoint. */
export const DEFAULT_HOSTNAME = { connect: 'portofcall-worker', session: 'portofcall', 'start-control': 'cloudflare-worker', hello: 'cloudflare-worker' };
/** /session's fixed `note`. */
export const NOTE = 'L2TP tunnel (SCCRQ→SCCRP→SCCCN) + session (ICRQ→ICRP→ICCN) established. PPP LCP negotiation would follow over the L2TP data channel.';

export type Json = Record<string, unknown>;
export type Endpoint = keyof typeof PROBER_BODIES;
/** `it.each` rows: the body as its clients send it (for the test name), and the body (set `host` before sending). */
export const bodies = <E extends Endpoint>(e: E) => PROBER_BODIES[e].map((b) => [JSON.stringify(b), b] as [string, (typeof PROBER_BODIES)[E][number]]);
/** The Host Name our SCCRQ must carry for this body. */
export const sentHostname = (e: Endpoint, b: object) => ('hostname' in b ? (b.hostname as string) : DEFAULT_HOSTNAME[e]);

/**
 * The fields of the prober's HTTP 200 answers and their JSON types; `?` marks a key that may be
 * absent (`resultCode` without a Result Code; `peerHostname`/`protocolVersion` when the SCCRP
 * had none).
 */
export const RESPONSE_FIELDS: Record<Endpoint, Record<string, string>> = {
  connect: { success: 'boolean', host: 'string', port: 'number', tunnelId: 'number', assignedTunnelId: 'number', peerHostname: 'string', vendorName: 'string', protocolVersion: 'string', rtt: 'number' },
  'start-control': { success: 'boolean', messageType: 'number', tunnelId: 'number', protocolVersion: 'string', hostName: 'string', latencyMs: 'number', resultCode: 'number?' },
  session: {
    success: 'boolean', host: 'string', port: 'number', localTunnelId: 'number', peerTunnelId: 'number', localSessionId: 'number', peerSessionId: 'number',
    peerHostname: 'string?', protocolVersion: 'string?', latencyMs: 'number', note: 'string',
  },
  hello: { success: 'boolean', message: 'string' },
};

/** Every field of the prober's answer to `endpoint` is there with its type (values are the caller's to check). */
export function expectContract(endpoint: Endpoint, body: Record<string, unknown>): void {
  for (const [field, type] of Object.entries(RESPONSE_FIELDS[endpoint])) {
    if (type.endsWith('?') && !(field in body)) continue;
    expect([field, typeof body[field]]).toEqual([field, type.replace('?', '')]);
  }
}

/** A time as the prober gives it: a whole number of milliseconds, ≥ 0. */
export const wholeMs = (x: unknown) => {
  expect(typeof x).toBe('number');
  expect(Number.isInteger(x)).toBe(true);
  expect(x as number).toBeGreaterThanOrEqual(0);
};

/** Bind `listen(host)` on a random 127.x.y.z (port 1701 there is ours alone), retrying on a taken one. */
export async function onOwnLoopback<T>(listen: (host: string) => Promise<T>): Promise<[string, T]> {
  for (let attempt = 0; ; attempt++) {
    const host = `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    try {
      return [host, await listen(host)];
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
}

/**
 * A peer that refuses every SCCRQ with a StopCCN, written byte by byte from RFC 2661 (§3.1 header,
 * §4.1 AVP header, §4.4.1 Message Type 4, §4.4.3 Assigned Tunnel ID, §4.4.2 Result Code 2 "general
 * error" with Error Code 6 "a generic vendor-specific error"), to our Assigned Tunnel ID read from
 * the SCCRQ. Nothing else: no SCCRP, so no Protocol Version or Host Name.
 */
export async function refusingPeer(host: string): Promise<net.Server> {
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (b: Buffer) => {
      buf = Buffer.concat([buf, b]);
      // Messages are framed by their Length field (docs/workers.md); under 12 bytes is no message.
      while (buf.length >= 4 && buf.readUInt16BE(2) >= 12 && buf.length >= buf.readUInt16BE(2)) {
        const m = buf.subarray(0, buf.readUInt16BE(2));
        buf = buf.subarray(m.length);
        // AVPs start after the 12-byte control header; each: M/H/len (2), vendor (2), type (2), value.
        for (let at = 12; at + 6 <= m.length; at += m.readUInt16BE(at) & 0x3ff) {
          if (m.readUInt16BE(at + 4) === 9 && (m.readUInt16BE(at) & 0x3ff) === 8) {
            const ours = m.readUInt16BE(at + 6);
            // prettier-ignore
            socket.write(Buffer.from([
              0xc8, 0x02, 0x00, 38, ours >> 8, ours & 0xff, 0, 0, 0, 0, 0, 1, // T L S ver 2, Length 38, Tunnel ID = ours, Session 0, Ns 0, Nr 1
              0x80, 8, 0, 0, 0, 0, 0, 4, // M, len 8, Message Type: 4 (StopCCN)
              0x80, 8, 0, 0, 0, 9, 0x12, 0x34, // M, len 8, Assigned Tunnel ID: 0x1234
              0x80, 10, 0, 0, 0, 1, 0, 2, 0, 6, // M, len 10, Result Code: result 2, error 6
            ]));
            break;
          }
          if ((m.readUInt16BE(at) & 0x3ff) < 6) break;
        }
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(1701, host, () => res());
  });
  return server;
}

