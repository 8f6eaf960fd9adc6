/**
 * Replays of real xl2tpd 1.3.18 exchanges (`test/vectors/*.hex`) into our FSM in the other
 * peer's role. The injected randomness is scripted to pick the same Tunnel/Session IDs and
 * challenges xl2tpd picked in that run, so what our FSM sends can be compared with what the real
 * peer sent, byte for byte: the known answers come from xl2tpd, not from our encoder.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { parseControl } from '../../src/wire/control.js';
import { loadHex, toHex, TUNNEL_SECRET, type HexFrame } from '../support/vectors.js';

/** Randomness that hands out the given byte strings in order (then zeros). */
function scripted(...chunks: Uint8Array[]): (n: number) => Uint8Array {
  return (n) => {
    const c = chunks.shift();
    if (c === undefined) return new Uint8Array(n);
    expect(c.length, 'scripted random: next chunk has the wrong size').toBe(n);
    return c;
  };
}
const u16 = (v: number) => new Uint8Array([v >> 8, v & 255]);

/** xl2tpd's SCCRQ/SCCRP options in these captures (see the summaries). */
const XL2TPD_LIKE = { vendorName: 'xelerance.com', firmwareRevision: 1680, bearerCapabilities: 0, framingCapabilities: 3 };

function sends(acts: TunnelAction[]): Uint8Array[] {
  return acts.filter((a): a is Extract<TunnelAction, { type: 'send' }> => a.type === 'send').map((a) => a.bytes);
}

function control(acts: TunnelAction[]): Uint8Array[] {
  return sends(acts).filter((b) => b.length > 12);
}

/**
 * SCCRQ/SCCRP: our encoder writes AVPs in RFC 2661 §6 order, xl2tpd in its own; the same header,
 * the same AVP set with the same M/H bits, and the same values are what must hold.
 */
function expectSameStart(ours: Uint8Array, theirs: Uint8Array): void {
  expect(toHex(ours.subarray(0, 12))).toBe(toHex(theirs.subarray(0, 12)));
  expect(ours.length).toBe(theirs.length);
  const a = parseControl(ours);
  const b = parseControl(theirs);
  const avps = (m: typeof a) => m.avps.map((x) => `${x.vendorId}:${x.type}:${x.mandatory ? 'M' : ''}${x.hidden ? 'H' : ''}:${toHex(x.value)}`).sort();
  expect(avps(a)).toEqual(avps(b));
}

function byPort(frames: HexFrame[], port: number): HexFrame[] {
  return frames.filter((f) => f.srcPort === port);
}

describe('replay of xl2tpd’s plain capture', () => {
  const frames = loadHex('plain');
  const fromLac = byPort(frames, 17011);
  const fromLns = byPort(frames, 17010);
  const id = (f: HexFrame) => parseControl(f.bytes, { requireAvps: false });

  it('our LNS answers xl2tpd’s LAC exactly as xl2tpd’s LNS did (SCCRP, ICRP byte for byte)', () => {
    const lnsTid = id(fromLns[0]!).assignedTunnelId!; // 49981
    const lnsSid = id(fromLns.find((f) => id(f).typeName === 'ICRP')!).assignedSessionId!; // 362
    const f = new TunnelFsm({ hostName: 'lns-plain', ...XL2TPD_LIKE, random: scripted(u16(lnsTid), u16(lnsSid)), sequencer: { ackDelay: 0 } });
    const out: TunnelAction[] = [];
    for (const frame of fromLac) out.push(...f.handle({ type: 'received', bytes: frame.bytes }, frame.time * 1000));
    const theirs = fromLns.filter((fr) => fr.bytes.length > 12).map((fr) => fr.bytes);
    const ours = control(out);
    expect(ours).toHaveLength(2); // SCCRP, ICRP
    expectSameStart(ours[0]!, theirs[0]!);
    expect(toHex(ours[1]!)).toBe(toHex(theirs[1]!));
    // What the LNS user saw:
    expect(out.find((a) => a.type === 'established')).toMatchObject({ peer: { hostName: 'lac-plain', vendorName: 'xelerance.com', firmwareRevision: 1680, assignedTunnelId: 46452, framingCapabilities: 3, bearerCapabilities: 0, receiveWindowSize: 4 } });
    expect(out.find((a) => a.type === 'session-up')).toMatchObject({ sessionId: lnsSid, peerSessionId: 42701, kind: 'incoming', origin: 'peer', call: { callSerialNumber: 1, bearerType: 0, framingType: 1, txConnectSpeed: 0 } });
    expect(out.find((a) => a.type === 'session-down')).toMatchObject({ sessionId: lnsSid, by: 'peer', result: { result: 1, error: 0 } });
    expect(out.find((a) => a.type === 'stopped')).toMatchObject({ by: 'peer', result: { result: 1, error: 0, message: 'Server closing' } });
    // §5.7: still acking a retransmitted StopCCN for a full retransmission cycle, then closed.
    expect(out.at(-1)!.type).not.toBe('closed');
    expect(f.state).toBe('closing');
    const last = fromLac.at(-1)!.time * 1000;
    expect(f.handle({ type: 'tick' }, last + 31_000).map((a) => a.type)).toContain('closed');
    // Our ack of the StopCCN is the very ZLB xl2tpd sent (tid 46452, Ns 2, Nr 6).
    const lastZlb = sends(out).at(-1)!;
    expect(toHex(lastZlb)).toBe(toHex(fromLns.at(-1)!.bytes));
    expect(out.filter((a) => a.type === 'error')).toEqual([]);
  });

  it('our LAC drives xl2tpd’s LNS replies to the same exchange (SCCCN, ICRQ, ICCN, CDN, StopCCN byte for byte)', () => {
    const lacTid = id(fromLac[0]!).assignedTunnelId!; // 46452
    const lacSid = id(fromLac.find((f) => id(f).typeName === 'ICRQ')!).assignedSessionId!; // 42701
    const f = new TunnelFsm({ hostName: 'lac-plain', ...XL2TPD_LIKE, random: scripted(u16(lacTid), u16(lacSid)) });
    const out: TunnelAction[] = [...f.handle({ type: 'open' }, 0)];
    const sccrp = fromLns[0]!;
    out.push(...f.handle({ type: 'received', bytes: sccrp.bytes }, 1));
    expect(out.find((a) => a.type === 'established')).toMatchObject({ peer: { hostName: 'lns-plain', assignedTunnelId: 49981, vendorName: 'xelerance.com', firmwareRevision: 1680 } });
    out.push(...f.handle({ type: 'received', bytes: fromLns[1]!.bytes }, 2)); // ZLB
    out.push(...f.handle({ type: 'openSession', call: { kind: 'incoming', callSerialNumber: 1, bearerType: 0, txConnectSpeed: 0, framingType: 1, rxConnectSpeed: 0 } }, 3));
    for (const fr of fromLns.slice(2, 5)) out.push(...f.handle({ type: 'received', bytes: fr.bytes }, 4)); // ICRP, ZLB, ZLB
    const up = out.find((a) => a.type === 'session-up');
    expect(up).toMatchObject({ sessionId: lacSid, peerSessionId: 362 });
    out.push(...f.handle({ type: 'closeSession', sessionId: lacSid, result: { result: 1, error: 0 } }, 6));
    out.push(...f.handle({ type: 'received', bytes: fromLns[5]!.bytes }, 7)); // ZLB
    out.push(...f.handle({ type: 'close', result: { result: 1, error: 0, message: 'Server closing' } }, 3011));
    const ours = control(out).map(toHex);
    const xl2tpdLac = fromLac.filter((fr) => fr.bytes.length > 12).map((fr) => toHex(fr.bytes));
    // The SCCRQ differs only in AVP order; everything after it is identical.
    expectSameStart(control(out)[0]!, fromLac[0]!.bytes);
    expect(ours.slice(1)).toEqual(xl2tpdLac.slice(1));
    expect(ours).toHaveLength(6); // SCCRQ, SCCCN, ICRQ, ICCN, CDN, StopCCN
    // The StopCCN is acked by xl2tpd's last ZLB; we linger a full cycle from that ack (the
    // final exchange, §5.8), not from close(), then close.
    out.push(...f.handle({ type: 'received', bytes: fromLns.at(-1)!.bytes }, 3012));
    expect(f.state).toBe('closing');
    expect(f.lingering).toBe(true);
    expect(f.handle({ type: 'tick' }, 3011 + 31_000).map((a) => a.type)).not.toContain('closed');
    const closed = f.handle({ type: 'tick' }, 3012 + 31_000);
    expect(closed.map((a) => a.type)).toContain('closed');
  });
});

describe('replay of xl2tpd’s auth capture (challenge = yes both sides)', () => {
  const frames = loadHex('auth');
  const fromLac = byPort(frames, 17015);
  const fromLns = byPort(frames, 17014);
  const p = (f: HexFrame) => parseControl(f.bytes, { requireAvps: false });

  it('our LAC, given xl2tpd’s LAC challenge, accepts xl2tpd’s SCCRP and sends the very SCCCN xl2tpd sent', () => {
    const rq = p(fromLac[0]!);
    const rq2 = p(fromLac.find((f) => p(f).typeName === 'ICRQ')!);
    const opts: TunnelOptions = { hostName: 'lac-auth', ...XL2TPD_LIKE, secret: TUNNEL_SECRET, random: scripted(u16(rq.assignedTunnelId!), rq.challenge!, u16(rq2.assignedSessionId!)) };
    const f = new TunnelFsm(opts);
    const out = [...f.handle({ type: 'open' }, 0), ...f.handle({ type: 'received', bytes: fromLns[0]!.bytes }, 1)];
    expect(out.find((a) => a.type === 'established')).toMatchObject({ peer: { hostName: 'lns-auth', challenged: true, authenticated: true } });
    const scccn = control(out)[1]!;
    expect(toHex(scccn)).toBe(toHex(fromLac[1]!.bytes));
  });

  it('our LAC refuses the same SCCRP when its own challenge was different: StopCCN 4', () => {
    const rq = p(fromLac[0]!);
    const f = new TunnelFsm({ hostName: 'lac-auth', secret: TUNNEL_SECRET, random: scripted(u16(rq.assignedTunnelId!), new Uint8Array(16).fill(1)) });
    const out = [...f.handle({ type: 'open' }, 0), ...f.handle({ type: 'received', bytes: fromLns[0]!.bytes }, 1)];
    const stop = control(out).map((b) => parseControl(b)).find((m) => m.typeName === 'StopCCN');
    expect(stop?.resultCode).toMatchObject({ result: 4 });
  });

  it('our LNS, given xl2tpd’s LNS challenge, answers with xl2tpd’s Challenge Response and accepts xl2tpd’s SCCCN', () => {
    const rp = p(fromLns[0]!);
    const f = new TunnelFsm({ hostName: 'lns-auth', ...XL2TPD_LIKE, secret: TUNNEL_SECRET, random: scripted(u16(rp.assignedTunnelId!), rp.challenge!, u16(33625)) });
    const out = [...f.handle({ type: 'received', bytes: fromLac[0]!.bytes }, 0)];
    const ourRp = parseControl(control(out)[0]!);
    expect(toHex(ourRp.challengeResponse!)).toBe(toHex(rp.challengeResponse!));
    expectSameStart(control(out)[0]!, fromLns[0]!.bytes);
    out.push(...f.handle({ type: 'received', bytes: fromLac[1]!.bytes }, 2));
    expect(out.find((a) => a.type === 'established')).toMatchObject({ peer: { hostName: 'lac-auth', challenged: true, authenticated: true } });
  });
});
