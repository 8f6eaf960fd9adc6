/**
 * What the authentication protocols report and what the authenticator asks its owner.
 */
import type { AuthMethod } from './auth-method.js';

/**
 * The outcome of one authentication, in both roles. Failures are results, not exceptions.
 * @example
 * ```ts
 * const r: AuthResult = { ok: false, method: 'chap-md5', user: 'alice', message: 'bad password' };
 * ```
 */
export interface AuthResult {
  readonly ok: boolean;
  readonly method: AuthMethod;
  readonly user: string;
  /** The authenticator's message (PAP Ack/Nak, CHAP Success/Failure text), or why we gave up. */
  readonly message: string;
}

/**
 * What the peer proved, handed to {@link Authenticate}. `verify(password)` says whether the
 * proof matches that password, for every method (PAP compares; CHAP and MS-CHAPv2 recompute).
 * @example
 * ```ts
 * const ok = proof.verify(users.get(user) ?? '');
 * ```
 */
export interface AuthProof {
  readonly method: AuthMethod;
  /** PAP only: the password as sent (PAP sends it in the clear, RFC 1334 §2.2.1). */
  readonly password?: string;
  verify(password: string): boolean;
}

/**
 * The authenticator's decision: `true`/`false`, or an object with the message to send the peer.
 * Synchronous: the PPP layer is sans-I/O (look secrets up before, or keep them in memory).
 * @example
 * ```ts
 * const authenticate: Authenticate = (method, user, proof) => proof.verify(users[user] ?? '');
 * ```
 */
export type Authenticate = (method: AuthMethod, user: string, proof: AuthProof) => boolean | { readonly ok: boolean; readonly message?: string };

/** @internal What an authentication protocol needs from the link. */
export interface AuthHost {
  send(protocol: number, packet: Uint8Array): void;
  finish(result: AuthResult): void;
}

/** @internal One side of one authentication protocol, driven by the link. */
export interface AuthSide {
  readonly method: AuthMethod;
  deadline: number | undefined;
  start(now: number): void;
  receive(code: number, identifier: number, data: Uint8Array, now: number): void;
  tick(now: number): void;
}

/** @internal Retransmission settings shared with the control protocols. */
export interface AuthTimers {
  readonly restartInterval: number;
  readonly maxTries: number;
}

/** @internal The decision of an {@link Authenticate} callback as ok + message. */
export function decision(r: ReturnType<Authenticate>, method: AuthMethod): { ok: boolean; message: string } {
  if (typeof r === 'boolean') return { ok: r, message: r ? 'Authentication succeeded' : 'Authentication failed' };
  return { ok: r.ok === true, message: r.message ?? (r.ok ? 'Authentication succeeded' : `${method} authentication failed`) };
}
