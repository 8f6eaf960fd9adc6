/**
 * Builder misuse is local (a TypeError saying what to change), and the message names the RFC 2661
 * §6 abbreviation of the builder's message: each builder is checked with a non-object, with null,
 * and without its first required field (RFC 2661 §6.1–§6.14; the ZLB of §5.8 has none).
 */
import { describe, it } from 'vitest';
import { cdn, hello, iccn, icrp, icrq, occn, ocrp, ocrq, sccrp, sccrq, scccn, sli, stopccn, wen, zlb } from '../../src/index.js';
import { expectLocalError } from '../support/local-errors.js';

type AnyBuilder = (opts: unknown) => Uint8Array;

/** The RFC 2661 abbreviation, the builder, the first AVP field RFC 2661 §6 makes it carry (or none). */
const CASES: readonly (readonly [string, AnyBuilder, string | undefined])[] = [
  ['SCCRQ', sccrq as AnyBuilder, 'hostName'], // §6.1: Host Name, Assigned Tunnel ID
  ['SCCRP', sccrp as AnyBuilder, 'hostName'], // §6.2
  ['SCCCN', scccn as AnyBuilder, undefined], // §6.3: Message Type only
  ['StopCCN', stopccn as AnyBuilder, 'assignedTunnelId'], // §6.4: Assigned Tunnel ID, Result Code
  ['HELLO', hello as AnyBuilder, undefined], // §6.5: Message Type only
  ['ICRQ', icrq as AnyBuilder, 'assignedSessionId'], // §6.6: Assigned Session ID, Call Serial Number
  ['ICRP', icrp as AnyBuilder, 'assignedSessionId'], // §6.7
  ['ICCN', iccn as AnyBuilder, 'txConnectSpeed'], // §6.8: (Tx) Connect Speed, Framing Type
  ['OCRQ', ocrq as AnyBuilder, 'assignedSessionId'], // §6.9
  ['OCRP', ocrp as AnyBuilder, 'assignedSessionId'], // §6.10
  ['OCCN', occn as AnyBuilder, 'txConnectSpeed'], // §6.11
  ['CDN', cdn as AnyBuilder, 'resultCode'], // §6.12: Result Code, Assigned Session ID
  ['WEN', wen as AnyBuilder, 'callErrors'], // §6.13
  ['SLI', sli as AnyBuilder, 'accm'], // §6.14
  ['ZLB', zlb as AnyBuilder, undefined], // §5.8: header only
];

describe('builder options that are not an object are a TypeError naming the message', () => {
  it.each(CASES)('%s: null, a number, a string', (name, build) => {
    expectLocalError(() => build(null), TypeError, `${name} options must be an object, got null`);
    expectLocalError(() => build(42), TypeError, `${name} options must be an object, got number`);
    expectLocalError(() => build('hello'), TypeError, `${name} options must be an object, got string`);
  });
});

describe('a missing required field is a TypeError naming the message and the field', () => {
  it.each(CASES.filter((c) => c[2] !== undefined))('%s without %s', (name, build, key) => {
    expectLocalError(() => build({}), TypeError, `${name} requires '${key}' (RFC 2661 §6)`);
  });
});

it('`type` and `avps` are refused with a pointer to encodeControl()', () => {
  const text = "builder options take neither 'type' nor 'avps': use encodeControl() for that";
  expectLocalError(() => hello({ type: 6 } as never), TypeError, text);
  expectLocalError(() => scccn({ avps: [] } as never), TypeError, text);
});
