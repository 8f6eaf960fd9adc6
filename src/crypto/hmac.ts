/**
 * HMAC (RFC 2104) over any 64-byte-block hash: MD5 (pass the wire layer's `Md5`), SHA-1, MD4.
 * Generic so this layer need not import the wire layer's MD5.
 */
import type { Hasher } from './block-hash.js';
import { checkBytes } from './check.js';
import { Sha1 } from './sha1.js';

/**
 * A hash for {@link hmac}: how to make a hasher, its block size and its digest size.
 * @example
 * ```ts
 * const MD5: HashFunction = { create: () => new Md5(), blockLength: 64, digestLength: 16 };
 * ```
 */
export interface HashFunction {
  create(): Hasher;
  readonly blockLength: number;
  readonly digestLength: number;
}

/**
 * SHA-1 as a {@link HashFunction}.
 * @example
 * ```ts
 * hmac(SHA1_HASH, key, message);
 * ```
 */
export const SHA1_HASH: HashFunction = { create: () => new Sha1(), blockLength: 64, digestLength: 20 };

/**
 * HMAC(key, data) = H((K ^ opad) | H((K ^ ipad) | data)) (RFC 2104 §2); a key longer than the
 * block is hashed first.
 * @example
 * ```ts
 * import { Md5 } from 'l2tp-wire';
 * const MD5 = { create: () => new Md5(), blockLength: 64, digestLength: 16 };
 * hmac(MD5, new TextEncoder().encode('Jefe'), new TextEncoder().encode('what do ya want for nothing?'));
 * // 750c783e6ab0b503eaa86e310a5db738 (RFC 2202 test case 2)
 * ```
 */
export function hmac(hash: HashFunction, key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBytes(key, 'key');
  checkBytes(data, 'data');
  const h = hash.create();
  const block = new Uint8Array(hash.blockLength);
  if (key.length > hash.blockLength) h.update(key).digestInto(block, 0);
  else block.set(key);
  for (let i = 0; i < block.length; i++) block[i] = block[i]! ^ 0x36;
  const inner = new Uint8Array(hash.digestLength);
  h.update(block).update(data).digestInto(inner, 0);
  // (K ^ ipad) ^ (0x36 ^ 0x5c) = K ^ opad.
  for (let i = 0; i < block.length; i++) block[i] = block[i]! ^ (0x36 ^ 0x5c);
  return h.update(block).update(inner).digestInto(new Uint8Array(hash.digestLength), 0);
}

