/**
 * MS-CHAPv2 computations (RFC 2759 §8), authentication only (the MPPE keys of RFC 3079 are out
 * of scope). Pure functions named as the RFC names them; checked against its §9 example.
 */
import { desEncryptBlock } from '../crypto/des.js';
import { md4 } from '../crypto/md4.js';
import { Sha1 } from '../crypto/sha1.js';
import { utf8 } from './text.js';


/** The password as UTF-16 little-endian (RFC 2759 §8.3: "0-to-256-unicode-char Password"). */
function unicode(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/**
 * The user name as hashed: without a Windows domain prefix ("DOMAIN\user", RFC 2759 §8.2).
 * @example
 * ```ts
 * mschapUserName('CORP\\alice'); // 'alice'
 * ```
 */
export function mschapUserName(user: string): string {
  const i = user.lastIndexOf('\\');
  return i >= 0 ? user.slice(i + 1) : user;
}

/**
 * NtPasswordHash (RFC 2759 §8.3): MD4 of the UTF-16LE password.
 * @example
 * ```ts
 * ntPasswordHash('clientPass'); // 44ebba8d5312b8d611474411f56989ae
 * ```
 */
export function ntPasswordHash(password: string): Uint8Array {
  return md4(unicode(password));
}

/**
 * ChallengeHash (RFC 2759 §8.2): the first 8 bytes of SHA1(PeerChallenge | AuthenticatorChallenge | UserName).
 * @example
 * ```ts
 * challengeHash(peerChallenge, authenticatorChallenge, 'User'); // d02e4386bce91226
 * ```
 */
export function challengeHash(peerChallenge: Uint8Array, authenticatorChallenge: Uint8Array, userName: string): Uint8Array {
  const d = new Sha1().update(peerChallenge).update(authenticatorChallenge).update(utf8(mschapUserName(userName))).digest();
  return d.slice(0, 8);
}

/** DesEncrypt (RFC 2759 §8.6): a 7-byte key spread over 8 bytes, the low bit of each (parity) left 0. */
function desEncrypt7(clear: Uint8Array, key7: Uint8Array, out: Uint8Array, offset: number): void {
  const key = new Uint8Array(8);
  let acc = 0;
  let bits = 0;
  let k = 0;
  for (let i = 0; i < 7; i++) {
    acc = (acc << 8) | key7[i]!;
    bits += 8;
    while (bits >= 7) {
      bits -= 7;
      key[k++] = ((acc >>> bits) & 0x7f) << 1;
    }
  }
  desEncryptBlock(key, clear, out, offset);
}

/**
 * ChallengeResponse (RFC 2759 §8.5): the 8-byte challenge DES-encrypted under three 7-byte
 * slices of the zero-padded 21-byte password hash; 24 bytes.
 * @example
 * ```ts
 * challengeResponse(challenge, ntPasswordHash('clientPass')); // 82309ecd…3d85d6df
 * ```
 */
export function challengeResponse(challenge: Uint8Array, passwordHash: Uint8Array): Uint8Array {
  const z = new Uint8Array(21);
  z.set(passwordHash.subarray(0, 16));
  const out = new Uint8Array(24);
  for (let i = 0; i < 3; i++) desEncrypt7(challenge, z.subarray(7 * i, 7 * i + 7), out, 8 * i);
  return out;
}

/**
 * GenerateNTResponse (RFC 2759 §8.1): the 24-byte NT-Response the peer sends.
 * @example
 * ```ts
 * generateNtResponse(authenticatorChallenge, peerChallenge, 'User', 'clientPass');
 * ```
 */
export function generateNtResponse(authenticatorChallenge: Uint8Array, peerChallenge: Uint8Array, userName: string, password: string): Uint8Array {
  return challengeResponse(challengeHash(peerChallenge, authenticatorChallenge, userName), ntPasswordHash(password));
}

const MAGIC1 = utf8('Magic server to client signing constant');
const MAGIC2 = utf8('Pad to make it do more than one iteration');

/**
 * GenerateAuthenticatorResponse (RFC 2759 §8.7): the "S=" + 40 hex digits string the
 * authenticator sends in its Success packet, proving it knows the password too.
 * @example
 * ```ts
 * generateAuthenticatorResponse('clientPass', ntResponse, peerChallenge, authenticatorChallenge, 'User');
 * // 'S=407A5589115FD0D6209F510FE9C04566932CDA56'
 * ```
 */
export function generateAuthenticatorResponse(
  password: string,
  ntResponse: Uint8Array,
  peerChallenge: Uint8Array,
  authenticatorChallenge: Uint8Array,
  userName: string,
): string {
  const passwordHashHash = md4(ntPasswordHash(password));
  const h = new Sha1();
  const digest = h.update(passwordHashHash).update(ntResponse).update(MAGIC1).digest();
  const challenge = challengeHash(peerChallenge, authenticatorChallenge, userName);
  const final = h.update(digest).update(challenge).update(MAGIC2).digest();
  let s = 'S=';
  for (const b of final) s += b.toString(16).toUpperCase().padStart(2, '0');
  return s;
}
