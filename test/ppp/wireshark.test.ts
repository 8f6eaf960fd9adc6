/// <reference types="node" />
/**
 * tshark decodes every PPP frame our client and server exchange (LCP, PAP, CHAP-MD5, MS-CHAPv2,
 * IPCP with DNS, IPV6CP, echo, Protocol-Reject, terminate) inside L2TPv2 data messages, with no
 * expert info and no malformed-packet marks: an independent decoder agreeing with our encoder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeData } from '../../src/wire/data.js';
import { PppClient, PppServer } from '../../src/ppp/link.js';
import type { AuthMethod } from '../../src/ppp/auth-method.js';
import { OrderedObject, tsharkJson, tsharkVersion, type JsonValue } from '../support/tshark.js';
import { writePcap } from '../support/pcap.js';
import { Pair, seededRandom } from './harness.js';

const NO_TSHARK = process.env.L2TP_WIRE_NO_TSHARK === '1';
const version = tsharkVersion();

/** Every frame of full logins with each method, plus echo, an unknown protocol and a close. */
function frames(): { frame: Uint8Array; fromClient: boolean }[] {
  const out: { frame: Uint8Array; fromClient: boolean }[] = [];
  for (const method of ['pap', 'chap-md5', 'mschapv2'] as AuthMethod[]) {
    const c = new PppClient({ random: seededRandom(1), username: 'alice', password: 'wonderland' });
    const s = new PppServer({ random: seededRandom(2), authProtocols: [method], authenticate: (_m, _u, p) => p.verify('wonderland'), peerAddress: '10.9.0.2', dns: ['10.9.0.53', '10.9.0.54'] });
    const p = new Pair(c, s).open();
    p.run(() => p.bothUp());
    p.feed(p.client, { type: 'echo' });
    p.run(() => p.client.actions.some((a) => a.type === 'echo-reply'));
    // An unknown protocol (0x8281) draws a Protocol-Reject.
    const before = p.server.sent.length;
    p.toServer.send(Uint8Array.of(0xff, 0x03, 0x82, 0x81, 1, 1, 0, 4), p.now);
    p.run(() => p.server.sent.length > before);
    p.feed(p.client, { type: 'close' });
    p.run(() => p.bothDown());
    out.push(...p.client.sent.map((frame) => ({ frame, fromClient: true })), ...p.server.sent.map((frame) => ({ frame, fromClient: false })));
  }
  return out;
}

function hasKey(v: JsonValue, pred: (k: string) => boolean): string | undefined {
  if (v instanceof OrderedObject) {
    for (const [k, x] of v.entries) {
      if (pred(k)) return k;
      const r = hasKey(x, pred);
      if (r) return r;
    }
  } else if (Array.isArray(v)) for (const x of v) {
    const r = hasKey(x, pred);
    if (r) return r;
  }
  return undefined;
}

describe.skipIf(!version && NO_TSHARK)('tshark decodes our PPP frames inside L2TP (skipped: tshark missing and L2TP_WIRE_NO_TSHARK=1)', () => {
  const list = frames();
  let layers: OrderedObject[] = [];
  let dir = '';
  beforeAll(() => {
    if (!version) return;
    dir = mkdtempSync(join(tmpdir(), 'l2tp-wire-ppp-'));
    const file = join(dir, 'ppp.pcap');
    writeFileSync(
      file,
      writePcap([
        ...list.map(({ frame, fromClient }) => ({ payload: encodeData({ tunnelId: fromClient ? 7 : 9, sessionId: fromClient ? 3 : 5, payload: frame }), src: fromClient ? '127.0.0.2' : '127.0.0.1', dst: fromClient ? '127.0.0.1' : '127.0.0.2' })),
        // The control: an LCP packet whose Length runs past the frame. tshark must flag this one.
        { payload: encodeData({ tunnelId: 7, sessionId: 3, payload: Uint8Array.of(0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 20, 1, 4) }) },
      ]),
    );
    layers = tsharkJson(file);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has tshark', () => expect(version, 'install tshark or set L2TP_WIRE_NO_TSHARK=1').toMatch(/^TShark/));

  it('every frame is PPP inside L2TP, and every protocol we speak shows up', () => {
    expect(layers).toHaveLength(list.length + 1);
    const seen = new Set<string>();
    layers.forEach((l, i) => {
      const names = l.entries.map(([k]) => k);
      expect(names, `frame ${i + 1}`).toContain('l2tp');
      expect(names, `frame ${i + 1}`).toContain('ppp');
      for (const n of ['lcp', 'pap', 'chap', 'ipcp', 'ipv6cp']) if (names.includes(n)) seen.add(n);
    });
    expect([...seen].sort()).toEqual(['chap', 'ipcp', 'ipv6cp', 'lcp', 'pap']);
  });

  it('no expert info, no malformed marks — except on the deliberately broken control frame', () => {
    const bad = layers.map((l, i) => [i + 1, hasKey(l, (k) => k === '_ws.expert' || k === '_ws.malformed')] as const).filter(([, k]) => k);
    expect(bad.map(([n]) => n)).toEqual([list.length + 1]);
  });

  it('tshark reads the auth protocols, CHAP name and IPCP address/DNS as we wrote them', () => {
    const flat = (v: JsonValue, acc: string[] = []): string[] => {
      if (v instanceof OrderedObject) for (const [k, x] of v.entries) typeof x === 'string' ? acc.push(`${k}=${x}`) : flat(x, acc);
      else if (Array.isArray(v)) v.forEach((x) => flat(x, acc));
      return acc;
    };
    const all = layers.flatMap((l) => flat(l));
    expect(all).toContain('ipcp.opt.pri_dns_address=10.9.0.53');
    expect(all).toContain('ipcp.opt.sec_dns_address=10.9.0.54');
    expect(all).toContain('ipcp.opt.ip_address=10.9.0.2');
    expect(all.some((s) => s.startsWith('chap.name=alice'))).toBe(true);
    expect(all).toContain('lcp.opt.algorithm=129');
    expect(all).toContain('lcp.opt.algorithm=5');
    expect(all).toContain('lcp.opt.auth_protocol=0xc023');
  });
});
