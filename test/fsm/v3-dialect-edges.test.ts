/**
 * The edges of the L2TPv3 row of the dialect table (RFC 3931 §4.3, §5.3, §5.4.1, §5.4.3, §6.1,
 * §6.2, §6.15): the StopCCN results and messages for an unacceptable SCCRQ, what goes hidden and
 * what does not, the peer's nonce kept as our own copy, and the rejection of a losing SCCRQ.
 * Peer messages are written by hand from the RFC's AVP lists; digests are re-checked with the
 * wire layer's verifier from the nonces the messages carried.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { encodeControl, parseControl, type ControlMessage, type ControlMessageInit } from '../../src/wire/control.js';
import { encodeControlV3 } from '../../src/wire/v3-auth.js';
import { verifyControlV3 } from '../../src/wire/v3-digest.js';
import { establishedPair, seededRandom } from './harness.js';

const SECRET = 'dialect secret';
const parse = (b: Uint8Array): ControlMessage => parseControl(b, { requireAvps: false });
const sentBytes = (acts: TunnelAction[]) => acts.flatMap((a) => (a.type === 'send' ? [a.bytes] : []));
const lcce = (o: Partial<TunnelOptions> = {}) => new TunnelFsm({ version: 3, hostName: 'here', random: seededRandom(3), ...o });
/** A peer's SCCRQ with the AVPs RFC 3931 §6.1 requires. */
const SCCRQ: ControlMessageInit = { type: 1, ns: 0, nr: 0, hostName: 'peer', routerId: 7, assignedControlConnectionId: 0x1234, pseudowireCapabilitiesList: [5] };
const NONCE = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

describe('an SCCRQ we cannot accept: StopCCN with the §5.4.2 result and a message saying why', () => {
  it('Receive Window Size 0 (§5.4.3: at least 1): result 2, error 3', () => {
    const f = lcce();
    const acts = f.handle({ type: 'received', bytes: encodeControl({ ...SCCRQ, version: 3, receiveWindowSize: 0 }) }, 0);
    const stop = parse(sentBytes(acts)[0]!);
    expect(stop.typeName).toBe('StopCCN');
    expect(stop.resultCode).toEqual({ result: 2, error: 3, message: 'Receive Window Size 0 (RFC 3931 §5.4.3: at least 1)' });
  });

  it('signed, but we have no secret: result 4, AUTH_FAILED, and the message names the SCCRQ', () => {
    const f = lcce();
    const acts = f.handle({ type: 'received', bytes: encodeControlV3({ ...SCCRQ, controlMessageAuthenticationNonce: NONCE }, { secret: SECRET }) }, 0);
    const message = 'SCCRQ with a Message Digest, but no shared secret is configured here (RFC 3931 §4.3)';
    expect(parse(sentBytes(acts)[0]!).resultCode).toEqual({ result: 4, error: 0, message });
    expect(acts.find((a) => a.type === 'stopped')).toMatchObject({ by: 'local', error: { code: 'AUTH_FAILED', message } });
  });

  it('signed with our secret but without a Control Message Authentication Nonce (§5.4.1): result 4, AUTH_FAILED', () => {
    const f = lcce({ secret: SECRET });
    const acts = f.handle({ type: 'received', bytes: encodeControlV3(SCCRQ, { secret: SECRET }) }, 0);
    const message = 'SCCRQ without a Control Message Authentication Nonce, and authentication is on here (RFC 3931 §5.4.1)';
    expect(parse(sentBytes(acts)[0]!).resultCode).toEqual({ result: 4, error: 0, message });
    expect(acts.find((a) => a.type === 'stopped')).toMatchObject({ by: 'local', error: { code: 'AUTH_FAILED', message } });
    expect(f.state).not.toBe('wait-ctl-conn');
  });

  it('a Receive Window Size of 1 is enough', () => {
    const f = lcce();
    const acts = f.handle({ type: 'received', bytes: encodeControl({ ...SCCRQ, version: 3, receiveWindowSize: 1 }) }, 0);
    expect(parse(sentBytes(acts)[0]!).typeName).toBe('SCCRP');
  });
});

describe('what the peer told us (§6.1, §6.2)', () => {
  it('a v3 peer was not challenged (the v2 Challenge does not exist in v3: §4.3 authenticates every message instead)', () => {
    const { lac, lns } = establishedPair({ version: 3, secret: SECRET }, { version: 3, secret: SECRET });
    expect([lac.peerInfo?.challenged, lns.peerInfo?.challenged]).toEqual([false, false]);
    expect([lac.peerInfo?.authenticated, lns.peerInfo?.authenticated]).toEqual([true, true]);
  });

  it("keeps its own copy of the peer's nonce: the driver may reuse its receive buffer, later digests still verify", () => {
    const f = lcce({ secret: SECRET });
    const rq = encodeControlV3({ ...SCCRQ, controlMessageAuthenticationNonce: NONCE }, { secret: SECRET });
    const [rp] = sentBytes(f.handle({ type: 'received', bytes: rq }, 0));
    const ours = parse(rp!).controlMessageAuthenticationNonce!;
    rq.fill(0);
    const cn = encodeControlV3({ type: 3, controlConnectionId: f.localControlConnectionId, ns: 1, nr: 1 }, { secret: SECRET, nonces: { local: NONCE, remote: ours } });
    f.handle({ type: 'received', bytes: cn }, 1);
    expect(f.state).toBe('established');
    const later = sentBytes(f.handle({ type: 'close' }, 2));
    expect(later.map((b) => parse(b).typeName)).toEqual(['StopCCN']);
    for (const b of later) expect(() => verifyControlV3(b, { secret: SECRET, nonces: { local: ours, remote: NONCE } })).not.toThrow();
  });
});

describe('hiding (§5.3): only where asked, never in SCCRQ/SCCRP', () => {
  it('with hideAvps, the SCCRQ and SCCRP go unhidden and the SCCCN carries no Random Vector', () => {
    const f = lcce({ secret: SECRET, hideAvps: true });
    const [rq] = sentBytes(f.handle({ type: 'open' }, 0));
    expect(parse(rq!).avps.filter((x) => x.hidden)).toEqual([]);
    const g = lcce({ secret: SECRET, hideAvps: true, random: seededRandom(9) });
    const [rp] = sentBytes(g.handle({ type: 'received', bytes: rq! }, 0));
    expect(parse(rp!).typeName).toBe('SCCRP');
    expect(parse(rp!).avps.filter((x) => x.hidden)).toEqual([]);
  });

  it('a secret without hideAvps hides nothing: a StopCCN and an ICRQ carry their AVPs in the clear', () => {
    const { lac } = establishedPair({ version: 3, secret: SECRET }, { version: 3, secret: SECRET });
    const icrq = parse(sentBytes(lac.handle({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0' } }, 1))[0]!);
    expect(icrq.typeName).toBe('ICRQ');
    expect(icrq.avps.filter((x) => x.hidden)).toEqual([]);
    expect(icrq.remoteEndId).toEqual(new TextEncoder().encode('eth0'));
  });
});

describe('rejecting a losing SCCRQ (§5.4.3)', () => {
  /** An initiator with the lowest Tie Breaker, its SCCRQ out. */
  const winner = (o: Partial<TunnelOptions> = {}) => {
    const f = lcce({ tieBreaker: new Uint8Array(8), ...o });
    f.handle({ type: 'open' }, 0);
    return f;
  };
  const losing = { ...SCCRQ, tieBreaker: new Uint8Array(8).fill(0xff) };

  it('the StopCCN says why in its Result Code: 3, and the message names the tie breaker', () => {
    const stop = parse(sentBytes(winner().handle({ type: 'received', bytes: encodeControl({ ...losing, version: 3 }) }, 1))[0]!);
    expect(stop.resultCode).toEqual({ result: 3, error: 0, message: 'lost the control connection tie breaker (RFC 3931 §5.4.3)' });
    expect(stop.controlConnectionId).toBe(0x1234);
  });

  it('a losing SCCRQ with Assigned Control Connection ID 0 (reserved) gets no StopCCN: there is nobody to address', () => {
    const f = winner();
    // The encoder refuses ID 0: write 0x5a5a5a5a, then zero those four bytes of the AVP value.
    const bytes = encodeControl({ ...losing, version: 3, assignedControlConnectionId: 0x5a5a5a5a });
    const at = bytes.findIndex((_, i) => bytes[i] === 0x5a && bytes[i + 1] === 0x5a && bytes[i + 2] === 0x5a && bytes[i + 3] === 0x5a);
    bytes.fill(0, at, at + 4);
    expect(parse(bytes).assignedControlConnectionId).toBe(0);
    const acts = f.handle({ type: 'received', bytes }, 1);
    expect(sentBytes(acts)).toEqual([]);
    expect(f.state).toBe('wait-ctl-reply');
  });

  it('a losing SCCRQ without Assigned Control Connection ID gets no StopCCN either', () => {
    const f = winner();
    const acts = f.handle({ type: 'received', bytes: encodeControl({ ...losing, version: 3, assignedControlConnectionId: undefined }) }, 1);
    expect(sentBytes(acts)).toEqual([]);
  });

  it('authenticated, a losing SCCRQ without a nonce: the StopCCN is signed without nonces, as an SCCRQ is', () => {
    const f = winner({ secret: SECRET });
    const rq = encodeControlV3(losing, { secret: SECRET });
    const [stop] = sentBytes(f.handle({ type: 'received', bytes: rq }, 1));
    expect(parse(stop!).resultCode?.result).toBe(3);
    expect(() => verifyControlV3(stop!, { secret: SECRET })).not.toThrow();
  });
});
