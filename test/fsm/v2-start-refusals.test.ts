/**
 * The L2TPv2 initiator checks the SCCRP (RFC 2661 §6.2, §4.4.3, §5.1.1): a wrong Protocol
 * Version is StopCCN result 5 with the highest version we support (§4.4.2), a missing or reserved
 * required value StopCCN result 2, a failed or impossible challenge result 4; each with a
 * message naming what was wrong. SCCRPs are crafted by hand with what the case needs.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction } from '../../src/fsm/index.js';
import { encodeControl, parseControl, type ControlMessage } from '../../src/wire/control.js';
import { MessageType } from '../../src/wire/message-catalog.js';
import { avpOffsets } from '../support/arbitraries.js';
import { seededRandom } from './harness.js';

const SECRET = 'v2 secret';
/** Stands for an Assigned Tunnel ID of 0 in `sccrpFor`. */
const ZERO = Symbol('0');

/** A LAC that sent its SCCRQ: the SCCRP it waits for, and what it sent (challenge included). */
function waitingLac(secret?: string): { lac: TunnelFsm; sccrq: ControlMessage } {
  const lac = new TunnelFsm({ hostName: 'lac', random: seededRandom(21), secret });
  const [a] = lac.handle({ type: 'open' }, 0);
  return { lac, sccrq: parseControl((a as { bytes: Uint8Array }).bytes) };
}

/** An SCCRP for `lac` (Ns 0, acking its SCCRQ) with the RFC's required AVPs, then `fields` over them. */
function sccrpFor(lac: TunnelFsm, fields: Record<string, unknown>): Uint8Array {
  const all: Record<string, unknown> = { type: MessageType.SCCRP, tunnelId: lac.localTunnelId, sessionId: 0, ns: 0, nr: 1, protocolVersion: { version: 1, revision: 0 }, hostName: 'lns', assignedTunnelId: 77, framingCapabilities: 3, ...fields };
  for (const k of Object.keys(all)) if (all[k] === undefined) delete all[k];
  const zero = all.assignedTunnelId === ZERO;
  if (zero) all.assignedTunnelId = 1;
  const b = encodeControl(all as unknown as ControlMessage);
  // The encoder refuses the reserved 0 (a local error), so a peer's 0 is written over the 1.
  if (zero) for (const o of avpOffsets(b)) if (b[o + 5] === 9) b[o + 7] = 0;
  return b;
}

/** Feed the SCCRP; the StopCCN's Result Code and the `stopped` error's code. */
function refusal(lac: TunnelFsm, bytes: Uint8Array): { result: unknown; code: string | undefined } {
  const acts = lac.handle({ type: 'received', bytes }, 10);
  const stop = acts.flatMap((a) => (a.type === 'send' && (a.bytes[0]! & 0x80) !== 0 ? [parseControl(a.bytes, { requireAvps: false })] : [])).find((m) => m.typeName === 'StopCCN');
  const stopped = acts.find((a): a is Extract<TunnelAction, { type: 'stopped' }> => a.type === 'stopped');
  expect(lac.state).toBe('closing');
  return { result: stop?.resultCode, code: stopped?.error?.code };
}

describe('SCCRP Protocol Version (RFC 2661 §4.4.3): only 1.0; otherwise StopCCN 5 with 0x0100', () => {
  const cases: Array<[string, { version: number; revision: number } | undefined, string]> = [
    ['none', undefined, 'no Protocol Version AVP; only 1.0 (RFC 2661) is supported'],
    ['2.0', { version: 2, revision: 0 }, 'protocol version 2.0; only 1.0 (RFC 2661) is supported'],
    ['1.1', { version: 1, revision: 1 }, 'protocol version 1.1; only 1.0 (RFC 2661) is supported'],
  ];
  it.each(cases)('%s', (_name, protocolVersion, message) => {
    const { lac } = waitingLac();
    expect(refusal(lac, sccrpFor(lac, { protocolVersion }))).toMatchObject({ result: { result: 5, error: 0x0100, message } });
  });
});

describe('SCCRP required values (RFC 2661 §6.2, §4.4.3): StopCCN 2 naming the problem', () => {
  const cases: Array<[string, Record<string, unknown>, unknown, string]> = [
    ['no Assigned Tunnel ID', { assignedTunnelId: undefined }, { result: 2, error: 6, message: 'SCCRP without Assigned Tunnel ID' }, 'MISSING_AVP'],
    ['Assigned Tunnel ID 0', { assignedTunnelId: ZERO }, { result: 2, error: 3, message: 'SCCRP with Assigned Tunnel ID 0, which RFC 2661 §4.4.3 reserves' }, 'PROTOCOL'],
    ['no Host Name', { hostName: undefined }, { result: 2, error: 6, message: 'SCCRP without Host Name' }, 'MISSING_AVP'],
    ['no Framing Capabilities', { framingCapabilities: undefined }, { result: 2, error: 6, message: 'SCCRP without Framing Capabilities' }, 'MISSING_AVP'],
    ['Receive Window Size 0', { receiveWindowSize: 0 }, { result: 2, error: 3, message: 'Receive Window Size 0 (RFC 2661 §5.8)' }, 'PROTOCOL'],
  ];
  it.each(cases)('%s', (_name, fields, result, code) => {
    const { lac } = waitingLac();
    expect(refusal(lac, sccrpFor(lac, fields))).toEqual({ result, code });
  });
});

describe('SCCRP challenge (RFC 2661 §5.1.1, §4.4.3): StopCCN 4, AUTH_FAILED', () => {
  it('we challenged, and the SCCRP has no Challenge Response', () => {
    const { lac } = waitingLac(SECRET);
    expect(refusal(lac, sccrpFor(lac, {}))).toEqual({ result: { result: 4, error: 0, message: 'SCCRP with no Challenge Response (RFC 2661 §5.1.1)' }, code: 'AUTH_FAILED' });
  });

  it('we challenged, and the SCCRP answers with the wrong response', () => {
    const { lac, sccrq } = waitingLac(SECRET);
    expect(sccrq.challenge).toBeDefined();
    const bytes = sccrpFor(lac, { challengeResponse: new Uint8Array(16) });
    expect(refusal(lac, bytes)).toEqual({ result: { result: 4, error: 0, message: 'SCCRP with a wrong Challenge Response (RFC 2661 §5.1.1)' }, code: 'AUTH_FAILED' });
  });

  it('the peer challenges us and we have no secret to answer with', () => {
    const { lac } = waitingLac();
    expect(refusal(lac, sccrpFor(lac, { challenge: new Uint8Array(16).fill(7) }))).toEqual({
      result: { result: 4, error: 0, message: 'challenged, but no tunnel secret is configured here' },
      code: 'AUTH_FAILED',
    });
  });
});

describe('peerInfo holds what the SCCRP said, and only that', () => {
  it('Firmware Revision and Bearer Capabilities: present when sent, absent (no key) when not', () => {
    const sentAll = waitingLac();
    sentAll.lac.handle({ type: 'received', bytes: sccrpFor(sentAll.lac, { firmwareRevision: 0x0203, bearerCapabilities: 2, framingCapabilities: 1 }) }, 10);
    expect(sentAll.lac.state).toBe('established');
    expect(sentAll.lac.peerInfo).toMatchObject({ firmwareRevision: 0x0203, bearerCapabilities: 2, framingCapabilities: 1, protocolVersion: { version: 1, revision: 0 } });
    const bare = waitingLac();
    bare.lac.handle({ type: 'received', bytes: sccrpFor(bare.lac, {}) }, 10);
    expect(bare.lac.state).toBe('established');
    const keys = Object.keys(bare.lac.peerInfo!);
    expect(keys).not.toContain('firmwareRevision');
    expect(keys).not.toContain('bearerCapabilities');
    expect(bare.lac.peerInfo!.framingCapabilities).toBe(3);
  });
});
