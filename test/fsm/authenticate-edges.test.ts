/**
 * Edges of L2TPv3 control message authentication on receipt (src/fsm/authenticate.ts, RFC 3931
 * §4.3, §5.4.1, §6.15): ZLBs, messages that arrive before the peer's nonce is known, SCCRQs that
 * do no authentication at all, and a malformed message the peer did sign. Messages are built by
 * hand and signed with the wire layer's signer from the nonces the handshake carried.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction } from '../../src/fsm/index.js';
import { AvpReader } from '../../src/index.js';
import { encodeControl, parseControl, type ControlMessage } from '../../src/wire/control.js';
import { L2tpError } from '../../src/wire/errors.js';
import { MessageType } from '../../src/wire/message-catalog.js';
import { encodeControlV3 } from '../../src/wire/v3-auth.js';
import { signControlV3, verifyControlV3 } from '../../src/wire/v3-digest.js';
import { Pair, seededRandom } from './harness.js';

const SECRET = 'v3 authenticate edges';
const V3S = { version: 3, secret: SECRET } as const;
const fsm = (o: Partial<ConstructorParameters<typeof TunnelFsm>[0]> = {}): TunnelFsm => new TunnelFsm({ hostName: 'b', random: seededRandom(9), ...V3S, ...o });
const sent = (acts: TunnelAction[]): ControlMessage[] => acts.flatMap((a) => (a.type === 'send' ? [parseControl(a.bytes, { requireAvps: false })] : []));
const errors = (acts: TunnelAction[]): L2tpError[] => acts.flatMap((a) => (a.type === 'error' ? [a.error] : []));
const stoppedOf = (acts: TunnelAction[]) => acts.find((a): a is Extract<TunnelAction, { type: 'stopped' }> => a.type === 'stopped');
const NOT_KNOWN = "the peer's Control Message Authentication Nonce is not known yet, so the message cannot be authenticated (RFC 3931 §5.4.1)";
/** An unsigned v3 SCCRQ from a peer that does no authentication (no Message Digest, no Nonce). */
const bareSccrq = (assignedControlConnectionId?: number) =>
  encodeControl({ version: 3, type: MessageType.SCCRQ, hostName: 'a', routerId: 1, pseudowireCapabilitiesList: [5], ...(assignedControlConnectionId === undefined ? {} : { assignedControlConnectionId }) });

/** Two LCCEs with a secret, established over the harness link; the nonces each sent. */
function established() {
  const p = new Pair(V3S, V3S);
  p.do('a', { type: 'open' });
  p.run(5_000);
  expect(p.b.state).toBe('established');
  const nonceOf = (side: 'a' | 'b', name: string) => parseControl(p.sent(side, name)[0]!.bytes, { requireAvps: false }).controlMessageAuthenticationNonce!;
  return { p, lacNonce: nonceOf('a', 'SCCRQ'), lnsNonce: nonceOf('b', 'SCCRP') };
}

describe('v3 with authentication: what is dropped (RFC 3931 §5.4.1)', () => {
  it('a ZLB cannot carry a Message Digest (§6.15): dropped with that reason, the connection kept', () => {
    const { p } = established();
    const zlb = encodeControl({ version: 3, tunnelId: p.b.localControlConnectionId, ns: 2, nr: 1 });
    const acts = p.do('b', { type: 'received', bytes: zlb });
    expect(errors(acts).map((e) => [e.code, e.message])).toEqual([['BAD_DIGEST', 'a ZLB, with authentication on: it cannot carry a Message Digest (RFC 3931 §6.15), dropped']]);
    expect(acts).toHaveLength(1);
    expect(p.b.state).toBe('established');
  });

  it('idle: an SCCRP (its nonce in it, ours not made yet) cannot be authenticated: dropped, the unused state machine freed', () => {
    const f = fsm({ localTunnelId: 0x10000 });
    const rp = encodeControl({ version: 3, type: MessageType.SCCRP, tunnelId: 0x10000, hostName: 'a', routerId: 1, assignedControlConnectionId: 77, pseudowireCapabilitiesList: [5], controlMessageAuthenticationNonce: new Uint8Array(16).fill(1), messageDigest: { digestType: 0, digest: new Uint8Array(16) } });
    const acts = f.handle({ type: 'received', bytes: rp }, 0);
    expect(errors(acts).map((e) => e.message)).toEqual([`SCCRP dropped: ${NOT_KNOWN}`]);
    expect(sent(acts)).toEqual([]);
    const s = stoppedOf(acts)!;
    expect([s.by, s.error?.code, s.error?.message]).toEqual(['local', 'AUTH_FAILED', `SCCRP dropped: ${NOT_KNOWN}`]);
    expect((s.error?.cause as L2tpError).code).toBe('BAD_DIGEST');
    expect(f.state).toBe('closed');
  });

  it('idle: an SCCRQ with a Nonce but no Message Digest is a broken signed message: dropped, not refused with a StopCCN', () => {
    // Only an SCCRQ with neither AVP comes from a peer that does no authentication (answered with
    // StopCCN 4); one that carries its Nonce meant to sign and did not (§5.4.1: drop it).
    const f = fsm();
    const rq = encodeControl({ version: 3, type: MessageType.SCCRQ, hostName: 'a', routerId: 1, pseudowireCapabilitiesList: [5], assignedControlConnectionId: 77, controlMessageAuthenticationNonce: new Uint8Array(16).fill(2) });
    const acts = f.handle({ type: 'received', bytes: rq }, 0);
    expect(sent(acts)).toEqual([]);
    expect(errors(acts).map((e) => [e.code, e.message.startsWith('SCCRQ dropped: ')])).toEqual([['MISSING_AVP', true]]);
  });

  it('idle: an unsigned StopCCN to Control Connection ID 0 is not an SCCRQ: dropped (no nonce known), not answered', () => {
    const f = fsm();
    const stop = encodeControl({ version: 3, type: MessageType.StopCCN, tunnelId: 0, assignedControlConnectionId: 77, resultCode: { result: 1 } });
    const acts = f.handle({ type: 'received', bytes: stop }, 0);
    expect(errors(acts).map((e) => [e.code, e.message])).toEqual([['BAD_DIGEST', `StopCCN dropped: ${NOT_KNOWN}`]]);
    expect((errors(acts)[0]!.cause as L2tpError).message).toBe(NOT_KNOWN);
    expect(sent(acts)).toEqual([]);
  });

  it('waiting for SCCRP: a HELLO to us cannot be authenticated yet: dropped, the handshake goes on', () => {
    const f = fsm({ localTunnelId: 0x10000 });
    f.handle({ type: 'open' }, 0);
    const acts = f.handle({ type: 'received', bytes: encodeControl({ version: 3, type: MessageType.HELLO, tunnelId: 0x10000, ns: 0, nr: 1, messageDigest: { digestType: 0, digest: new Uint8Array(16) } }) }, 5);
    expect(errors(acts).map((e) => e.message)).toEqual([`HELLO dropped: ${NOT_KNOWN}`]);
    expect(acts).toHaveLength(1);
    expect(f.state).toBe('wait-ctl-reply');
  });

  it('waiting for SCCRP: a message to us that does not parse cannot be authenticated either: dropped, the handshake goes on', () => {
    const f = fsm({ localTunnelId: 0x10000 });
    f.handle({ type: 'open' }, 0);
    const acts = f.handle({ type: 'received', bytes: Uint8Array.of(0xc8, 0x03, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00) }, 5);
    expect(acts.map((a) => a.type)).toEqual(['error']);
    const [e] = errors(acts);
    expect(e!.code).toBe('BAD_DIGEST');
    expect((e!.cause as L2tpError).message).toBe("the peer's Control Message Authentication Nonce is not known yet (RFC 3931 §5.4.1)");
    expect(f.state).toBe('wait-ctl-reply');
  });

  it('a crossed SCCRQ that does no authentication, while we wait for SCCRP: dropped, our attempt kept', () => {
    const f = fsm();
    f.handle({ type: 'open' }, 0);
    const acts = f.handle({ type: 'received', bytes: bareSccrq(77) }, 5);
    expect(errors(acts).map((e) => e.code)).toEqual(['MISSING_AVP']);
    expect(errors(acts)[0]!.message).toMatch(/^SCCRQ dropped: control message authentication is on but the message has no Message Digest AVP/);
    expect(sent(acts)).toEqual([]);
    expect([f.state, f.role]).toEqual(['wait-ctl-reply', 'initiator']);
  });

  it('idle: an SCCRQ with a Message Digest (wrong) but no Nonce does take part in authentication: dropped, not refused', () => {
    const f = fsm();
    const rq = encodeControl({ version: 3, type: MessageType.SCCRQ, hostName: 'a', routerId: 1, assignedControlConnectionId: 77, pseudowireCapabilitiesList: [5], messageDigest: { digestType: 0, digest: new Uint8Array(16) } });
    const acts = f.handle({ type: 'received', bytes: rq }, 0);
    expect(sent(acts)).toEqual([]);
    expect(errors(acts)[0]!.code).toBe('BAD_DIGEST');
    expect(f.state).toBe('closed');
  });
});

describe('v3: an SCCRQ that does no authentication at all while we require it (RFC 3931 §4.3: both or neither)', () => {
  const MESSAGE = 'SCCRQ without Message Digest or Control Message Authentication Nonce, and authentication is on here (RFC 3931 §4.3)';

  it('StopCCN 4 to its Assigned Control Connection ID, without acking it (its Ns is not trusted), also when retransmitted', () => {
    const f = fsm();
    const acts = f.handle({ type: 'received', bytes: bareSccrq(77) }, 0);
    expect(sent(acts).map((m) => [m.typeName, m.controlConnectionId, m.nr, m.resultCode])).toEqual([['StopCCN', 77, 0, { result: 4, error: 0, message: MESSAGE }]]);
    const s = stoppedOf(acts)!;
    expect([s.by, s.error?.code, s.error?.message]).toEqual(['local', 'AUTH_FAILED', `${MESSAGE} (at byte 12)`]);
    expect((s.error?.cause as L2tpError).code).toBe('MISSING_AVP');
    expect(f.role).toBe('responder');
    const again = f.handle({ type: 'tick' }, f.nextDeadline()!);
    expect(sent(again).map((m) => [m.typeName, m.nr])).toEqual([['StopCCN', 0]]);
  });

  for (const id of [0, undefined]) {
    it(`with Assigned Control Connection ID ${String(id)}: no one to send a StopCCN to: an AUTH_FAILED error only`, () => {
      const f = fsm();
      const bytes = id === 0 ? bareSccrq(1).slice() : bareSccrq(id);
      if (id === 0) {
        // Built by hand: the encoder refuses the reserved 0 (a local error), a hostile peer does not.
        const r = new AvpReader(bytes, 12);
        while (r.next() && r.type !== 61);
        bytes[r.valueOffset + 3] = 0;
        expect(parseControl(bytes, { requireAvps: false }).assignedControlConnectionId).toBe(0);
      }
      const acts = f.handle({ type: 'received', bytes }, 0);
      expect(acts.map((a) => a.type)).toEqual(['error']);
      expect([errors(acts)[0]!.code, errors(acts)[0]!.message]).toEqual(['AUTH_FAILED', `${MESSAGE} (at byte 12)`]);
      expect((errors(acts)[0]!.cause as L2tpError).code).toBe('MISSING_AVP');
    });
  }
});

describe('v3: a message that does not parse but carries the peer’s valid digest is the peer’s: StopCCN 2/3 (RFC 3931 §5.4.1)', () => {
  it('the connection is torn down as for any broken message of ours', () => {
    const { p, lacNonce, lnsNonce } = established();
    const ok = encodeControl({ version: 3, type: MessageType.HELLO, tunnelId: p.b.localControlConnectionId, ns: 2, nr: 1, messageDigest: { digestType: 0, digest: new Uint8Array(16) } });
    // Append a 1-byte Receive Window Size (it must be 2 bytes): the AVPs still walk, the value does not parse.
    const b = new Uint8Array(ok.length + 7);
    b.set(ok);
    b.set([0x80, 0x07, 0x00, 0x00, 0x00, 0x0a, 0x04], ok.length);
    b[2] = b.length >> 8;
    b[3] = b.length & 0xff;
    signControlV3(b, { secret: SECRET, nonces: { local: lacNonce, remote: lnsNonce } });
    const acts = p.do('b', { type: 'received', bytes: b });
    expect(sent(acts).find((m) => m.typeName === 'StopCCN')?.resultCode).toMatchObject({ result: 2, error: 3 });
    expect(stoppedOf(acts)?.error?.code).toBe('BAD_AVP_VALUE');
  });

  it('its Nr is the ack it is (RFC 2661 §5.8, as without authentication): with our HELLO outstanding in a window of 1, the StopCCN goes out at once', () => {
    const p = new Pair({ ...V3S, sequencer: { receiveWindow: 1 } }, V3S);
    p.do('a', { type: 'open' });
    p.run(5_000);
    const nonceOf = (side: 'a' | 'b', name: string) => parseControl(p.sent(side, name)[0]!.bytes, { requireAvps: false }).controlMessageAuthenticationNonce!;
    const [lacNonce, lnsNonce] = [nonceOf('a', 'SCCRQ'), nonceOf('b', 'SCCRP')];
    expect(sent(p.do('b', { type: 'hello' })).map((m) => [m.typeName, m.ns])).toEqual([['HELLO', 1]]);
    // The peer's next message (Ns 2) acks that HELLO (Nr 2) but has a 1-byte Receive Window Size; signed.
    const ok = encodeControl({ version: 3, type: MessageType.HELLO, tunnelId: p.b.localControlConnectionId, ns: 2, nr: 2, messageDigest: { digestType: 0, digest: new Uint8Array(16) } });
    const b = new Uint8Array(ok.length + 7);
    b.set(ok);
    b.set([0x80, 0x07, 0x00, 0x00, 0x00, 0x0a, 0x04], ok.length);
    b[3] = b.length;
    signControlV3(b, { secret: SECRET, nonces: { local: lacNonce, remote: lnsNonce } });
    const acts = p.do('b', { type: 'received', bytes: b });
    expect(stoppedOf(acts)?.error?.code).toBe('BAD_AVP_VALUE');
    expect(sent(acts).map((m) => m.typeName)).toContain('StopCCN');
  });
});

describe('v3 tie breaking with authentication (RFC 3931 §5.4.3): the winner’s StopCCN for our discarded connection', () => {
  /** The peer's SCCRQ, signed as an SCCRQ is (no nonces hashed), with its nonce and an optional Tie Breaker. */
  const peerSccrq = (tieBreaker?: Uint8Array) =>
    encodeControlV3({ type: MessageType.SCCRQ, hostName: 'a', routerId: 1, assignedControlConnectionId: 77, pseudowireCapabilitiesList: [5], controlMessageAuthenticationNonce: new Uint8Array(16).fill(3), ...(tieBreaker ? { tieBreaker } : {}) }, { secret: SECRET });
  /** A message to `f` signed for other nonces (as the winner's StopCCN for our discarded connection is). */
  const otherNonces = (f: TunnelFsm, type: number, ns: number) =>
    encodeControlV3({ type, controlConnectionId: f.localControlConnectionId, ns, nr: 1, ...(type === MessageType.StopCCN ? { assignedControlConnectionId: 77, resultCode: { result: 3 } } : {}) }, { secret: SECRET, nonces: { local: new Uint8Array(16).fill(5), remote: new Uint8Array(16).fill(6) } });
  /** We sent an SCCRQ with the higher Tie Breaker; the peer's crossed it and won: we answer it as responder. */
  function lostTie(): TunnelFsm {
    const f = fsm({ tieBreaker: new Uint8Array(8).fill(0xff), localTunnelId: 0x10000 });
    f.handle({ type: 'open' }, 0);
    f.handle({ type: 'received', bytes: peerSccrq(new Uint8Array(8)) }, 5);
    expect([f.state, f.role]).toEqual(['wait-ctl-conn', 'responder']);
    return f;
  }

  it('after losing: the StopCCN with Ns 0 that fails our digest check is expected: dropped quietly, nothing reported', () => {
    const f = lostTie();
    expect(f.handle({ type: 'received', bytes: otherNonces(f, MessageType.StopCCN, 0) }, 10)).toEqual([]);
    expect(f.state).toBe('wait-ctl-conn');
  });

  for (const [what, type, ns] of [['a StopCCN with Ns 1', MessageType.StopCCN, 1], ['a HELLO with Ns 0', MessageType.HELLO, 0]] as const) {
    it(`after losing: ${what} that fails the check is an authentication failure like any: dropped and reported`, () => {
      const f = lostTie();
      const acts = f.handle({ type: 'received', bytes: otherNonces(f, type, ns) }, 10);
      expect(acts.map((a) => a.type)).toEqual(['error']);
      expect(errors(acts)[0]!.code).toBe('BAD_DIGEST');
    });
  }

  it('a plain responder (no tie was broken): a StopCCN with Ns 0 that fails the check is reported', () => {
    const f = fsm();
    f.handle({ type: 'received', bytes: peerSccrq() }, 0);
    expect(f.state).toBe('wait-ctl-conn');
    const acts = f.handle({ type: 'received', bytes: otherNonces(f, MessageType.StopCCN, 0) }, 10);
    expect(acts.map((a) => a.type)).toEqual(['error']);
  });

  it('an initiator holding a Tie Breaker: a StopCCN with Ns 0 it cannot authenticate is reported', () => {
    const f = fsm({ tieBreaker: true, localTunnelId: 0x10000 });
    f.handle({ type: 'open' }, 0);
    const acts = f.handle({ type: 'received', bytes: otherNonces(f, MessageType.StopCCN, 0) }, 10);
    expect(acts.map((a) => a.type)).toEqual(['error']);
    expect(f.state).toBe('wait-ctl-reply');
  });
});

describe('v3: an SCCRQ addressed to our established connection is one of its messages (RFC 3931 §5.4.1: signed with both nonces)', () => {
  it('authenticated as such, then refused as out of state: StopCCN 7', () => {
    const { p, lacNonce, lnsNonce } = established();
    const rq = encodeControlV3(
      { type: MessageType.SCCRQ, controlConnectionId: p.b.localControlConnectionId, ns: 2, nr: 1, hostName: 'a', routerId: 1, assignedControlConnectionId: 77, pseudowireCapabilitiesList: [5] },
      { secret: SECRET, nonces: { local: lacNonce, remote: lnsNonce } },
    );
    const acts = p.do('b', { type: 'received', bytes: rq });
    expect(errors(acts)).toEqual([]);
    expect(sent(acts).find((m) => m.typeName === 'StopCCN')?.resultCode).toMatchObject({ result: 7 });
  });
});

/** The Message Digest value (MD5 type: 16 bytes), right after the 8-byte Message Type AVP (§5.4.1). */
const digestOf = (b: Uint8Array): string => Buffer.from(b.subarray(27, 43)).toString('hex');
/**
 * RFC 3931 §5.4.1 with node:crypto: key = HMAC-MD5(secret, 0x02); digest = HMAC-MD5(key, the nonces in
 * order, then the message with the digest field zeroed).
 */
function hmacOver(b: Uint8Array, nonces: Uint8Array[]): string {
  const key = createHmac('md5', SECRET).update(Uint8Array.of(2)).digest();
  const h = createHmac('md5', key);
  for (const n of nonces) h.update(n);
  const zeroed = b.slice();
  zeroed.fill(0, 27, 43);
  return h.update(zeroed).digest('hex');
}

describe('v3: the StopCCN refusing an SCCRP is signed over both nonces (RFC 3931 §5.4.1)', () => {
  it('Receive Window Size 0 in a signed SCCRP: the StopCCN verifies with our nonce and the one that SCCRP carried', () => {
    const a = new TunnelFsm({ hostName: 'a', random: seededRandom(3), ...V3S });
    const rq = sent(a.handle({ type: 'open' }, 0))[0]!;
    const ours = rq.controlMessageAuthenticationNonce!;
    const theirs = new Uint8Array(16).fill(0x5a);
    const rp = encodeControlV3(
      { type: MessageType.SCCRP, controlConnectionId: a.localControlConnectionId, ns: 0, nr: 1, hostName: 'b', routerId: 2, assignedControlConnectionId: 77, pseudowireCapabilitiesList: [5], receiveWindowSize: 0, controlMessageAuthenticationNonce: theirs },
      { secret: SECRET, nonces: { local: theirs, remote: ours } },
    );
    const acts = a.handle({ type: 'received', bytes: rp }, 1);
    const stop = acts.flatMap((x) => (x.type === 'send' ? [x.bytes] : [])).find((b) => parseControl(b, { requireAvps: false }).typeName === 'StopCCN')!;
    expect(parseControl(stop, { requireAvps: false }).resultCode).toMatchObject({ result: 2, error: 3 }); // §4.4.2 (RFC 2661): a field value out of range
    // What the peer checks: the sender's nonce first, then the receiver's; written out with node:crypto.
    expect(digestOf(stop)).toBe(hmacOver(stop, [ours, theirs]));
    expect(() => verifyControlV3(stop, { secret: SECRET, nonces: { local: ours, remote: theirs } })).not.toThrow();
    expect(() => verifyControlV3(stop, { secret: SECRET })).toThrow(L2tpError);

    // Unacked, the StopCCN goes out again (§5.8), signed anew: with its own copy of the peer's
    // nonce, even though the driver reused the buffer the SCCRP came in.
    rp.fill(0);
    const at = a.nextDeadline()!;
    const again = a.handle({ type: 'tick' }, at).flatMap((x) => (x.type === 'send' ? [x.bytes] : []));
    expect(again.map((b) => parseControl(b, { requireAvps: false }).typeName)).toEqual(['StopCCN']);
    expect(digestOf(again[0]!)).toBe(hmacOver(again[0]!, [ours, theirs]));
  });
});
