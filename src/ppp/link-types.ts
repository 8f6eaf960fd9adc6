/**
 * The vocabulary of a PPP link (src/ppp/link.ts): events in, actions out, options and results.
 * Plain data, so a driver can log, queue or serialise it.
 */
import type { AuthMethod } from './auth-method.js';
import type { Authenticate, AuthResult } from './auth-types.js';
import type { CpTimers } from './control-protocol.js';
import type { RandomSource } from './lcp.js';

/**
 * Link phases (RFC 1661 §3.2).
 * @example
 * ```ts
 * if (action.type === 'phase' && action.phase === 'network') console.log('authenticated');
 * ```
 */
export type PppPhase = 'dead' | 'establish' | 'authenticate' | 'network' | 'terminate';

/**
 * What a PPP link negotiated, reported once by the `up` action.
 * @example
 * ```ts
 * const info: PppLinkInfo = link.info();
 * console.log(info.ipAddress, info.dns);
 * ```
 */
export interface PppLinkInfo {
  /** The method the client authenticated with, or null when the server required none. */
  readonly authProtocol: AuthMethod | null;
  /** The authenticated user name ('' without authentication). */
  readonly user: string;
  /** Our IPv4 address (IPCP), or null when IPCP did not open. */
  readonly ipAddress: string | null;
  /** The peer's IPv4 address, or null. */
  readonly peerIpAddress: string | null;
  /** DNS servers we obtained (client, RFC 1877), primary first. */
  readonly dns: readonly string[];
  /** Our IPv6 interface identifier (RFC 5072), or null when IPV6CP did not open. */
  readonly ipv6InterfaceId: string | null;
  readonly peerIpv6InterfaceId: string | null;
  /** The MRU we asked the peer to respect, and the peer's: the largest frame we may send. */
  readonly mru: number;
  readonly peerMru: number;
  /** LCP Magic-Numbers (RFC 1661 §6.4). */
  readonly magic: number;
  readonly peerMagic: number;
}

/**
 * Events a {@link PppLink} takes.
 * @example
 * ```ts
 * link.handle({ type: 'received', frame }, now);
 * ```
 */
export type PppEvent =
  /** The L2TP session is up: start LCP (RFC 1661 Open + Up). */
  | { readonly type: 'open' }
  /** One PPP frame from the session. */
  | { readonly type: 'received'; readonly frame: Uint8Array }
  /** Time passed: call at {@link PppLink.nextDeadline}. */
  | { readonly type: 'tick' }
  /** Close the link (LCP Terminate-Request). */
  | { readonly type: 'close'; readonly reason?: string }
  /** Send an LCP Echo-Request now (RFC 1661 §5.8); the reply comes as an `echo-reply` action. */
  | { readonly type: 'echo' }
  /** The session under the link went away: LCP Down, no more frames. */
  | { readonly type: 'lower-down' };

/**
 * What a {@link PppLink} asks its driver to do or tells it.
 * @example
 * ```ts
 * for (const a of link.handle({ type: 'open' }, now)) if (a.type === 'send') session.send(a.frame);
 * ```
 */
export type PppAction =
  | { readonly type: 'send'; readonly frame: Uint8Array }
  | { readonly type: 'phase'; readonly phase: PppPhase }
  | { readonly type: 'authenticated'; readonly result: AuthResult }
  | { readonly type: 'up'; readonly info: PppLinkInfo }
  | { readonly type: 'echo-reply'; readonly identifier: number; readonly rtt: number }
  /** A network-layer packet (IPv4 0x0021, IPv6 0x0057) arrived on an open NCP. */
  | { readonly type: 'packet'; readonly protocol: number; readonly information: Uint8Array }
  /** The link is dead; `reason` says why ('closed', 'peer-terminated', 'timeout', 'auth-failed: …', …). */
  | { readonly type: 'down'; readonly reason: string };

/**
 * Options common to both roles.
 * @example
 * ```ts
 * const common: PppCommonOptions = { random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
 * ```
 */
export interface PppCommonOptions {
  /** Random bytes (magic numbers, challenges, interface identifiers). */
  readonly random: RandomSource;
  /** Negotiate IPV6CP too. Default true. */
  readonly ipv6?: boolean;
  /** Our MRU (RFC 1661 §6.1). Default 1500. */
  readonly mru?: number;
  /** Ask for Protocol-Field-Compression / Address-and-Control-Field-Compression. Default false. */
  readonly pfc?: boolean;
  readonly acfc?: boolean;
  /** Restart timer and counters (RFC 1661 §4.6); also used to retransmit PAP/CHAP. */
  readonly negotiation?: CpTimers;
  /** Send an LCP Echo-Request every this many ms once up (0: never). Default 0. */
  readonly echoInterval?: number;
  /** Unanswered Echo-Requests before the link is declared dead. Default 3. */
  readonly echoFailures?: number;
}

/**
 * The client (authenticating peer) options.
 * @example
 * ```ts
 * const o: PppClientOptions = { random, username: 'alice', password: 's3cret', authProtocols: ['chap-md5'] };
 * ```
 */
export interface PppClientOptions extends PppCommonOptions {
  readonly username: string;
  readonly password: string;
  /** Methods we agree to authenticate with, preferred first. Default all: MS-CHAPv2, CHAP-MD5, PAP. */
  readonly authProtocols?: readonly AuthMethod[];
  /** Ask for DNS servers (RFC 1877). Default true. */
  readonly requestDns?: boolean;
}

/**
 * The server (authenticator) options.
 * @example
 * ```ts
 * const o: PppServerOptions = { random, authenticate: (m, u, p) => p.verify('s3cret'), localAddress: '10.0.0.1',
 *   peerAddress: () => '10.0.0.2', dns: ['10.0.0.53'] };
 * ```
 */
export interface PppServerOptions extends PppCommonOptions {
  /** Decide whether a user may log in. Required unless `authProtocols` is empty. */
  readonly authenticate?: Authenticate;
  /** Methods we require, preferred first; empty: no authentication. Default MS-CHAPv2, CHAP-MD5, PAP. */
  readonly authProtocols?: readonly AuthMethod[];
  /** Our CHAP name. Default 'l2tp-wire'. */
  readonly name?: string;
  /** Our IPv4 address. Default '10.0.0.1'. */
  readonly localAddress?: string;
  /** The address to give the client, or a function of the authenticated user (e.g. from an {@link AddressPool}). */
  readonly peerAddress: string | ((user: string) => string);
  /** DNS servers to hand out (RFC 1877), primary first; at most two. */
  readonly dns?: readonly string[];
}

/**
 * Which end of the link, with its options: what {@link PppClient} and {@link PppServer} hand to
 * the shared `PppLink` constructor.
 * @example
 * ```ts
 * const role: PppRole = { kind: 'client', options: { random, username: 'alice', password: 's3cret' } };
 * ```
 */
export type PppRole = { readonly kind: 'client'; readonly options: PppClientOptions } | { readonly kind: 'server'; readonly options: PppServerOptions };
