/**
 * The L2TPv3 control connection (RFC 3931 §3.3, §4.2, §4.3, §6.1–§6.5, §6.15, §7.2) through the
 * shared TunnelFsm: both roles, with and without control message authentication, with hiding,
 * across the lossy simulator. Expected bytes are written from the RFC's field layouts, and every
 * digest is re-checked with the wire layer's verifier from the nonces the messages carried.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { encodeControl, parseControl, type ControlMessage } from '../../src/wire/control.js';
import { verifyControlV3 } from '../../src/wire/v3-digest.js';
import { v3HidingKey } from '../../src/wire/v3-hidden.js';
import { encodeControlV3 } from '../../src/wire/v3-auth.js';
import { sccrq as sccrqV2 } from '../../src/wire/builders.js';
import { Pair, seededRandom } from './harness.js';

const V3: Partial<TunnelOptions> = { version: 3 };
const SECRET = 'v3 fsm secret';
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const sentBytes = (acts: TunnelAction[]) => acts.flatMap((a) => (a.type === 'send' ? [a.bytes] : []));
const parse = (b: Uint8Array, secret?: string): ControlMessage => parseControl(b, { requireAvps: false, secret: secret === undefined ? undefined : v3HidingKey(secret) });

describe('v3 control connection, no authentication', () => {
  it('SCCRQ → SCCRP → SCCCN, ACKs (type 20) instead of ZLBs, both established with what each said', () => {
    const p = new Pair({ ...V3, routerId: 0xc0000201, pseudowireCapabilities: [5] }, { ...V3, routerId: 0xc0000202 });
    p.do('a', { type: 'open' });
    p.run(5_000);
    expect(p.a.state).toBe('established');
    expect(p.b.state).toBe('established');
    expect(p.wire.map((w) => `${w.from}:${w.typeName}`)).toEqual(['a:SCCRQ', 'b:SCCRP', 'a:SCCCN', 'b:ACK']);
    // 32-bit IDs, each side's in the other's headers.
    const [rq, rp, cn, ack] = p.wire.map((w) => parse(w.bytes));
    expect(rq!.version).toBe(3);
    expect(rq!.controlConnectionId).toBe(0); // §3.2.1: 0 only until the peer's ID is known
    expect(rq!.assignedControlConnectionId).toBe(p.a.localControlConnectionId);
    expect(rp!.controlConnectionId).toBe(p.a.localControlConnectionId);
    expect(cn!.controlConnectionId).toBe(p.b.localControlConnectionId);
    expect(ack!.controlConnectionId).toBe(p.a.localControlConnectionId);
    expect(p.a.localControlConnectionId).toBeGreaterThan(0xffff); // seeded: a 32-bit draw
    expect(rq!.pseudowireCapabilitiesList).toEqual([5]);
    expect(rp!.pseudowireCapabilitiesList).toEqual([5, 4, 7]);
    expect(rq!.protocolVersion).toBeUndefined(); // v3 has no Protocol Version AVP
    expect(rq!.messageDigest).toBeUndefined();
    expect(p.a.peerInfo).toMatchObject({ version: 3, routerId: 0xc0000202, assignedControlConnectionId: p.b.localControlConnectionId, hostName: 'lns.test', pseudowireCapabilities: [5, 4, 7], authenticated: false });
    expect(p.b.peerInfo).toMatchObject({ version: 3, routerId: 0xc0000201, assignedTunnelId: p.a.localTunnelId, hostName: 'lac.test', role: 'responder' });
    // The ACK acks the SCCCN without taking an Ns: §6.15, it is not sequenced.
    expect([ack!.ns, ack!.nr]).toEqual([1, 2]);
    // §3.2.1 layout, written by hand: T L S Ver 3, Length 20, the receiver's CCID, Ns 1, Nr 2,
    // then the Message Type AVP (M=1, length 8, vendor 0, type 0) with value 20 (ACK, §6.15).
    const id = p.a.localControlConnectionId;
    expect(hex(p.wire[3]!.bytes)).toBe(['c803', '0014', id.toString(16).padStart(8, '0'), '0001', '0002', '8008', '0000', '0000', '0014'].join(''));
    // Control Connection ID 0 appears in the SCCRQ's header only (§3.2.1: the peer's ID is not known yet).
    expect(p.wire.filter((w) => parse(w.bytes).controlConnectionId === 0).map((w) => w.typeName)).toEqual(['SCCRQ']);
  });

  it('the SCCRQ, hand-checked against the layouts of RFC 3931 §3.2.1 and §5.4', () => {
    const f = new TunnelFsm({ version: 3, hostName: 'a', random: seededRandom(1), localTunnelId: 0x0a0b0c0d, routerId: 0xc0000201, pseudowireCapabilities: [5, 4], sequencer: { receiveWindow: 8 } });
    const [b] = sentBytes(f.handle({ type: 'open' }, 0));
    expect(hex(b!)).toBe(
      [
        'c803', '0041', '00000000', '0000', '0000', // T L S, Ver 3; Length 65 (12 + 8 + 7 + 8 + 10 + 10 + 10); Control Connection ID 0; Ns 0; Nr 0
        '8008', '0000', '0000', '0001', // Message Type SCCRQ (M=1)
        '8007', '0000', '0007', '61', // Host Name 'a' (M=1)
        '8008', '0000', '000a', '0008', // Receive Window Size 8 (M=1)
        '800a', '0000', '003c', 'c0000201', // Router ID (M=1)
        '800a', '0000', '003d', '0a0b0c0d', // Assigned Control Connection ID (M=1)
        '800a', '0000', '003e', '0005', '0004', // Pseudowire Capabilities List: Ethernet, Ethernet VLAN (M=1)
      ].join(''),
    );
  });

  it('Hello after helloInterval of silence, acked by an ACK; StopCCN acked, both closed', () => {
    const p = new Pair({ ...V3, helloInterval: 10_000 }, { ...V3, helloInterval: 0 });
    p.do('a', { type: 'open' });
    p.run(15_000);
    expect(p.sent('a', 'HELLO')).toHaveLength(1);
    const hello = p.sent('a', 'HELLO')[0]!;
    const acked = p.sent('b', 'ACK').filter((w) => w.at >= hello.at);
    expect(acked.length).toBeGreaterThan(0);
    p.do('b', { type: 'close', result: { result: 1 } });
    p.run(200_000);
    const stop = parse(p.sent('b', 'StopCCN')[0]!.bytes);
    expect(stop.resultCode).toEqual({ result: 1 });
    expect(stop.assignedControlConnectionId).toBe(p.b.localControlConnectionId);
    expect(p.a.state).toBe('closed');
    expect(p.b.state).toBe('closed');
    expect(p.actions('a', 'stopped')[0]).toMatchObject({ by: 'peer', error: { code: 'PEER_STOPPED' } });
  });

  it('refuses the other version: BAD_VERSION, no answer', () => {
    const f = new TunnelFsm({ version: 3, hostName: 'x', random: seededRandom(3) });
    const acts = f.handle({ type: 'received', bytes: sccrqV2({ hostName: 'v2', assignedTunnelId: 7 }) }, 0);
    expect(acts).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'BAD_VERSION' }) }]);
    expect(f.state).toBe('idle');
  });

  it('an SCCRQ lacking a required AVP (Router ID, RFC 3931 §6.1) gets StopCCN result 2, error 6', () => {
    const f = new TunnelFsm({ version: 3, hostName: 'x', random: seededRandom(3) });
    const bytes = encodeControl({ version: 3, type: 1, hostName: 'p', assignedControlConnectionId: 9, pseudowireCapabilitiesList: [5] });
    const [out] = sentBytes(f.handle({ type: 'received', bytes }, 0));
    const stop = parse(out!);
    expect(stop.typeName).toBe('StopCCN');
    expect(stop.controlConnectionId).toBe(9);
    expect(stop.resultCode).toMatchObject({ result: 2, error: 6 });
    expect(stop.resultCode!.message).toContain('Router ID');
  });
});


/** Check every control message of a run the way an independent receiver would (§5.4.1). */
function verifyAll(p: Pair, secret: string): { checked: number; names: Set<string> } {
  const rq = p.wire.find((w) => w.typeName === 'SCCRQ')!;
  const rp = p.wire.find((w) => w.typeName === 'SCCRP')!;
  const nonce = { [rq.from]: parse(rq.bytes).controlMessageAuthenticationNonce!, [rp.from]: parse(rp.bytes).controlMessageAuthenticationNonce! };
  expect(nonce.a!.length).toBeGreaterThanOrEqual(16); // §5.4.1: at least 16 random bytes recommended
  expect(hex(nonce.a!)).not.toBe(hex(nonce.b!));
  let checked = 0;
  const names = new Set<string>();
  for (const w of p.wire) {
    if (w.typeName === 'DATA') continue;
    // §5.4.1: the Message Digest AVP (M=1, vendor 0, type 59) right after Message Type, at offset 20.
    expect(hex(w.bytes.subarray(22, 26)), w.typeName).toBe('0000003b');
    const to = w.from === 'a' ? 'b' : 'a';
    const nonces = w.typeName === 'SCCRQ' ? undefined : { local: nonce[w.from]!, remote: nonce[to]! };
    expect(() => verifyControlV3(w.bytes, { secret, nonces }), `${w.from}:${w.typeName} ns=${parse(w.bytes).ns}`).not.toThrow();
    checked++;
    names.add(w.typeName);
  }
  return { checked, names };
}

describe.each([
  [0, 'HMAC-MD5', 16],
  [1, 'HMAC-SHA-1', 20],
] as const)('v3 control message authentication, Digest Type %i (%s)', (digestType, _name, digestLength) => {
  const auth: Partial<TunnelOptions> = { version: 3, secret: SECRET, digestType };

  it('handshake, Hello, StopCCN: every message signed and verifiable from the nonces exchanged; both authenticated', () => {
    const p = new Pair({ ...auth, helloInterval: 10_000 }, { ...auth, helloInterval: 0 });
    p.do('a', { type: 'open' });
    p.run(12_000);
    expect(p.a.peerInfo?.authenticated).toBe(true);
    expect(p.b.peerInfo?.authenticated).toBe(true);
    p.do('a', { type: 'close' });
    p.run(200_000);
    expect([p.a.state, p.b.state]).toEqual(['closed', 'closed']);
    const { names } = verifyAll(p, SECRET);
    expect([...names].sort()).toEqual(['ACK', 'HELLO', 'SCCCN', 'SCCRP', 'SCCRQ', 'StopCCN']);
    for (const w of p.wire) expect(parse(w.bytes).messageDigest?.digest.length).toBe(digestLength);
  });

  it.each([1, 2, 3, 4, 5])('with hiding, across loss, duplication and reordering (seed %i): up, down, every datagram verifies', (seed) => {
    const p = new Pair({ ...auth, hideAvps: true }, { ...auth, hideAvps: true }, { seed, link: { loss: 0.2, duplicate: 0.1, reorder: 0.2, delay: 20, jitter: 30 } });
    p.do('a', { type: 'open' });
    p.run(60_000);
    expect([p.a.state, p.b.state]).toEqual(['established', 'established']);
    p.do('b', { type: 'close', result: { result: 6, error: 0, message: 'bye' } });
    p.run(400_000);
    expect([p.a.state, p.b.state]).toEqual(['closed', 'closed']);
    const stopped = p.actions('a', 'stopped')[0]!;
    expect(stopped.by).toBe('peer');
    expect(stopped.result).toEqual({ result: 6, error: 0, message: 'bye' });
    // The StopCCN's Assigned Control Connection ID went hidden (§5.3), keyed by HMAC-MD5(secret, 1).
    const stop = p.sent('b', 'StopCCN')[0]!;
    const raw = parse(stop.bytes);
    expect(raw.avps.some((x) => x.type === 61 && x.hidden)).toBe(true);
    expect(raw.assignedControlConnectionId).toBeUndefined(); // not readable without the key
    expect(parse(stop.bytes, SECRET).assignedControlConnectionId).toBe(p.b.localControlConnectionId);
    const { checked } = verifyAll(p, SECRET);
    expect(checked).toBe(p.wire.length);
    // Retransmissions happened, each with a fresh digest over its new Nr.
    expect(p.wire.length).toBeGreaterThan(6);
  });

  it('a message altered on the way (one bit of a Hello) is dropped, as §5.4.1 says, and nothing else: the genuine one still gets through', () => {
    const a = new TunnelFsm({ ...auth, hostName: 'a', random: seededRandom(21) } as TunnelOptions);
    const b = new TunnelFsm({ ...auth, hostName: 'b', random: seededRandom(22) } as TunnelOptions);
    const carry = (from: TunnelFsm, acts: TunnelAction[]): void => {
      const to = from === a ? b : a;
      for (const bytes of sentBytes(acts)) carry(to, to.handle({ type: 'received', bytes }, 0));
    };
    carry(a, a.handle({ type: 'open' }, 0));
    expect([a.state, b.state]).toEqual(['established', 'established']);
    const [hello] = sentBytes(a.handle({ type: 'hello' }, 1));
    const bad = hello!.slice();
    bad[bad.length - 1]! ^= 0x01;
    const acts = b.handle({ type: 'received', bytes: bad }, 2);
    // Dropped: no StopCCN, no ack (its Ns is not taken), the connection stays up.
    expect(acts).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'BAD_DIGEST' }) }]);
    expect(b.state).toBe('established');
    const ack = parse(sentBytes(b.handle({ type: 'received', bytes: hello! }, 3))[0]!);
    expect(ack.typeName).toBe('ACK');
    expect(ack.nr).toBe(parse(hello!).ns + 1);
  });
});

describe('v3 authentication mismatches', () => {
  it('a wrong shared secret: the SCCRQ is dropped (§5.4.1), the responder freed without a word, nobody gets established', () => {
    const p = new Pair({ version: 3, secret: 'one' }, { version: 3, secret: 'two' });
    p.do('a', { type: 'open' });
    p.run(200_000);
    expect(p.firstAt('a', 'established')).toBeUndefined();
    expect(p.firstAt('b', 'established')).toBeUndefined();
    expect(p.wire.filter((w) => w.from === 'b')).toEqual([]);
    expect(p.actions('b', 'stopped')[0]).toMatchObject({ by: 'local', error: { code: 'AUTH_FAILED' } });
    expect([p.a.state, p.b.state]).toEqual(['closed', 'closed']);
  });

  it('a peer that signs, facing one without a secret: refused, StopCCN result 4 (we cannot sign back)', () => {
    const p = new Pair({ version: 3, secret: SECRET }, { version: 3 });
    p.do('a', { type: 'open' });
    p.run(200_000);
    const stop = parse(p.sent('b', 'StopCCN')[0]!.bytes);
    expect(stop.resultCode?.result).toBe(4);
    expect(stop.resultCode?.message).toContain('no shared secret');
    expect(p.firstAt('a', 'established')).toBeUndefined();
  });

  it('with authentication on, a ZLB (which cannot carry a digest, §6.15) is dropped, not taken as an ack', () => {
    const f = new TunnelFsm({ version: 3, secret: SECRET, hostName: 'a', random: seededRandom(4) });
    f.handle({ type: 'open' }, 0);
    const acts = f.handle({ type: 'received', bytes: encodeControl({ version: 3, controlConnectionId: f.localControlConnectionId, ns: 0, nr: 1 }) }, 10);
    expect(acts).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'BAD_DIGEST' }) }]);
    // The SCCRQ is still unacked: it is retransmitted at 1 s.
    expect(sentBytes(f.handle({ type: 'tick' }, 1000)).map((b) => parse(b).typeName)).toEqual(['SCCRQ']);
  });
});

describe('v3: no state without a deadline (as v2, test/fsm/deadlines.test.ts)', () => {
  const CYCLE = 31_000; // 1 + 2 + 4 + 8 + 8 + 8 s
  it('wait-ctl-conn: an SCCRP acked by an ACK but never an SCCCN is freed one cycle after the SCCRP, silently', () => {
    const f = new TunnelFsm({ version: 3, hostName: 'b', random: seededRandom(8) });
    const rq = encodeControl({ version: 3, type: 1, hostName: 'a', routerId: 1, assignedControlConnectionId: 0x01020304, pseudowireCapabilitiesList: [5] });
    const rp = parse(sentBytes(f.handle({ type: 'received', bytes: rq }, 1000))[0]!);
    expect(rp.typeName).toBe('SCCRP');
    expect(rp.controlConnectionId).toBe(0x01020304);
    f.handle({ type: 'received', bytes: encodeControl({ version: 3, type: 20, controlConnectionId: f.localControlConnectionId, ns: 1, nr: 1 }) }, 1010);
    expect(f.state).toBe('wait-ctl-conn');
    expect(f.nextDeadline()).toBe(1000 + CYCLE);
    const gone = f.handle({ type: 'tick' }, 1000 + CYCLE);
    expect(f.state).toBe('closed');
    expect(gone.map((a) => a.type)).toEqual(['stopped', 'closed']);
    expect(f.nextDeadline()).toBeUndefined();
  });

  it('wait-ctl-reply: an SCCRQ acked but never answered is freed one cycle later', () => {
    const f = new TunnelFsm({ version: 3, hostName: 'a', random: seededRandom(9) });
    f.handle({ type: 'open' }, 0);
    f.handle({ type: 'received', bytes: encodeControl({ version: 3, type: 20, controlConnectionId: f.localControlConnectionId, ns: 0, nr: 1 }) }, 5);
    expect(f.state).toBe('wait-ctl-reply');
    expect(f.nextDeadline()).toBe(CYCLE);
    f.handle({ type: 'tick' }, CYCLE);
    expect(f.state).toBe('closed');
  });

  it('closing: after our StopCCN is acked, lingering ends one cycle later', () => {
    const p = new Pair(V3, V3);
    p.do('a', { type: 'open' });
    p.run(1_000);
    p.do('a', { type: 'close' });
    p.run(1_100);
    expect(p.a.state).toBe('closing');
    expect(p.a.lingering).toBe(true);
    expect(p.a.nextDeadline()).toBeDefined();
    p.run(1_000_000);
    expect(p.a.state).toBe('closed');
    expect(p.a.nextDeadline()).toBeUndefined();
  });
});

describe('v3 digests of FSM messages, recomputed independently (OpenSSL via node:crypto) from RFC 3931 §5.4.1', () => {
  it.each([
    [0, 'md5'],
    [1, 'sha1'],
  ] as const)('Digest Type %i: HMAC-%s(HMAC-MD5(secret, 2), local nonce | remote nonce | message with the digest zeroed)', (digestType, hash) => {
    const p = new Pair({ version: 3, secret: SECRET, digestType }, { version: 3, secret: SECRET, digestType });
    p.do('a', { type: 'open' });
    p.run(5_000);
    const key = createHmac('md5', SECRET).update(Uint8Array.of(2)).digest();
    const nonceA = parse(p.sent('a', 'SCCRQ')[0]!.bytes).controlMessageAuthenticationNonce!;
    const nonceB = parse(p.sent('b', 'SCCRP')[0]!.bytes).controlMessageAuthenticationNonce!;
    for (const w of p.wire) {
      const b = w.bytes;
      // Message Digest AVP right after Message Type: header at 20, Digest Type at 26, digest from 27.
      const len = ((b[20]! & 0x03) << 8) | b[21]!;
      expect(b[26]).toBe(digestType);
      const zeroed = b.slice();
      zeroed.fill(0, 27, 20 + len);
      const pre = w.typeName === 'SCCRQ' ? [] : w.from === 'a' ? [nonceA, nonceB] : [nonceB, nonceA];
      const h = createHmac(hash, key);
      for (const n of pre) h.update(n);
      expect(hex(b.subarray(27, 20 + len)), `${w.from}:${w.typeName}`).toBe(h.update(zeroed).digest('hex'));
    }
    expect(p.wire.map((w) => w.typeName)).toEqual(['SCCRQ', 'SCCRP', 'SCCCN', 'ACK']);
  });
});
