/**
 * The public shapes of the embedded LNS: options, limits, statistics, tunnel and session
 * handles, events.
 * @module
 */
import type { PseudowireStats } from '../fsm/pseudowire.js';
import type { TransportAddress } from '../client/transport.js';
import type { ConformancePolicy, ConformanceReport, Deviation } from '../conformance/index.js';
import type { CallInfo, DataSequenceStats, DataSequencingMode, PeerInfo, RandomBytes, TunnelState } from '../fsm/index.js';
import type { SequencerOptions } from '../reliable/options.js';
import type { TunnelSecret } from '../wire/challenge.js';
import type { HidingPad } from '../wire/control.js';
import type { L2tpError } from '../wire/errors.js';
import type { TcpLimitReason } from '../transports/node-tcp-limits.js';
import type { LnsPppOptions } from './lns-ppp.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';

/**
 * Caps that keep the LNS's memory bounded whatever peers send, and keep a flood from locking out
 * legitimate LACs. Each is range-checked by {@link createLns}; docs/lns.md says what each
 * defends against and what it costs a legitimate LAC.
 */
export interface LnsLimits {
  /**
   * Most tunnels held at once (half-open, established, or lingering after a StopCCN, RFC 2661
   * §5.7). When full, a new SCCRQ evicts the oldest half-open tunnel; with none to evict it is
   * refused (`tunnel-refused`, {@link LnsStats.sccrqOverTunnels}). Default 4096.
   */
  maxTunnels?: number;
  /**
   * Most half-open tunnels at once (SCCRP sent, SCCCN not yet received): what an SCCRQ flood
   * fills. When full, a new SCCRQ evicts the oldest half-open tunnel, which is freed without a
   * word (`half-open-evicted`, {@link LnsStats.halfOpenEvicted}): a legitimate LAC answers within
   * a round trip, a flood's tunnels never do. Default 256.
   */
  maxHalfOpen?: number;
  /**
   * Most half-open tunnels one source address may hold; a further SCCRQ from it is refused
   * (`tunnel-refused`, {@link LnsStats.sccrqOverSourceQuota}). Default 32.
   */
  maxHalfOpenPerSource?: number;
  /** Most sessions per tunnel; a further ICRQ/OCRQ gets CDN result 4 (§4.4.2). Default 1024. */
  maxSessionsPerTunnel?: number;
  /**
   * TCP: most connections open at once (separate from `maxTunnels`). When full, the oldest
   * connection that has not yet sent a complete message is closed to make room; with none, the
   * new one is closed. Default 1024.
   */
  maxConnections?: number;
  /** TCP: most connections open at once from one source address; further ones are closed. Default 64. */
  maxConnectionsPerSource?: number;
  /** TCP: close a connection that has not sent one complete message within this many ms. Default 10 000. */
  tcpHandshakeTimeout?: number;
  /**
   * TCP: close a connection that carries no tunnel after this many ms without a message
   * (tunnels keep theirs alive with HELLO, §6.5). Default 60 000.
   */
  tcpIdleTimeout?: number;
  /**
   * TCP: most bytes of incomplete messages buffered across all connections (a Length field
   * announces up to 64 KiB); the connection whose bytes go over is closed. Default 4 MiB.
   */
  maxBufferedBytes?: number;
}

/** Options of {@link createLns}. Times in milliseconds. */
export interface LnsOptions {
  /** UDP (and TCP) address to bind. Default `127.0.0.1`; use `0.0.0.0` or `::` to expose it. */
  host?: string;
  /** UDP port. Default 1701 (RFC 2661 §8.1); 0 picks a free one (see {@link Lns.address}). */
  port?: number;
  /** Our Host Name AVP in SCCRP (RFC 2661 §4.4.3). */
  hostName: string;
  /**
   * The L2TP versions to serve on the port(s): `[2]` (default, RFC 2661), `[3]` or `[2, 3]`
   * (RFC 3931 over UDP too; each message's version nibble says which). A v3 tunnel with
   * `secret` authenticates every control message (Message Digest, RFC 3931 §4.3).
   */
  versions?: readonly (2 | 3)[];
  /** v3: our Router ID (RFC 3931 §5.4.3). Default: random, drawn once. */
  routerId?: number;
  /** v3: the pseudowire types we accept (RFC 3931 §5.4.3). Default `[5, 4, 7]` (Ethernet, Ethernet VLAN, PPP). */
  pseudowireCapabilities?: readonly number[];
  /** v3 with `secret`: 0 HMAC-MD5 (default) or 1 HMAC-SHA-1 Message Digests (RFC 3931 §5.4.1). */
  digestType?: 0 | 1;
  /** v3: bytes of the random cookie we assign each session: 0 (default), 4 or 8 (RFC 3931 §5.4.4). */
  cookieLength?: 0 | 4 | 8;
  /**
   * v3: the L2-Specific Sublayer the LNS requires on the data it receives (RFC 3931 §4.6, §5.4.4
   * L2-Specific Sublayer AVP): `'none'` (default) or `'default'` (4 bytes with a sequence
   * number). Sequencing is `dataSequencing: 'required'` (Data Sequencing AVP 2: number every
   * frame), which implies `'default'`. What the LNS writes follows what each peer asks for.
   * @example
   * ```ts
   * const lns = await createLns({ hostName: 'lcce-b', versions: [3], l2SpecificSublayer: 'default', dataSequencing: 'required' });
   * ```
   */
  l2SpecificSublayer?: 'none' | 'default';
  /** Tunnel secret: challenge every LAC and answer its challenge (§5.1.1); unhide its hidden AVPs (§4.3). */
  secret?: TunnelSecret;
  /**
   * Send hideable AVPs hidden (§4.3). Needs `secret`. Default false. `{ pad }`: how short hidden
   * values are padded (default a random 8–16 bytes; see `HidingOptions.pad`).
   */
  hideAvps?: boolean | { pad?: HidingPad | false };
  /**
   * Also accept L2TP over TCP (not in any RFC: messages framed by their Length field, see
   * `StreamFramer`). `true` listens on `port` (a separate free port when `port` is 0). At most
   * `limits.maxConnections` connections are accepted at once (see {@link LnsLimits} for the
   * other TCP bounds); a tunnel whose connection closes is dropped at once (its peer cannot be
   * reached any more).
   */
  tcp?: boolean | { port?: number };
  limits?: LnsLimits;
  /**
   * UDP socket receive buffer in bytes (`SO_RCVBUF`; the kernel may cap it, e.g. Linux at
   * `net.core.rmem_max`): room for a burst of datagrams while the LNS is busy. Default 1 MiB.
   */
  recvBufferSize?: number;
  /** Random bytes for Tunnel/Session IDs and challenges. Default `crypto.getRandomValues`, drawn 4 KiB at a time. */
  random?: RandomBytes;
  /** HELLO after this long without a message from a peer (§6.5). Default 60 000; 0 turns it off. */
  helloInterval?: number;
  /**
   * Data channel sequencing (RFC 2661 §5.4), which the LNS controls: `'on'` (or `'required'`)
   * sends Ns/Nr on every data message, and a conforming LAC then sequences too. Default `'off'`:
   * none, unless the LAC's ICCN carried Sequencing Required. Old data are dropped either way.
   * v3 (RFC 3931 §5.4.4): `'required'` asks every peer to number all its frames in the default
   * L2-Specific Sublayer; `'on'` and `'off'` ask for nothing (the peer's own request is honoured).
   */
  dataSequencing?: DataSequencingMode;
  /** Vendor Name AVP in SCCRP. Default `l2tp-wire`. */
  vendorName?: string;
  /** Firmware Revision AVP in SCCRP. Omitted by default. */
  firmwareRevision?: number;
  /** Control-channel reliable-delivery settings of every tunnel (§5.8); tests shorten them. */
  sequencer?: SequencerOptions;
  /** Send every PPP frame received on a session straight back on it (tests, demos). Default false. */
  echo?: boolean;
  /** Called with every PPP frame received on a session (a view: copy it to keep it past the call). */
  onFrame?: (session: LnsSession, frame: Uint8Array) => void;
  /** How long {@link Lns.close} waits for the StopCCNs to be acknowledged. Default 1000. */
  closeTimeout?: number;
  /**
   * Terminate PPP on every session (LCP, PAP / CHAP-MD5 / MS-CHAPv2 as authenticator, IPCP
   * address and DNS, IPV6CP): the same as calling `servePppOnLns(lns, ppp)` on the new LNS.
   */
  ppp?: LnsPppOptions;
  /** Abort the bind: rejects with `L2tpError('ABORTED')`. */
  signal?: AbortSignal;
  /**
   * What the LNS does about its peers' deviations from RFC 2661 (docs/conformance.md): every
   * control message of a tunnel goes through a conformance observer.
   * - `'report'` (default): serve as usual; each deviation is a `deviation` event and counted in
   *   {@link LnsStats.deviations}; each tunnel ends with a `conformance-report` event.
   * - `'strict'`: the same, and refuse what xl2tpd refuses: a MUST deviation in a message's
   *   content ends the call (CDN) or the tunnel (StopCCN) with Result Code 2, the rule's Error
   *   Code and a message naming the AVP and the rule (RFC 2661 §4.1, §4.4.2).
   * - `'lenient'`: serve silently; no observer at all (zero cost).
   */
  conformance?: ConformancePolicy;
}

/** Where the LNS listens (actual ports, also when 0 was asked for). */
export interface LnsAddress extends TransportAddress {
  readonly family: 'IPv4' | 'IPv6';
  /** The TCP listener, when `tcp` was set. */
  readonly tcp?: TransportAddress;
}

/** Counters and gauges of an LNS (a snapshot). */
export interface LnsStats {
  /** Tunnels held now: `halfOpen` + `established` + `lingering`. */
  readonly tunnels: number;
  /** Tunnels whose SCCRP is out and SCCCN not yet in. */
  readonly halfOpen: number;
  /** Tunnels established now. */
  readonly established: number;
  /**
   * Tunnels down for the user but still acking: after a StopCCN either way the state is kept for
   * a full retransmission cycle (RFC 2661 §5.7, §5.8; `sequencer.closeLinger`, 31 s by default)
   * so a retransmitted StopCCN is acked again.
   */
  readonly lingering: number;
  /** Sessions established now. */
  readonly sessions: number;
  /** Tunnels that reached `established`, ever. */
  readonly tunnelsOpened: number;
  /** Sessions that came up, ever. */
  readonly sessionsOpened: number;
  /** Messages received (datagrams and framed stream messages). */
  readonly messagesIn: number;
  readonly framesIn: number;
  readonly framesOut: number;
  /** SCCRQs refused: their source held {@link LnsLimits.maxHalfOpenPerSource} half-open tunnels. */
  readonly sccrqOverSourceQuota: number;
  /** SCCRQs refused: {@link LnsLimits.maxTunnels} tunnels held and none half-open to evict. */
  readonly sccrqOverTunnels: number;
  /** SCCRQs refused because the LNS is closing. */
  readonly sccrqWhileClosing: number;
  /** Half-open tunnels evicted (oldest first) to admit a new SCCRQ. */
  readonly halfOpenEvicted: number;
  /** Half-open tunnels that timed out (no SCCCN, or no ack of the SCCRP). */
  readonly halfOpenExpired: number;
  /** TCP connections closed: their source held {@link LnsLimits.maxConnectionsPerSource}. */
  readonly tcpOverSourceCap: number;
  /** TCP connections closed: {@link LnsLimits.maxConnections} held, none evictable. */
  readonly tcpOverTotalCap: number;
  /** TCP connections closed to make room (the oldest without a complete message). */
  readonly tcpEvicted: number;
  /** TCP connections closed by {@link LnsLimits.tcpHandshakeTimeout}. */
  readonly tcpHandshakeTimeouts: number;
  /** TCP connections carrying no tunnel closed by {@link LnsLimits.tcpIdleTimeout}. */
  readonly tcpIdleTimeouts: number;
  /** TCP connections closed by {@link LnsLimits.maxBufferedBytes}. */
  readonly tcpBufferLimit: number;
  /** TCP connections open now. */
  readonly connections: number;
  /** Messages for a Tunnel ID we do not hold (dropped silently, as xl2tpd does); v3 data for a Session ID we do not hold too. */
  readonly unknownTunnel: number;
  /** Messages that are not L2TPv2 or do not parse, for no tunnel of ours (dropped). */
  readonly malformed: number;
  /** Remote protocol errors our tunnels reported and survived (the FSM `error` action). */
  readonly protocolErrors: number;
  /** Times a tunnel's peer address changed (NAT rebinding, or a TCP reconnect). */
  readonly rebinds: number;
  readonly sendErrors: number;
  /** PPP frames dropped because a session's `frames()` queue was full. */
  readonly framesDropped: number;
  /** Tunnels and idle TCP connections with a pending deadline (each once in the deadline queue). */
  readonly deadlines: number;
  /** Timers armed by the LNS: 0 or 1, whatever the number of tunnels. */
  readonly timers: number;
  /** Deviations of peers from the RFC (`deviation` events), ever; 0 under `conformance: 'lenient'`. */
  readonly deviations: number;
  /** Those of them at MUST level. */
  readonly deviationsMust: number;
}

/** Why a tunnel or session went down. */
export interface DownReason {
  /** Who ended it: we (StopCCN/CDN sent, or a timeout) or the peer. */
  readonly by: 'local' | 'peer';
  readonly result?: ResultCodeValue;
  /** Set unless we ended it on request. */
  readonly error?: L2tpError;
}

/** One control connection the LNS holds. */
export interface LnsTunnel {
  /** Our Tunnel ID (unique within the LNS): the peer writes it in every header. */
  readonly id: number;
  /** What the LAC said in its SCCRQ, once established. */
  readonly peer: PeerInfo | undefined;
  /** Where replies go now (follows NAT rebinding). */
  readonly remote: TransportAddress;
  readonly transport: 'udp' | 'tcp';
  readonly state: TunnelState;
  /** Its established sessions. */
  sessions(): LnsSession[];
  /** Send a HELLO now (§6.5). @throws `TypeError` unless established. */
  hello(): void;
  /** Tear it down with a StopCCN (§5.7). Default result 1 (general request). Idempotent. */
  close(result?: ResultCodeValue): void;
}

/** One established session (call) on a tunnel of the LNS. */
export interface LnsSession {
  readonly tunnel: LnsTunnel;
  /** Our Session ID. */
  readonly id: number;
  /** The LAC's Session ID. */
  readonly peerId: number;
  readonly kind: 'incoming' | 'outgoing';
  readonly call: CallInfo;
  /** True once the session is down (CDN either way, or its tunnel went down). */
  readonly closed: boolean;
  /**
   * Data channel counters (RFC 2661 §5.4): whether our data carry Ns, messages sent and
   * received, old (duplicate or reordered) data dropped, Ns skipped. `undefined` once down.
   */
  readonly dataStats: DataSequenceStats | undefined;
  /**
   * L2TPv3: the pseudowire's data counters (RFC 3931 §4.5): sent, received, delivered, drops by
   * reason (Session ID, cookie, duplicate, out of order, malformed, runt). `undefined` on v2.
   */
  readonly pseudowireStats: PseudowireStats | undefined;
  /**
   * The PPP frames (v3: Ethernet frames) received on this session, as an async iterator that ends when the session
   * does. Frames are queued (up to 64, oldest dropped) from the start unless the LNS has
   * `onFrame` or `echo`, and from the first call of `frames()` otherwise. Always the same iterator.
   */
  frames(): AsyncIterableIterator<Uint8Array>;
  /**
   * Send one PPP frame to the LAC as a data message. Rejects with `L2tpError` (`PEER_STOPPED`
   * when the session is down, `TRANSPORT` when the send fails).
   */
  send(frame: Uint8Array): Promise<void>;
  /** Hang up with a CDN (§6.12). Default result 3 (administrative). Idempotent. */
  close(result?: ResultCodeValue): void;
}

/** Why an SCCRQ was refused (dropped without an answer). */
export type RefusalReason = 'source-quota' | 'max-tunnels' | 'closing';

/** Argument of the `tunnel-refused` event (plain data: survives `JSON.stringify`). */
export interface TunnelRefused {
  readonly reason: RefusalReason;
  readonly transport: 'udp' | 'tcp';
  readonly remote: TransportAddress;
}

/** Argument of the `half-open-evicted` event (plain data: survives `JSON.stringify`). */
export interface HalfOpenEvicted {
  /** `oldest`: evicted to admit a new SCCRQ; `expired`: its handshake timed out. */
  readonly reason: 'oldest' | 'expired';
  /** Our Tunnel ID of the evicted tunnel. */
  readonly tunnelId: number;
  readonly transport: 'udp' | 'tcp';
  readonly remote: TransportAddress;
  /** Milliseconds since its SCCRQ was admitted. */
  readonly age: number;
}

/** Why the LNS (or a relay) closed a TCP connection. */
export type ConnectionCloseReason = TcpLimitReason | 'idle-timeout';

/** Argument of the `connection-closed` event (plain data: survives `JSON.stringify`). */
export interface ConnectionClosed {
  readonly reason: ConnectionCloseReason;
  readonly remote: TransportAddress;
}

/** Events of an {@link Lns} and their arguments. */
export interface LnsEvents {
  /** A control connection reached `established` (SCCCN received, §7.2.1). */
  'tunnel-up': [tunnel: LnsTunnel];
  /**
   * An established tunnel ended: StopCCN either way, retransmissions exhausted, its TCP
   * connection gone, or the LNS closing. Half-open tunnels that never came up fire nothing.
   */
  'tunnel-down': [tunnel: LnsTunnel, why: DownReason];
  /** A call came up (ICCN received, or OCRQ answered). */
  'session-up': [session: LnsSession];
  /** A call ended: CDN either way, or its tunnel went down. */
  'session-down': [session: LnsSession, why: DownReason];
  /** An SCCRQ was dropped unanswered by a limit (also counted in `stats`). */
  'tunnel-refused': [info: TunnelRefused];
  /** A half-open tunnel was freed without a word: evicted for a newer SCCRQ, or timed out. */
  'half-open-evicted': [info: HalfOpenEvicted];
  /** The LNS closed a TCP connection by one of its limits (not when the peer closed it). */
  'connection-closed': [info: ConnectionClosed];
  /**
   * The peer deviated from the RFC (not under `conformance: 'lenient'`): the rule, its RFC
   * section, its severity and the message concerned (plain data; also counted in `stats`).
   */
  deviation: [tunnel: LnsTunnel, deviation: Deviation];
  /**
   * A tunnel's report card (not under `conformance: 'lenient'`): every rule kept, broken or not
   * exercised, once per tunnel, when it goes down (after its `tunnel-down`) or, for one that never
   * came up, when it goes away. Deviations found while it lingers after a StopCCN (§5.7) are still
   * `deviation` events. `formatReport(report)` makes it readable. Only for tunnels opened while
   * a listener of this event was registered: a tunnel opened without one keeps no report card
   * (its per-rule counts would be most of its observer's memory).
   */
  'conformance-report': [tunnel: LnsTunnel, report: ConformanceReport];
}

/** A running embedded LNS. */
export interface Lns {
  /** The bound address, with the actual ports. */
  address(): LnsAddress;
  /** A snapshot of counters and gauges. */
  readonly stats: LnsStats;
  /** Tunnels held now (half-open ones included). */
  tunnels(): LnsTunnel[];
  /**
   * Sessions as they come up, as an async iterator; it ends when the LNS closes. Sessions that
   * come up while no iterator is open are not queued for later ones.
   */
  sessions(): AsyncIterableIterator<LnsSession>;
  /** Listen for an event; returns a function that removes the listener. */
  on<E extends keyof LnsEvents>(event: E, listener: (...args: LnsEvents[E]) => void): () => void;
  /**
   * Shut down: StopCCN result 6 ("requester is being shut down", RFC 2661 §4.4.2) to every
   * tunnel, wait up to `closeTimeout` for the acks, then release every socket and timer.
   * Idempotent; resolves when everything is released.
   */
  close(): Promise<void>;
  /** True once `close()` was called. */
  readonly closed: boolean;
}
