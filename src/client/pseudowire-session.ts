/**
 * The data plane of an L2TPv3 session in a driver (RFC 3931 §4.1.2.1, §4.5, §4.6): telling data
 * datagrams from control ones on the shared UDP transport, finding the session a data message
 * names, and the {@link Pseudowire} built from what both LCCEs said at session setup. The client
 * and the LNS share it.
 * @module
 */
import { pseudowireOptions, type PseudowireTuning } from '../fsm/pseudowire-avps.js';
import { Pseudowire, type PseudowireReceipt } from '../fsm/pseudowire.js';
import type { PseudowireInfo } from '../fsm/types.js';

/**
 * Whether `bytes` is an L2TPv3 data message over UDP (RFC 3931 §4.1.2.1): the first word has
 * the T bit clear and Ver 3, and a Session ID follows. Control messages set T (§3.2.1). (Over
 * IP, §4.1.1, a data message would instead start with its non-zero Session ID; we speak UDP.)
 * @example
 * ```ts
 * if (isV3DataMessage(datagram)) routeToSession(v3DataSessionId(datagram));
 * ```
 */
export function isV3DataMessage(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && (bytes[0]! & 0x80) === 0 && (bytes[1]! & 0x0f) === 3;
}

/**
 * The Session ID of a v3 data message over UDP: the 32 bits after the first word (§4.1.2.1).
 * Call only after {@link isV3DataMessage}.
 * @example
 * ```ts
 * const id = v3DataSessionId(datagram); // the receiver's Local Session ID
 * ```
 */
export function v3DataSessionId(bytes: Uint8Array): number {
  return ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;
}

/**
 * The {@link Pseudowire} of a session from the `pseudowire` fields the control plane reports:
 * our side's AVPs (Local Session ID, the cookie we assigned, the sublayer and sequencing we
 * require) and the peer's, through {@link pseudowireOptions} (§5.4.4: each AVP says what its
 * sender needs on the data it receives).
 * @throws {@link L2tpError} `PROTOCOL` when the peer's values make no pseudowire we can run.
 * @example
 * ```ts
 * const pw = pseudowireOf(session.pseudowire!);
 * transport.send(pw.send(ethernetFrame));
 * ```
 */
export function pseudowireOf(info: PseudowireInfo, tuning: PseudowireTuning = {}): Pseudowire {
  const ours = {
    localSessionId: info.localSessionId,
    assignedCookie: info.localCookie,
    l2SpecificSublayer: info.localL2SpecificSublayer,
    dataSequencing: info.localDataSequencing,
    pseudowireType: info.pseudowireType,
  };
  const theirs = {
    localSessionId: info.remoteSessionId,
    assignedCookie: info.remoteCookie,
    l2SpecificSublayer: info.remoteL2SpecificSublayer,
    dataSequencing: info.remoteDataSequencing,
    pseudowireType: info.pseudowireType,
  };
  return new Pseudowire(pseudowireOptions(ours, theirs, tuning));
}

/**
 * Whether a data message came from the peer, as far as the data plane can tell: it named the
 * session and carried the cookie we assigned (RFC 3931 §4.5), even if it was then dropped as a
 * duplicate, old or a runt. Such a message restarts the control connection's Hello timer, which
 * runs "without receiving any message (data or control) from the peer" (§4.4). A wrong Session
 * ID or cookie does not: anyone could send that.
 * @example
 * ```ts
 * const r = pw.receive(datagram);
 * if (heardFromPeer(r)) fsm.noteActivity(now);
 * ```
 */
export function heardFromPeer(r: PseudowireReceipt | undefined): boolean {
  if (r === undefined) return false;
  return r.ok || (r.drop !== 'malformed' && r.drop !== 'session' && r.drop !== 'cookie');
}
