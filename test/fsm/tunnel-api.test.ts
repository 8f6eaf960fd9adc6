/**
 * TunnelFsm's public face: local misuse of handle()/close()/noteActivity() is a TypeError or
 * RangeError saying what to change (and changes nothing), the getters read the state the RFC
 * 2661 §7.2 machine is in, close() before a Tunnel ID is known frees the tunnel at once, and
 * nothing a peer causes throws out of handle().
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelEvent, type TunnelOptions } from '../../src/fsm/index.js';
import { parseControl } from '../../src/wire/control.js';
import { L2tpError } from '../../src/wire/errors.js';
import { establishedPair, seededRandom } from './harness.js';
import { expectLocalError } from '../support/local-errors.js';

const fsm = (o: Partial<TunnelOptions> = {}, id?: number): TunnelFsm => new TunnelFsm({ hostName: 'lac', random: seededRandom(9), ...o }, id);
const types = (acts: TunnelAction[]): string[] => acts.map((a) => a.type);

/** Deliver every control message `acts` sends to `to`, and its answers back, at `now`. */
function carry(from: TunnelFsm, to: TunnelFsm, acts: TunnelAction[], now = 0): void {
  for (const a of acts) if (a.type === 'send' && (a.bytes[0]! & 0x80) !== 0) carry(to, from, to.handle({ type: 'received', bytes: a.bytes }, now), now);
}

describe('TunnelFsm: local misuse throws the documented error and changes nothing', () => {
  it('the constructor Tunnel ID: 1–65535 for v2, 1–2^32−1 for v3 (RFC 3931 §5.4.3)', () => {
    expectLocalError(() => fsm({}, 0), RangeError, 'localTunnelId must be an integer from 1 to 65535, got 0');
    expectLocalError(() => fsm({}, 0x10000), RangeError, 'localTunnelId must be an integer from 1 to 65535, got 65536');
    expectLocalError(() => fsm({ version: 3 }, 0), RangeError, 'localTunnelId must be an integer from 1 to 4294967295, got 0');
    expect(fsm({ version: 3 }, 0x10000).localTunnelId).toBe(0x10000);
    expect(fsm({}, 0xffff).localTunnelId).toBe(0xffff);
  });

  it('version reads options.version', () => {
    expect(fsm().version).toBe(2);
    expect(fsm({ version: 3 }).version).toBe(3);
  });

  it('handle() refuses a bad now or event', () => {
    const f = fsm();
    expectLocalError(() => f.handle({ type: 'open' }, NaN), RangeError, 'now must be a finite number of milliseconds, got NaN');
    expectLocalError(() => f.handle({ type: 'open' }, Infinity), RangeError, 'now must be a finite number of milliseconds, got Infinity');
    expectLocalError(() => f.handle({ type: 'open' }, '5' as unknown as number), RangeError, 'now must be a finite number of milliseconds, got 5');
    expectLocalError(() => f.handle(null as unknown as TunnelEvent, 0), TypeError, 'event must be an object with a type, got null');
    expectLocalError(() => f.handle('open' as unknown as TunnelEvent, 0), TypeError, 'event must be an object with a type, got string');
    expectLocalError(() => f.handle({ type: 'bogus' } as unknown as TunnelEvent, 0), TypeError, 'unknown event type bogus');
    expectLocalError(() => f.handle({ type: 'received', bytes: 'x' } as unknown as TunnelEvent, 0), TypeError, 'event.bytes must be a Uint8Array, got string');
    expect(f.state).toBe('idle');
  });

  it('commands that need an established tunnel name themselves', () => {
    const f = fsm();
    const cases: Array<[TunnelEvent, string]> = [
      [{ type: 'hello' }, 'hello'],
      [{ type: 'openSession', call: { kind: 'incoming' } }, 'openSession'],
      [{ type: 'sendFrame', sessionId: 1, frame: new Uint8Array(2) }, 'sendFrame'],
      [{ type: 'sendWen', sessionId: 1, callErrors: { crcErrors: 0, framingErrors: 0, hardwareOverruns: 0, bufferOverruns: 0, timeoutErrors: 0, alignmentErrors: 0 } }, 'sendWen'],
      [{ type: 'sendSli', sessionId: 1, accm: { send: 0, receive: 0 } } as unknown as TunnelEvent, 'sendSli'],
    ];
    for (const [event, what] of cases) expectLocalError(() => f.handle(event, 0), TypeError, `${what}: the tunnel is idle; wait for the established action`);
  });

  it('close() refuses a result that is not a Result Code value, null included (left out, it is the default)', () => {
    const f = fsm();
    const msg = 'close: result must be a Result Code value { result, error?, message? }, or left out for the default';
    expectLocalError(() => f.handle({ type: 'close', result: 5 as never }, 0), TypeError, msg);
    expectLocalError(() => f.handle({ type: 'close', result: 'x' as never }, 0), TypeError, msg);
    expectLocalError(() => f.handle({ type: 'close', result: null as never }, 0), TypeError, msg);
    expectLocalError(() => f.handle({ type: 'close', result: { result: -1 } }, 0), RangeError, 'close: result.result must be an integer from 0 to 65535, got -1');
    expect(f.state).toBe('idle');
  });

  it('closeSession refuses the same before anything is sent; left out, the CDN says 3 (administrative, RFC 2661 §4.4.2)', () => {
    const { lns } = establishedPair();
    const id = (lns.handle({ type: 'openSession', call: { kind: 'incoming' } }, 1).find((a) => a.type === 'session-opening') as { sessionId: number }).sessionId;
    const msg = 'closeSession: result must be a Result Code value { result, error?, message? }, or left out for the default';
    expectLocalError(() => lns.handle({ type: 'closeSession', sessionId: id, result: null as never }, 2), TypeError, msg);
    expectLocalError(() => lns.handle({ type: 'closeSession', sessionId: id, result: 7 as never }, 2), TypeError, msg);
    expectLocalError(() => lns.handle({ type: 'closeSession', sessionId: id, result: { result: 0x10000 } }, 2), RangeError, 'closeSession: result.result must be an integer from 0 to 65535, got 65536');
    expect(lns.sessionState(id)).toBe('wait-reply');
    const acts = lns.handle({ type: 'closeSession', sessionId: id }, 3);
    const cdn = acts.flatMap((a) => (a.type === 'send' ? [parseControl(a.bytes, { requireAvps: false })] : [])).find((m) => m.typeName === 'CDN');
    expect(cdn?.resultCode).toEqual({ result: 3 });
  });

  it('noteActivity() refuses a bad now', () => {
    expectLocalError(() => fsm().noteActivity(NaN), RangeError, 'now must be a finite number of milliseconds, got NaN');
  });
});

describe('TunnelFsm getters follow the RFC 2661 §7.2 states', () => {
  it('with no session table yet: no sessions, and no state, counters or pseudowire for any ID', () => {
    const f = fsm();
    expect(f.sessionCount).toBe(0);
    expect(f.sessionState(1)).toBeUndefined();
    expect(f.dataStats(1)).toBeUndefined();
    expect(f.pseudowire(1)).toBeUndefined();
  });

  it('peerInfo: known while established and closing, gone once closed', () => {
    const { lac, lns } = establishedPair({ vendorName: 'acme' });
    expect(lac.peerInfo).toMatchObject({ hostName: 'lns', vendorName: 'acme' });
    const stop = lac.handle({ type: 'close' }, 0);
    expect(lac.state).toBe('closing');
    expect(lac.peerInfo).toMatchObject({ hostName: 'lns' });
    carry(lac, lns, stop);
    lac.handle({ type: 'tick' }, 10 * 60_000);
    expect(lac.state).toBe('closed');
    expect(lac.peerInfo).toBeUndefined();
  });

  it('lingering: only in closing with nothing of ours unacknowledged (RFC 2661 §5.8)', () => {
    // The LNS offers a receive window of 1 (§5.8), so the LAC can have one message out at a time.
    const { lac, lns } = establishedPair({ sequencer: { receiveWindow: 1 } });
    expect(lac.lingering).toBe(false); // established, nothing in flight
    const hello = lac.handle({ type: 'hello' }, 0); // in flight, unacked
    const stop = lac.handle({ type: 'close' }, 0); // queued behind it: the window is full
    expect(types(stop)).toEqual(['stopped']);
    expect(lac.state).toBe('closing');
    expect(lac.lingering).toBe(false); // one in flight, one queued
    // The HELLO's ack opens the window; the StopCCN goes out and the LNS acks it (carry follows
    // every answer): nothing of ours is left unacknowledged, the LAC only acks the peer now.
    carry(lac, lns, hello);
    expect(lac.state).toBe('closing');
    expect(lac.lingering).toBe(true);
  });

  it('noteActivity() moves the HELLO deadline forward only (RFC 2661 §6.5), and only while established', () => {
    const { lac } = establishedPair({}, { helloInterval: 60_000 });
    expect(lac.nextDeadline()).toBe(60_000);
    lac.noteActivity(30_000);
    expect(lac.nextDeadline()).toBe(90_000);
    lac.noteActivity(10_000); // an older arrival: the last message heard is still the later one
    expect(lac.nextDeadline()).toBe(90_000);
  });
});

describe('close() before the peer knows us, and after', () => {
  it('idle or waiting for the SCCRP: freed at once, no StopCCN (no peer Tunnel ID to send it to)', () => {
    const idle = fsm();
    expect(idle.handle({ type: 'close', result: { result: 6 } }, 0)).toEqual([{ type: 'stopped', by: 'local', result: { result: 6 } }, { type: 'closed' }]);
    expect(idle.state).toBe('closed');
    const waiting = fsm();
    waiting.handle({ type: 'open' }, 0);
    expect(waiting.state).toBe('wait-ctl-reply');
    expect(waiting.handle({ type: 'close' }, 1)).toEqual([{ type: 'stopped', by: 'local', result: { result: 1 } }, { type: 'closed' }]);
    expect(waiting.state).toBe('closed');
    expect(waiting.nextDeadline()).toBeUndefined();
  });

  it('a second close() while closing, or once closed, does nothing', () => {
    const { lac, lns } = establishedPair();
    const stop = lac.handle({ type: 'close' }, 0);
    expect(types(stop)).toEqual(['stopped', 'send']);
    expect(lac.handle({ type: 'close' }, 1)).toEqual([]);
    expect(lac.state).toBe('closing');
    carry(lac, lns, stop);
    lac.handle({ type: 'tick' }, 10 * 60_000);
    expect(lac.state).toBe('closed');
    expect(lac.handle({ type: 'close' }, 10 * 60_000 + 1)).toEqual([]);
  });
});

describe('nothing a peer causes throws out of handle()', () => {
  it('a throwing sessionIdTaken while an ICRQ is handled becomes an error action (PROTOCOL, with the cause)', () => {
    const boom = new Error('boom');
    const { lac, lns } = establishedPair({
      sessionIdTaken: () => {
        throw boom;
      },
    });
    const [icrq] = lac.handle({ type: 'openSession', call: { kind: 'incoming' } }, 0).filter((a) => a.type === 'send');
    const acts = lns.handle({ type: 'received', bytes: (icrq as { bytes: Uint8Array }).bytes }, 0);
    const errors = acts.filter((a): a is Extract<TunnelAction, { type: 'error' }> => a.type === 'error');
    expect(errors).toHaveLength(1);
    const e = errors[0]!.error;
    expect(e).toBeInstanceOf(L2tpError);
    expect({ code: e.code, message: e.message, cause: e.cause }).toEqual({ code: 'PROTOCOL', message: 'internal error while handling a received message: Error: boom', cause: boom });
    expect(lns.state).toBe('established');
  });
});
