/**
 * Bearer and Framing Capabilities (RFC 2661 §4.4.3) against the calls we ask for and answer:
 * - §4.4.3 Framing Capabilities: "the types of framing that will be accepted or requested by the
 *   sender": we report (ICCN) or request (OCRQ) no framing the peer left out.
 * - §4.4.3 Bearer Capabilities: "MUST be present if the sender can place outgoing calls when
 *   requested"; §4.4.4/§6.9: an LNS sets only Bearer/Framing Type bits the LAC advertised, and asks
 *   for outgoing calls only from a LAC that sent Bearer Capabilities. So we place outgoing calls
 *   only when we advertised Bearer Capabilities, and refuse an OCRQ outside what we advertised.
 * Bearer Type in an ICRQ (the bearer the call came in on) is not bound by the LNS's capabilities:
 * Bearer Capabilities speak of outgoing calls only.
 */
import type { ControlMessage } from '../wire/control.js';
import { CdnResult, GeneralError } from '../wire/result-codes.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import type { PeerInfo } from './types.js';

/** Framing Type bits this library knows (§4.4.3: 1 synchronous, 2 asynchronous). */
const SYNC = 1;
const ASYNC = 2;

function bits(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * The Framing Type of our ICCN: the caller's, which must be one the peer advertised, or by default
 * synchronous if the peer takes it, else asynchronous. @throws `RangeError` when the peer cannot
 * take it.
 */
export function incomingFraming(peer: PeerInfo | undefined, framingType: number | undefined): number {
  const caps = peer?.framingCapabilities ?? SYNC | ASYNC;
  if (framingType === undefined) {
    if (caps & SYNC) return SYNC;
    if (caps & ASYNC) return ASYNC;
    throw new RangeError('the peer advertised no framing in its Framing Capabilities (0): it cannot take an incoming call (RFC 2661 §4.4.3)');
  }
  if ((framingType & ~caps) !== 0) {
    throw new RangeError(`call.framingType ${bits(framingType)} has bits the peer did not advertise in its Framing Capabilities (${bits(caps)}); pass a framing it offers (RFC 2661 §4.4.3)`);
  }
  return framingType;
}

/**
 * Bearer and Framing Type of our OCRQ. @throws `RangeError` when the peer sent no Bearer
 * Capabilities (it places no outgoing calls, §6.9), or for bits it did not advertise (§4.4.4).
 */
export function outgoingTypes(peer: PeerInfo | undefined, bearerType: number | undefined, framingType: number | undefined): { bearerType: number; framingType: number } {
  const bearerCaps = peer?.bearerCapabilities;
  if (bearerCaps === undefined) {
    throw new RangeError('the peer sent no Bearer Capabilities at tunnel setup, so it places no outgoing calls: an OCRQ may not be sent to it (RFC 2661 §6.9)');
  }
  const bearer = bearerType ?? 0;
  if ((bearer & ~bearerCaps) !== 0) {
    throw new RangeError(`call.bearerType ${bits(bearer)} has bits the peer did not advertise in its Bearer Capabilities (${bits(bearerCaps)}) (RFC 2661 §4.4.4)`);
  }
  const framingCaps = peer?.framingCapabilities ?? SYNC | ASYNC;
  const framing = framingType ?? framingCaps & (SYNC | ASYNC);
  if (framing === 0) throw new RangeError('the peer advertised no framing in its Framing Capabilities (0): it cannot take an outgoing call (RFC 2661 §4.4.3)');
  if ((framing & ~framingCaps) !== 0) {
    throw new RangeError(`call.framingType ${bits(framing)} has bits the peer did not advertise in its Framing Capabilities (${bits(framingCaps)}) (RFC 2661 §4.4.4)`);
  }
  return { bearerType: bearer, framingType: framing };
}

/**
 * Why we refuse the peer's OCRQ, or undefined to place the call: we advertised no Bearer
 * Capabilities (so we place no outgoing calls), or it asks for a bearer or framing we did not
 * advertise. CDN result 5, "lack of appropriate facilities (permanent condition)" (§4.4.2): the
 * request can never be served by this side.
 */
export function ocrqRefusal(m: ControlMessage, ours: { bearerCapabilities: number | undefined; framingCapabilities: number }): ResultCodeValue | undefined {
  // An Error Message rides behind an Error Code (§4.4.2): 0, no general error.
  const refuse = (message: string): ResultCodeValue => ({ result: CdnResult.NoFacilitiesPermanent, error: GeneralError.NoError, message });
  if (ours.bearerCapabilities === undefined) return refuse('we sent no Bearer Capabilities: this side places no outgoing calls (RFC 2661 §6.9)');
  const bearer = m.bearerType ?? 0;
  if ((bearer & ~ours.bearerCapabilities) !== 0) return refuse(`Bearer Type ${bits(bearer)} is outside our Bearer Capabilities ${bits(ours.bearerCapabilities)}`);
  const framing = m.framingType ?? 0;
  if ((framing & ~ours.framingCapabilities) !== 0 || (framing & ours.framingCapabilities & (SYNC | ASYNC)) === 0) {
    return refuse(`Framing Type ${bits(framing)} is outside our Framing Capabilities ${bits(ours.framingCapabilities)}`);
  }
  return undefined;
}
