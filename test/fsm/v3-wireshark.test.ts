/**
 * Wireshark decodes every L2TPv3 message our TunnelFsm emits (RFC 3931), with no expert item —
 * no malformed AVP, no "Incorrect Digest" — and, given the shared secret, recomputes each
 * Message Digest from the nonces it saw in the SCCRQ/SCCRP (its preference `l2tp.shared_secret`).
 * Wireshark is an independent implementation, so this checks our FSM's framing, AVPs, nonce
 * handling and re-signing of retransmissions (new Nr) against someone else's reading of the RFC.
 * The wrong-secret run shows the check can fail.
 *
 * Needs tshark on PATH; without it the tests are reported skipped with that reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TunnelOptions } from '../../src/fsm/index.js';
import { parseControl } from '../../src/wire/control.js';
import { writePcap, type PcapPacket } from '../support/pcap.js';
import { Pair, type Wire } from './harness.js';

const hasTshark = spawnSync('tshark', ['--version']).status === 0;
const SECRET = 'fsm v3 secret';
const ADDR = { a: '127.0.0.1', b: '127.0.0.2' } as const;
const dir = mkdtempSync(join(tmpdir(), 'l2tp-v3-fsm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A whole life of one control connection: up (across loss when `lossy`), sessions both ways, SLI, WEN, CDN, Hello, down. */
function run(options: Partial<TunnelOptions>, lossy: boolean): Wire[] {
  const p = new Pair({ ...options, version: 3, helloInterval: 5_000 }, { ...options, version: 3, helloInterval: 0 }, lossy ? { seed: 3, link: { loss: 0.2, duplicate: 0.1, reorder: 0.2, delay: 10, jitter: 20 } } : {});
  p.do('a', { type: 'open' });
  p.run(7_000);
  expect([p.a.state, p.b.state]).toEqual(['established', 'established']);
  // Sessions both ways (RFC 3931 §3.4): an Ethernet pseudowire placed by a, a VLAN one asked by b.
  p.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', cookieLength: 4, l2SpecificSublayer: 'default' } });
  p.do('b', { type: 'openSession', call: { kind: 'outgoing', remoteEndId: 'vlan 7', pseudowireType: 4, cookieLength: 8 } });
  p.run(p.now + 30_000);
  const ups = p.actions('a', 'session-up');
  expect(ups).toHaveLength(2);
  const errs = { crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 };
  p.do('a', { type: 'sendSli', sessionId: ups[0]!.sessionId, circuitStatus: 1 });
  p.do('a', { type: 'sendWen', sessionId: ups[0]!.sessionId, callErrors: errs });
  p.do('a', { type: 'closeSession', sessionId: ups[1]!.sessionId });
  p.run(p.now + 30_000);
  p.do('a', { type: 'close' });
  p.run(400_000);
  return p.wire;
}

function tshark(pcap: string, secret: string | undefined): { type: string; expert: string }[] {
  const pref = secret === undefined ? [] : ['-o', `l2tp.shared_secret:${secret}`];
  const out = execFileSync('tshark', ['-r', pcap, ...pref, '-T', 'fields', '-E', 'separator=|', '-e', 'l2tp.avp.message_type', '-e', '_ws.expert.message'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [type = '', expert = ''] = line.split('|');
      return { type, expert };
    });
}

describe.each([
  ['no authentication', {}, false],
  ['HMAC-MD5, hidden AVPs, lossy link', { secret: SECRET, digestType: 0, hideAvps: true }, true],
  ['HMAC-SHA-1, lossy link', { secret: SECRET, digestType: 1 }, true],
] as const)('tshark decodes every v3 message of our FSMs: %s', (name, options, lossy) => {
  const wire = run(options as Partial<TunnelOptions>, lossy);
  const pcap = join(dir, `${name.replace(/\W+/g, '-')}.pcap`);
  writeFileSync(pcap, writePcap(wire.map((w): PcapPacket => ({ payload: w.bytes, src: ADDR[w.from], dst: ADDR[w.from === 'a' ? 'b' : 'a'] }))));

  it.skipIf(!hasTshark)('same message types as we sent, no expert item on any (needs tshark)', () => {
    const decoded = tshark(pcap, 'secret' in options ? SECRET : undefined);
    expect(decoded.map((d) => d.type)).toEqual(wire.map((w) => String(parseControl(w.bytes, { requireAvps: false }).type)));
    expect(decoded.filter((d) => d.expert !== '')).toEqual([]);
    expect(new Set(wire.map((w) => w.typeName))).toEqual(new Set(['SCCRQ', 'SCCRP', 'SCCCN', 'ACK', 'HELLO', 'StopCCN', 'ICRQ', 'ICRP', 'ICCN', 'OCRQ', 'OCRP', 'OCCN', 'SLI', 'WEN', 'CDN']));
  });

  if ('secret' in options) {
    it.skipIf(!hasTshark)('with a wrong secret, tshark flags every message "Incorrect Digest" (needs tshark)', () => {
      const decoded = tshark(pcap, `${SECRET}?`);
      expect(decoded.map((d) => d.expert)).toEqual(wire.map(() => 'Incorrect Digest'));
    });
  }
});
