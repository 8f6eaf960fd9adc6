/**
 * A bad Message Digest under L2TPv3 control message authentication (RFC 3931 §4.3, §5.4.1):
 * "If the calculation fails, the message MUST be dropped". Checked in every state, both roles,
 * with the messages an off-path attacker could send: it knows a Control Connection ID (32 bits)
 * but not the shared secret, so what it sends is unsigned, signed with another secret, or does not
 * parse. None of them may tear the connection down, cut the handshake short or be acked.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { encodeControl, parseControl, type ControlMessageInit } from '../../src/wire/control.js';
import { encodeControlV3 } from '../../src/wire/v3-auth.js';
import { seededRandom } from './harness.js';

const SECRET = 'the real secret';
const sentBytes = (acts: TunnelAction[]) => acts.flatMap((a) => (a.type === 'send' ? [a.bytes] : []));
const typeOf = (b: Uint8Array): string => parseControl(b, { requireAvps: false }).typeName;

/** An LCCE pair with authentication on; `a` opens. Messages are carried by hand. */
function pair(seed: number) {
  const o = { version: 3, secret: SECRET } as const;
  const a = new TunnelFsm({ ...o, hostName: 'a', random: seededRandom(seed) } as TunnelOptions);
  const b = new TunnelFsm({ ...o, hostName: 'b', random: seededRandom(seed + 100) } as TunnelOptions);
  return { a, b };
}

/** What an attacker without the secret can send to `id`: unsigned, signed with its own secret, and unparsable. */
function forgeries(id: number, msg: ControlMessageInit): [string, Uint8Array][] {
  const init = { ...msg, controlConnectionId: id };
  const nonce = new Uint8Array(16).fill(7);
  const garbage = encodeControl({ ...init, version: 3 });
  // A Message Digest AVP right after Message Type whose length (5) is impossible: does not parse.
  const broken = new Uint8Array([...garbage.subarray(0, 20), 0x80, 0x05, 0, 0, 0, 59, ...garbage.subarray(20)]);
  broken[2] = broken.length >> 8;
  broken[3] = broken.length & 0xff;
  return [
    ['unsigned', encodeControl({ ...init, version: 3 })],
    ['signed with another secret', encodeControlV3(init, { secret: 'attacker', nonces: { local: nonce, remote: nonce } })],
    ['signed with another secret, SCCRQ-style (no nonces)', encodeControlV3(init, { secret: 'attacker' })],
    ['unparsable', broken],
  ];
}

const STOP: ControlMessageInit = { type: 4, ns: 1, nr: 1, resultCode: { result: 1 }, assignedControlConnectionId: 99 };

function expectDropped(f: TunnelFsm, acts: TunnelAction[], state: string): void {
  expect(sentBytes(acts)).toEqual([]);
  expect(acts.every((x) => x.type === 'error')).toBe(true);
  expect(acts.length).toBeGreaterThan(0);
  expect(f.state).toBe(state);
}

describe('v3: a message failing authentication is dropped in every state (RFC 3931 §5.4.1)', () => {
  it('initiator, wait-ctl-reply: a forged StopCCN or SCCRP does not end the handshake; the real SCCRP then does its job', () => {
    const { a, b } = pair(1);
    const [rq] = sentBytes(a.handle({ type: 'open' }, 0));
    for (const [, bytes] of [...forgeries(a.localControlConnectionId, STOP), ...forgeries(a.localControlConnectionId, { type: 2, ns: 0, nr: 1, hostName: 'evil', routerId: 1, assignedControlConnectionId: 5, pseudowireCapabilitiesList: [5], controlMessageAuthenticationNonce: new Uint8Array(16) })]) {
      expectDropped(a, a.handle({ type: 'received', bytes }, 10), 'wait-ctl-reply');
    }
    const [rp] = sentBytes(b.handle({ type: 'received', bytes: rq! }, 20));
    const cn = sentBytes(a.handle({ type: 'received', bytes: rp! }, 30));
    expect(a.state).toBe('established');
    b.handle({ type: 'received', bytes: cn[0]! }, 40);
    expect(b.state).toBe('established');
  });

  it('responder, wait-ctl-conn: a forged StopCCN or SCCCN is dropped; the real SCCCN establishes', () => {
    const { a, b } = pair(2);
    const [rq] = sentBytes(a.handle({ type: 'open' }, 0));
    const [rp] = sentBytes(b.handle({ type: 'received', bytes: rq! }, 10));
    expect(b.state).toBe('wait-ctl-conn');
    for (const [, bytes] of [...forgeries(b.localControlConnectionId, STOP), ...forgeries(b.localControlConnectionId, { type: 3, ns: 1, nr: 1 })]) {
      expectDropped(b, b.handle({ type: 'received', bytes }, 20), 'wait-ctl-conn');
    }
    const [cn] = sentBytes(a.handle({ type: 'received', bytes: rp! }, 30));
    b.handle({ type: 'received', bytes: cn! }, 40);
    expect(b.state).toBe('established');
  });

  it.each(['a', 'b'] as const)('established (%s): a forged StopCCN, Hello or CDN is dropped, not acked; the connection lives on', (side) => {
    const { a, b } = pair(3);
    const carry = (from: TunnelFsm, acts: TunnelAction[]): void => {
      const to = from === a ? b : a;
      for (const bytes of sentBytes(acts)) carry(to, to.handle({ type: 'received', bytes }, 0));
    };
    carry(a, a.handle({ type: 'open' }, 0));
    const f = side === 'a' ? a : b;
    expect(f.state).toBe('established');
    const all = [...forgeries(f.localControlConnectionId, STOP), ...forgeries(f.localControlConnectionId, { type: 6, ns: 2, nr: 2 }), ...forgeries(f.localControlConnectionId, { type: 14, ns: 2, nr: 2, sessionId: 0, resultCode: { result: 1 }, localSessionId: 1, remoteSessionId: 2 })];
    for (const [, bytes] of all) expectDropped(f, f.handle({ type: 'received', bytes }, 100), 'established');
    // Still a working connection: a genuine Hello from the other side is acked.
    const other = f === a ? b : a;
    const [hello] = sentBytes(other.handle({ type: 'hello' }, 200));
    expect(sentBytes(f.handle({ type: 'received', bytes: hello! }, 210)).map(typeOf)).toEqual(['ACK']);
  });

  it('closing: a forged StopCCN does not cut the lingering short', () => {
    const { a, b } = pair(4);
    const carry = (from: TunnelFsm, acts: TunnelAction[]): void => {
      const to = from === a ? b : a;
      for (const bytes of sentBytes(acts)) carry(to, to.handle({ type: 'received', bytes }, 0));
    };
    carry(a, a.handle({ type: 'open' }, 0));
    a.handle({ type: 'close' }, 10);
    expect(a.state).toBe('closing');
    for (const [, bytes] of forgeries(a.localControlConnectionId, STOP)) expectDropped(a, a.handle({ type: 'received', bytes }, 20), 'closing');
  });

  it('idle (a fresh responder): an SCCRQ signed with another secret is dropped unanswered, and the state machine freed', () => {
    const lcce = new TunnelFsm({ version: 3, secret: 'another', hostName: 'x', random: seededRandom(5) });
    const [rq] = sentBytes(lcce.handle({ type: 'open' }, 0));
    const f = new TunnelFsm({ version: 3, secret: SECRET, hostName: 'b', random: seededRandom(6) });
    const acts = f.handle({ type: 'received', bytes: rq! }, 0);
    expect(sentBytes(acts)).toEqual([]);
    expect(f.state).toBe('closed');
    expect(acts.find((x) => x.type === 'stopped')).toMatchObject({ by: 'local', error: { code: 'AUTH_FAILED' } });
  });

  it('idle: an SCCRQ with no authentication at all (no digest, no nonce) is refused with StopCCN Result Code 4 (§4.3: both or neither)', () => {
    const rq = encodeControl({ version: 3, type: 1, hostName: 'a', routerId: 1, assignedControlConnectionId: 0x0a0b0c0d, pseudowireCapabilitiesList: [5] });
    const f = new TunnelFsm({ version: 3, secret: SECRET, hostName: 'b', random: seededRandom(7) });
    const [stop] = sentBytes(f.handle({ type: 'received', bytes: rq }, 0));
    const m = parseControl(stop!, { requireAvps: false });
    expect(m.typeName).toBe('StopCCN');
    expect(m.controlConnectionId).toBe(0x0a0b0c0d);
    expect(m.resultCode?.result).toBe(4);
  });

  it('a peer with another secret answers our SCCRQ: its SCCRPs are dropped and the handshake ends AUTH_FAILED, not a bare timeout', () => {
    const a = new TunnelFsm({ version: 3, secret: SECRET, hostName: 'a', random: seededRandom(8) });
    const [rq] = sentBytes(a.handle({ type: 'open' }, 0));
    // The SCCRP a peer configured with another secret sends (signed over both nonces, §5.4.1).
    const q = parseControl(rq!, { requireAvps: false });
    const rp = encodeControlV3(
      { type: 2, controlConnectionId: a.localControlConnectionId, ns: 0, nr: 1, hostName: 'b', routerId: 2, assignedControlConnectionId: 77, pseudowireCapabilitiesList: [5], controlMessageAuthenticationNonce: new Uint8Array(16).fill(1) },
      { secret: 'another', nonces: { local: new Uint8Array(16).fill(1), remote: q.controlMessageAuthenticationNonce! } },
    );
    const acts: TunnelAction[] = [];
    for (let t = 100; t < 200_000 && a.state !== 'closed'; t += 500) {
      acts.push(...a.handle({ type: 'received', bytes: rp }, t));
      acts.push(...a.handle({ type: 'tick' }, t + 1));
    }
    expect(a.state).toBe('closed');
    expect(acts.some((x) => x.type === 'established')).toBe(false);
    expect(sentBytes(acts).map(typeOf).filter((n) => n !== 'SCCRQ')).toEqual([]);
    expect(acts.find((x) => x.type === 'stopped')).toMatchObject({ by: 'local', error: { code: 'AUTH_FAILED' } });
  });
});
