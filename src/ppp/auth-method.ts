/**
 * The authentication methods, and how each appears in LCP's Authentication-Protocol option
 * (RFC 1661 §6.2: protocol number, then protocol data; CHAP adds its Algorithm byte, RFC 1994 §3).
 */
import { ChapAlgorithm, PppProtocol } from './numbers.js';
import { u16 } from './packet.js';

/**
 * An authentication method: PAP (RFC 1334), CHAP with MD5 (RFC 1994), MS-CHAPv2 (RFC 2759).
 * @example
 * ```ts
 * const methods: AuthMethod[] = ['mschapv2', 'chap-md5', 'pap'];
 * ```
 */
export type AuthMethod = 'pap' | 'chap-md5' | 'mschapv2';

/**
 * Every method, strongest first: the default preference of both roles.
 * @example
 * ```ts
 * AUTH_METHODS[0]; // 'mschapv2'
 * ```
 */
export const AUTH_METHODS: readonly AuthMethod[] = ['mschapv2', 'chap-md5', 'pap'];

/** @internal The Authentication-Protocol option data for `method`. */
export function authOptionData(method: AuthMethod): Uint8Array {
  if (method === 'pap') return Uint8Array.of(PppProtocol.PAP >>> 8, PppProtocol.PAP & 0xff);
  return Uint8Array.of(PppProtocol.CHAP >>> 8, PppProtocol.CHAP & 0xff, method === 'chap-md5' ? ChapAlgorithm.MD5 : ChapAlgorithm.MSCHAPv2);
}

/** @internal The method an Authentication-Protocol option names, or undefined if we know none. */
export function authMethodOf(data: Uint8Array): AuthMethod | undefined {
  if (data.length < 2) return undefined;
  const proto = u16(data);
  if (proto === PppProtocol.PAP && data.length === 2) return 'pap';
  if (proto === PppProtocol.CHAP && data.length === 3) {
    if (data[2] === ChapAlgorithm.MD5) return 'chap-md5';
    if (data[2] === ChapAlgorithm.MSCHAPv2) return 'mschapv2';
  }
  return undefined;
}
