/**
 * Edges of control connection setup (src/fsm/handshake.ts, src/fsm/tie-breaker.ts; RFC 2661
 * §4.4.3, §5.1.1, §6.1–§6.3, §7.2.1; RFC 3931 §5.4.3): what the peer record says about
 * authentication, SCCRQs and SCCRPs missing their Assigned Tunnel ID, an SCCCN with an unknown
 * mandatory AVP, and equal Tie Breakers. Inputs are built by hand; results are the RFCs'.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { sccrq } from '../../src/wire/builders.js';
import { encodeControl, parseControl, type ControlMessage } from '../../src/wire/control.js';
import { MessageType } from '../../src/wire/message-catalog.js';
import { seededRandom } from './harness.js';

const fsm = (o: Partial<TunnelOptions> = {}): TunnelFsm => new TunnelFsm({ hostName: 'hs', random: seededRandom(4), ...o });
const sent = (acts: TunnelAction[]): ControlMessage[] => acts.flatMap((a) => (a.type === 'send' ? [parseControl(a.bytes, { requireAvps: false })] : []));
const peerOf = (acts: TunnelAction[]) => (acts.find((a) => a.type === 'established') as Extract<TunnelAction, { type: 'established' }> | undefined)?.peer;

/** Run a LAC and an LNS to established by hand; every action of each side. */
function handshake(lac: TunnelFsm, lns: TunnelFsm): { lacActs: TunnelAction[]; lnsActs: TunnelAction[] } {
  const lacActs: TunnelAction[] = [];
  const lnsActs: TunnelAction[] = [];
  const carry = (from: TunnelFsm, acts: TunnelAction[]): void => {
    (from === lac ? lacActs : lnsActs).push(...acts);
    const to = from === lac ? lns : lac;
    for (const a of acts) if (a.type === 'send') carry(to, to.handle({ type: 'received', bytes: a.bytes }, 0));
  };
  carry(lac, lac.handle({ type: 'open' }, 0));
  return { lacActs, lnsActs };
}

describe('the peer record: challenged / authenticated (RFC 2661 §4.4.3, RFC 3931 §4.3)', () => {
  for (const version of [2, 3] as const) {
    it(`v${version} without a secret: neither side is challenged nor authenticated`, () => {
      const { lacActs, lnsActs } = handshake(fsm({ version }), fsm({ version }));
      expect(peerOf(lacActs)).toMatchObject({ challenged: false, authenticated: false });
      expect(peerOf(lnsActs)).toMatchObject({ challenged: false, authenticated: false });
    });
    it(`v${version} with a secret: both sides authenticated`, () => {
      const { lacActs, lnsActs } = handshake(fsm({ version, secret: 's' }), fsm({ version, secret: 's' }));
      expect(peerOf(lacActs)).toMatchObject({ authenticated: true });
      expect(peerOf(lnsActs)).toMatchObject({ authenticated: true });
    });
  }

  it('the peer’s Tie Breaker is kept as a copy: a driver reusing its receive buffer does not change it', () => {
    const tie = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const rq = sccrq({ hostName: 'lac', assignedTunnelId: 77, tieBreaker: tie }).slice();
    const lns = fsm();
    lns.handle({ type: 'received', bytes: rq }, 0);
    rq.fill(0);
    const acts = lns.handle({ type: 'received', bytes: encodeControl({ type: MessageType.SCCCN, tunnelId: lns.localTunnelId, ns: 1, nr: 1 }) }, 1);
    expect(peerOf(acts)?.tieBreaker).toEqual(tie);
  });
});

describe('missing or unusable Assigned Tunnel ID (RFC 2661 §4.4.3: 0 is reserved)', () => {
  it('an SCCRQ without one: an error action and a stop by the peer, nothing sent, the state machine freed', () => {
    const f = fsm();
    const rq = encodeControl({ type: MessageType.SCCRQ, tunnelId: 0, hostName: 'lac', protocolVersion: { version: 1, revision: 0 }, framingCapabilities: 3 });
    const acts = f.handle({ type: 'received', bytes: rq }, 0);
    expect(acts.map((a) => a.type)).toEqual(['error', 'stopped', 'closed']);
    const e = (acts[0] as Extract<TunnelAction, { type: 'error' }>).error;
    expect([e.code, e.message]).toEqual(['MISSING_AVP', 'SCCRQ without a usable Assigned Tunnel ID (absent, or the reserved 0): ignored']);
    const s = acts[1] as Extract<TunnelAction, { type: 'stopped' }>;
    expect([s.by, s.error?.code, s.error?.message]).toEqual(['peer', 'MISSING_AVP', 'SCCRQ without Assigned Tunnel ID']);
  });

  it('an SCCRP without one: StopCCN 2/6 naming it; the peer’s Tunnel ID stays unknown (0)', () => {
    const f = fsm({ localTunnelId: 0x1234 });
    f.handle({ type: 'open' }, 0);
    const rp = encodeControl({ type: MessageType.SCCRP, tunnelId: 0x1234, ns: 0, nr: 1, hostName: 'lns', protocolVersion: { version: 1, revision: 0 }, framingCapabilities: 3 });
    const acts = f.handle({ type: 'received', bytes: rp }, 5);
    expect(sent(acts).find((m) => m.typeName === 'StopCCN')?.resultCode).toMatchObject({ result: 2, error: 6 });
    expect(f.peerTunnelId).toBe(0);
  });
});

describe('an SCCCN with an unknown AVP whose M bit is set (RFC 2661 §4.1): StopCCN 2/8, not established', () => {
  it('the responder refuses it', () => {
    const lac = fsm({ hostName: 'lac' });
    const lns = fsm({ hostName: 'lns' });
    const rq = lac.handle({ type: 'open' }, 0).find((a) => a.type === 'send') as { bytes: Uint8Array };
    lns.handle({ type: 'received', bytes: rq.bytes }, 0);
    const cn = encodeControl({ tunnelId: lns.localTunnelId, ns: 1, nr: 1, avps: [{ mandatory: true, vendorId: 0, type: 0, value: Uint8Array.of(0, MessageType.SCCCN) }, { mandatory: true, vendorId: 0, type: 99, value: Uint8Array.of(1) }] });
    const acts = lns.handle({ type: 'received', bytes: cn }, 1);
    expect(sent(acts).find((m) => m.typeName === 'StopCCN')?.resultCode).toMatchObject({ result: 2, error: 8 });
    expect(acts.some((a) => a.type === 'established')).toBe(false);
    expect(lns.state).toBe('closing');
  });
});

describe('open() is for a fresh state machine', () => {
  it('a second open: TypeError saying the state', () => {
    const f = fsm();
    f.handle({ type: 'open' }, 0);
    expect(() => f.handle({ type: 'open' }, 1)).toThrow(new TypeError('open: the tunnel is wait-ctl-reply; open() is only for a fresh (idle) TunnelFsm'));
  });
});

describe('equal Tie Breakers (RFC 2661 §4.4.3, RFC 3931 §5.4.3)', () => {
  const tie = new Uint8Array(8).fill(9);
  for (const version of [2, 3] as const) {
    it(`v${version}: ${version === 2 ? 'our tunnel discarded: stopped (local) saying why' : 'restarted with a new random Tie Breaker, saying so'}`, () => {
      const a = fsm({ version, tieBreaker: tie });
      const b = fsm({ version, tieBreaker: tie, random: seededRandom(8) });
      a.handle({ type: 'open' }, 0);
      const theirs = b.handle({ type: 'open' }, 0).find((x) => x.type === 'send') as { bytes: Uint8Array };
      const acts = a.handle({ type: 'received', bytes: theirs.bytes }, 1);
      if (version === 2) {
        const s = acts.find((x) => x.type === 'stopped') as Extract<TunnelAction, { type: 'stopped' }>;
        expect([s.by, s.error?.code, s.error?.message]).toEqual(['local', 'PROTOCOL', 'simultaneous SCCRQs with equal Tie Breakers: both tunnels discarded (RFC 2661 §4.4.3)']);
        expect(a.state).toBe('closed');
      } else {
        const e = acts.find((x) => x.type === 'error') as Extract<TunnelAction, { type: 'error' }>;
        expect([e.error.code, e.error.message]).toEqual(['PROTOCOL', 'simultaneous SCCRQs with equal Tie Breakers: our control connection discarded, restarted with a new random Tie Breaker (RFC 3931 §5.4.3)']);
        expect(a.state).toBe('wait-ctl-reply');
      }
    });
  }
});
