/**
 * Whole valid exchanges between a LAC and an LNS (RFC 2661 §5.1, §5.2, §5.7, §5.8): control
 * connection set-up, an incoming call, data both ways, Call-Disconnect-Notify and
 * Stop-Control-Connection-Notification, each acknowledged, with consistent Tunnel and Session IDs
 * and Ns/Nr on both sides. With a secret, the challenge/response of §5.1.1 is done right.
 */
import fc from 'fast-check';
import { cdn, iccn, icrp, icrq, sccrp, sccrq, scccn, stopccn, zlb } from '../wire/builders.js';
import { challengeResponse, type TunnelSecret } from '../wire/challenge.js';
import { encodeData } from '../wire/data.js';
import { MessageType } from '../wire/message-catalog.js';
import { bytesArb, utf8StringArb } from './values.js';

/** Which way a message goes. */
export type Direction = 'lac-to-lns' | 'lns-to-lac';

/** One datagram of an exchange. */
export interface ExchangeMessage {
  readonly direction: Direction;
  /** `'SCCRQ'`, …, `'ZLB'`, or `'DATA'`. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A generated exchange: the IDs each side assigned, and the datagrams in order. */
export interface Exchange {
  /** The Tunnel ID the LAC assigned (the LNS writes it in its headers). */
  readonly lacTunnelId: number;
  readonly lnsTunnelId: number;
  /** The Session ID the LAC assigned (Assigned Session ID of the ICRQ). */
  readonly lacSessionId: number;
  readonly lnsSessionId: number;
  readonly secret: TunnelSecret | undefined;
  readonly messages: readonly ExchangeMessage[];
}

/** Options of {@link exchangeArb}. */
export interface ExchangeOptions {
  /** Both sides challenge each other with this secret (RFC 2661 §5.1.1). Default: no challenge. */
  secret?: TunnelSecret;
  /** Most data messages each way. Default 2. */
  maxFrames?: number;
}

const id16 = fc.integer({ min: 1, max: 0xffff });

/**
 * A whole valid exchange: SCCRQ, SCCRP, SCCCN, ZLB, ICRQ, ICRP, ICCN, ZLB, data both ways, CDN
 * and its ZLB, StopCCN and its ZLB. The CDN and the StopCCN come from either side.
 * @example
 * ```ts
 * fc.assert(fc.property(exchangeArb(), (x) => x.messages[0]!.name === 'SCCRQ'));
 * ```
 */
export function exchangeArb(options: ExchangeOptions = {}): fc.Arbitrary<Exchange> {
  const secret = options.secret;
  const frames = fc.array(bytesArb(1, 64), { maxLength: options.maxFrames ?? 2 });
  return fc
    .record({
      lacTunnelId: id16,
      lnsTunnelId: id16,
      lacSessionId: id16,
      lnsSessionId: id16,
      lacHost: utf8StringArb(1, 32),
      lnsHost: utf8StringArb(1, 32),
      callSerialNumber: fc.integer({ min: 0, max: 0xffffffff }),
      txConnectSpeed: fc.integer({ min: 0, max: 0xffffffff }),
      framingType: fc.constantFrom(1, 2, 3),
      lacChallenge: bytesArb(1, 64),
      lnsChallenge: bytesArb(1, 64),
      lacFrames: frames,
      lnsFrames: frames,
      cdnFromLac: fc.boolean(),
      stopFromLac: fc.boolean(),
      cdnResult: fc.integer({ min: 1, max: 11 }),
      stopResult: fc.integer({ min: 1, max: 7 }),
    })
    .map((r) => {
      const messages: ExchangeMessage[] = [];
      // Next Ns each side sends, and next Ns each side expects (its Nr).
      const ns = { lac: 0, lns: 0 };
      const nr = { lac: 0, lns: 0 };
      const peerTunnel = { lac: r.lnsTunnelId, lns: r.lacTunnelId };
      const other = { lac: 'lns', lns: 'lac' } as const;
      const dir = (from: 'lac' | 'lns'): Direction => (from === 'lac' ? 'lac-to-lns' : 'lns-to-lac');
      /** Send a control message: stamps Ns/Nr, counts it at the receiver. */
      const control = (from: 'lac' | 'lns', name: string, build: (h: { ns: number; nr: number }) => Uint8Array): void => {
        messages.push({ direction: dir(from), name, bytes: build({ ns: ns[from], nr: nr[from] }).slice() });
        ns[from]++;
        nr[other[from]]++;
      };
      const ack = (from: 'lac' | 'lns', sessionId = 0): void => {
        messages.push({ direction: dir(from), name: 'ZLB', bytes: zlb({ tunnelId: peerTunnel[from], sessionId, ns: ns[from], nr: nr[from] }).slice() });
      };
      const lacChallenge = secret === undefined ? undefined : r.lacChallenge;
      const lnsChallenge = secret === undefined ? undefined : r.lnsChallenge;

      control('lac', 'SCCRQ', (h) => sccrq({ ...h, tunnelId: 0, hostName: r.lacHost, assignedTunnelId: r.lacTunnelId, challenge: lacChallenge }));
      control('lns', 'SCCRP', (h) =>
        sccrp({
          ...h,
          tunnelId: r.lacTunnelId,
          hostName: r.lnsHost,
          assignedTunnelId: r.lnsTunnelId,
          challenge: lnsChallenge,
          challengeResponse: lacChallenge && challengeResponse(MessageType.SCCRP, secret!, lacChallenge),
        }),
      );
      control('lac', 'SCCCN', (h) =>
        scccn({ ...h, tunnelId: r.lnsTunnelId, challengeResponse: lnsChallenge && challengeResponse(MessageType.SCCCN, secret!, lnsChallenge) }),
      );
      ack('lns');
      control('lac', 'ICRQ', (h) => icrq({ ...h, tunnelId: r.lnsTunnelId, sessionId: 0, assignedSessionId: r.lacSessionId, callSerialNumber: r.callSerialNumber }));
      control('lns', 'ICRP', (h) => icrp({ ...h, tunnelId: r.lacTunnelId, sessionId: r.lacSessionId, assignedSessionId: r.lnsSessionId }));
      control('lac', 'ICCN', (h) => iccn({ ...h, tunnelId: r.lnsTunnelId, sessionId: r.lnsSessionId, txConnectSpeed: r.txConnectSpeed, framingType: r.framingType }));
      ack('lns', r.lacSessionId);
      for (const f of r.lacFrames) messages.push({ direction: 'lac-to-lns', name: 'DATA', bytes: encodeData({ tunnelId: r.lnsTunnelId, sessionId: r.lnsSessionId, payload: f }) });
      for (const f of r.lnsFrames) messages.push({ direction: 'lns-to-lac', name: 'DATA', bytes: encodeData({ tunnelId: r.lacTunnelId, sessionId: r.lacSessionId, payload: f }) });
      const cdnFrom = r.cdnFromLac ? 'lac' : 'lns';
      const peerSession = { lac: r.lnsSessionId, lns: r.lacSessionId };
      const ownSession = { lac: r.lacSessionId, lns: r.lnsSessionId };
      control(cdnFrom, 'CDN', (h) =>
        cdn({ ...h, tunnelId: peerTunnel[cdnFrom], sessionId: peerSession[cdnFrom], assignedSessionId: ownSession[cdnFrom], resultCode: { result: r.cdnResult } }),
      );
      ack(other[cdnFrom]);
      const stopFrom = r.stopFromLac ? 'lac' : 'lns';
      const ownTunnel = { lac: r.lacTunnelId, lns: r.lnsTunnelId };
      control(stopFrom, 'StopCCN', (h) =>
        stopccn({ ...h, tunnelId: peerTunnel[stopFrom], assignedTunnelId: ownTunnel[stopFrom], resultCode: { result: r.stopResult } }),
      );
      ack(other[stopFrom]);
      return {
        lacTunnelId: r.lacTunnelId,
        lnsTunnelId: r.lnsTunnelId,
        lacSessionId: r.lacSessionId,
        lnsSessionId: r.lnsSessionId,
        secret,
        messages,
      };
    });
}
