/**
 * The vocabulary of the tunnel state machine: events in, actions out (sans-I/O, like h11).
 * Everything here is plain data, so a driver can log, queue or serialise it.
 */
import type { L2tpError } from '../wire/errors.js';
import type { AccmValue, CallErrorsValue, ProtocolVersionValue, Q931CauseValue, ResultCodeValue } from '../wire/value-codecs.js';

/** Control-connection states (RFC 2661 §7.2.1), plus `closing` (StopCCN sent, lingering §5.8) and `closed`. */
export type TunnelState = 'idle' | 'wait-ctl-reply' | 'wait-ctl-conn' | 'established' | 'closing' | 'closed';

/** Session states (RFC 2661 §7.4, §7.5), plus `idle` and `closed` as the ends of the table. */
export type SessionState = 'idle' | 'wait-reply' | 'wait-connect' | 'established' | 'closed';

/** Which side opened the control connection: derived from the first event (`open` or a received SCCRQ). */
export type TunnelRole = 'initiator' | 'responder';

/**
 * An incoming call (RFC 2661 §7.4): we act as the LAC for it and send ICRQ, the peer answers with
 * ICRP and we complete with ICCN.
 */
export interface IncomingCallOptions {
  readonly kind: 'incoming';
  /** Call Serial Number (§4.4.4). Default: a per-tunnel counter starting at 1. */
  readonly callSerialNumber?: number;
  /** Bearer Type bits (§4.4.4; 1 digital, 2 analog). Omitted by default. */
  readonly bearerType?: number;
  readonly physicalChannelId?: number;
  readonly callingNumber?: string;
  readonly calledNumber?: string;
  readonly subAddress?: string;
  /** (Tx) Connect Speed for the ICCN, bits per second. Default 10 000 000. */
  readonly txConnectSpeed?: number;
  /** Rx Connect Speed for the ICCN (optional). */
  readonly rxConnectSpeed?: number;
  /** Framing Type for the ICCN (1 sync, 2 async). Default 1 (sync), as xl2tpd sends. */
  readonly framingType?: number;
}

/**
 * An outgoing call (RFC 2661 §7.5): we act as the LNS for it and send OCRQ; the peer (LAC)
 * answers with OCRP, places the call, then sends OCCN.
 */
export interface OutgoingCallOptions {
  readonly kind: 'outgoing';
  /** Called Number (§4.4.5): required by OCRQ. */
  readonly calledNumber: string;
  readonly callSerialNumber?: number;
  /** Default 0. */
  readonly minimumBps?: number;
  /** Default 100 000 000. */
  readonly maximumBps?: number;
  /** Default 0 (no bearer preference). */
  readonly bearerType?: number;
  /** Default 3 (sync or async). */
  readonly framingType?: number;
  readonly subAddress?: string;
}

/** What {@link TunnelEvent} `openSession` takes. */
export type CallOptions = IncomingCallOptions | OutgoingCallOptions;

/** Events the driver feeds into {@link TunnelFsm.handle}. */
export type TunnelEvent =
  /** Become the initiator: send SCCRQ (RFC 2661 §7.2.1 "Local Open request"). */
  | { readonly type: 'open' }
  /** One whole received L2TP message (control or data) addressed to this tunnel. */
  | { readonly type: 'received'; readonly bytes: Uint8Array }
  /** Time passed: call at {@link TunnelFsm.nextDeadline} (other times are harmless). */
  | { readonly type: 'tick' }
  /** Tear the control connection down with a StopCCN (§5.7). Default result 1 (general request). */
  | { readonly type: 'close'; readonly result?: ResultCodeValue }
  /** Send a HELLO now (§6.5), e.g. to probe liveness. */
  | { readonly type: 'hello' }
  /** Start a call; the first action is `session-opening` with the new local Session ID. */
  | { readonly type: 'openSession'; readonly call: CallOptions }
  /** Hang a call up with a CDN (§6.12). Default result 3 (administrative). */
  | { readonly type: 'closeSession'; readonly sessionId: number; readonly result?: ResultCodeValue; readonly cause?: Q931CauseValue }
  /** Send one PPP frame on an established session as a data message. */
  | { readonly type: 'sendFrame'; readonly sessionId: number; readonly frame: Uint8Array }
  /** Send a WAN-Error-Notify (§6.13; LAC → LNS) on an established session. */
  | { readonly type: 'sendWen'; readonly sessionId: number; readonly callErrors: CallErrorsValue }
  /** Send a Set-Link-Info (§6.14; LNS → LAC) on an established session. */
  | { readonly type: 'sendSli'; readonly sessionId: number; readonly accm: AccmValue };

/** What we learnt about the peer when the control connection came up (SCCRQ or SCCRP). */
export interface PeerInfo {
  /** 2 (RFC 2661) or 3 (RFC 3931): the version of the control connection. */
  readonly version: 2 | 3;
  /** Our own Tunnel ID (v3: Control Connection ID): the peer puts it in its headers. */
  readonly localTunnelId: number;
  /** The peer's Assigned Tunnel ID (v3: Assigned Control Connection ID): we put it in our headers. */
  readonly assignedTunnelId: number;
  /** v3: the peer's Assigned Control Connection ID (RFC 3931 §5.4.3), the same number as `assignedTunnelId`. */
  readonly assignedControlConnectionId?: number;
  readonly role: TunnelRole;
  readonly hostName: string;
  readonly vendorName?: string;
  readonly firmwareRevision?: number;
  /** v2: the peer's Protocol Version AVP (always 1.0 once accepted). v3 has no such AVP. */
  readonly protocolVersion?: ProtocolVersionValue;
  readonly framingCapabilities?: number;
  readonly bearerCapabilities?: number;
  /** v3: the peer's Router ID (RFC 3931 §5.4.3). */
  readonly routerId?: number;
  /** v3: the pseudowire types the peer supports (RFC 3931 §5.4.3 Pseudowire Capabilities List). */
  readonly pseudowireCapabilities?: readonly number[];
  /** The peer's Receive Window Size; 4 when it sent none (RFC 2661 §5.8, RFC 3931 §5.4.3). */
  readonly receiveWindowSize: number;
  /** v2: the peer sent a Challenge AVP, and we answered it (§5.1.1). Always false in v3. */
  readonly challenged: boolean;
  /**
   * v2: we challenged the peer and its Challenge Response was right. v3: control message
   * authentication is on, and every message of the handshake carried a valid Message Digest.
   */
  readonly authenticated: boolean;
  readonly tieBreaker?: Uint8Array;
}

/** What a session carried when it came up (from ICRQ/ICCN or OCRQ/OCRP/OCCN, ours or the peer's). */
export interface CallInfo {
  readonly callSerialNumber?: number;
  readonly bearerType?: number;
  readonly framingType?: number;
  readonly txConnectSpeed?: number;
  readonly rxConnectSpeed?: number;
  readonly minimumBps?: number;
  readonly maximumBps?: number;
  readonly callingNumber?: string;
  readonly calledNumber?: string;
  readonly subAddress?: string;
  readonly physicalChannelId?: number;
}

/** Actions {@link TunnelFsm.handle} returns, in the order the driver should carry them out. */
export type TunnelAction =
  /** Put these bytes on the wire (one whole message). The array is the driver's to keep. */
  | { readonly type: 'send'; readonly bytes: Uint8Array }
  /** The control connection is up (§7.2.1 "established"). */
  | { readonly type: 'established'; readonly peer: PeerInfo }
  /** A local `openSession` was accepted: this is the new session's local ID. */
  | { readonly type: 'session-opening'; readonly sessionId: number; readonly kind: CallOptions['kind'] }
  /** A session is established (ICCN/OCCN sent or received). */
  | {
      readonly type: 'session-up';
      readonly sessionId: number;
      readonly peerSessionId: number;
      readonly kind: CallOptions['kind'];
      /** Who sent the ICRQ/OCRQ. */
      readonly origin: 'local' | 'peer';
      readonly call: CallInfo;
    }
  /**
   * A session ended: by a CDN (either way), a refusal, or because the tunnel went down (then
   * `result` is absent and `error` says why).
   */
  | {
      readonly type: 'session-down';
      readonly sessionId: number;
      readonly by: 'local' | 'peer';
      readonly result?: ResultCodeValue;
      readonly cause?: Q931CauseValue;
      readonly error?: L2tpError;
    }
  /** The peer sent WAN-Error-Notify on a session. */
  | { readonly type: 'wen'; readonly sessionId: number; readonly callErrors: CallErrorsValue }
  /** The peer sent Set-Link-Info on a session (normal right after ICCN). */
  | { readonly type: 'sli'; readonly sessionId: number; readonly accm: AccmValue }
  /** A PPP frame arrived on an established session (a view into the received bytes). */
  | { readonly type: 'frame'; readonly sessionId: number; readonly payload: Uint8Array }
  /**
   * The control connection is over for the user: a StopCCN went out or came in, or it failed.
   * `error` is set unless we closed it on request: `PEER_STOPPED`, `TIMEOUT`, `AUTH_FAILED`,
   * `PROTOCOL`, or a parse error code.
   */
  | { readonly type: 'stopped'; readonly by: 'local' | 'peer'; readonly result?: ResultCodeValue; readonly error?: L2tpError }
  /** Nothing more will happen: the FSM may be freed (after the StopCCN linger, §5.8). */
  | { readonly type: 'closed' }
  /** A remote protocol error that did not (by itself) tear anything down: a dropped message. */
  | { readonly type: 'error'; readonly error: L2tpError };
