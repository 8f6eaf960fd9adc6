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

/**
 * An L2TPv3 session (RFC 3931 §3.4, §5.4.4): a pseudowire. `incoming` sends ICRQ (the peer
 * answers ICRP, we complete with ICCN), `outgoing` sends OCRQ (OCRP, then the peer's OCCN).
 */
export interface PseudowireCallOptions {
  readonly kind: 'incoming' | 'outgoing';
  /** Remote End ID (§5.4.4): binds the session to a circuit on the peer; a string is UTF-8 encoded. */
  readonly remoteEndId: string | Uint8Array;
  /** Pseudowire Type (§5.4.4): 5 Ethernet (default), 4 Ethernet VLAN, 7 PPP, …; one the peer listed in its capabilities. */
  readonly pseudowireType?: number;
  /** Serial Number (§5.4.4). Default: a per-tunnel counter starting at 1. */
  readonly callSerialNumber?: number;
  /** Bytes of the cookie we assign (§5.4.4 Assigned Cookie): 0 (none), 4 or 8 random bytes. Default `options.cookieLength`. */
  readonly cookieLength?: 0 | 4 | 8;
  /** The L2-Specific Sublayer we require on data we receive (§4.6, §5.4.4). Default `options.l2SpecificSublayer`. */
  readonly l2SpecificSublayer?: 'none' | 'default';
  /** Circuit Status bits we report (§5.4.5: 1 Active, 2 New). Default 3 (active, new). */
  readonly circuitStatus?: number;
  /**
   * Session Tie Breaker (§5.4.4): `true` for 8 random bytes, or the 8 bytes. Default none. When
   * the peer's ICRQ for the same circuit crosses ours, the lower value wins; a lone value wins
   * (without one, a peer's ICRQ that has one takes the circuit); equal values drop both calls.
   */
  readonly tieBreaker?: boolean | Uint8Array;
}

/** What {@link TunnelEvent} `openSession` takes: v2 calls, or a v3 pseudowire. */
export type CallOptions = IncomingCallOptions | OutgoingCallOptions | PseudowireCallOptions;

/**
 * An L2TPv3 session's pseudowire as both sides set it up (RFC 3931 §5.4.4): what the data plane
 * needs, as plain fields — the options of a `Pseudowire` (`new Pseudowire(info)`). "local" is ours, "remote" the peer's, as in the RFC's AVP names.
 */
export interface PseudowireInfo {
  /** Our Session ID: the peer writes it in the data messages it sends us. */
  readonly localSessionId: number;
  /** The peer's Session ID: we write it in the data messages we send. */
  readonly remoteSessionId: number;
  readonly pseudowireType: number;
  readonly remoteEndId: Uint8Array;
  /** The cookie we assigned (0, 4 or 8 bytes): data we receive must carry it (§4.1). */
  readonly localCookie: Uint8Array;
  /** The peer's Assigned Cookie: data we send carries it. */
  readonly remoteCookie: Uint8Array;
  /** L2-Specific Sublayer we require on data we receive: 0 none, 1 the default (§4.6). */
  readonly localL2SpecificSublayer: 0 | 1;
  /** L2-Specific Sublayer the peer requires on data we send it (a session asking for another is refused). */
  readonly remoteL2SpecificSublayer: 0 | 1;
  /** Data Sequencing we require of the data we receive (§5.4.4: 0 none, 1 non-IP only, 2 all). */
  readonly localDataSequencing: 0 | 1 | 2;
  /** Data Sequencing the peer requires of the data we send. */
  readonly remoteDataSequencing: 0 | 1 | 2;
  /** The peer's last Circuit Status (§5.4.5; 1 Active, 2 New), if it sent one. */
  readonly remoteCircuitStatus?: number;
}

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
  /**
   * Send a Set-Link-Info on an established session: v2 (§6.14; LNS → LAC) carries `accm`; v3
   * (RFC 3931 §6.14, either side) carries `circuitStatus` (§5.4.5) and ignores `accm`.
   */
  | { readonly type: 'sendSli'; readonly sessionId: number; readonly accm: AccmValue; readonly circuitStatus?: undefined }
  | { readonly type: 'sendSli'; readonly sessionId: number; readonly circuitStatus: number; readonly accm?: undefined };

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
      /** v3: the pseudowire both sides agreed (IDs, cookies, L2-Specific Sublayer, sequencing). */
      readonly pseudowire?: PseudowireInfo;
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
  /** v3: the peer reported its circuit's status (Circuit Status AVP in an SLI, RFC 3931 §5.4.5; 1 Active, 2 New). */
  | { readonly type: 'circuit-status'; readonly sessionId: number; readonly circuitStatus: number }
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
