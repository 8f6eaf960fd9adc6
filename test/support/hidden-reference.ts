/// <reference types="node" />
import { createHash } from 'node:crypto';

/**
 * RFC 2661 §4.3 with node:crypto, for tests: the whole decrypted subformat (Original Length,
 * value and padding) of a hidden AVP value, chunk by chunk: p(i) = c(i) xor b(i), with
 * b(1) = MD5(Attribute Type | S | RV) and b(i) = MD5(S | c(i-1)).
 */
export function revealSubformat(type: number, hidden: Uint8Array, secret: Uint8Array, rv: Uint8Array): Uint8Array {
  const plain = new Uint8Array(hidden.length);
  let key = createHash('md5').update(Uint8Array.of(type >> 8, type & 0xff)).update(secret).update(rv).digest();
  for (let at = 0; at < hidden.length; at += 16) {
    const chunk = hidden.subarray(at, at + 16);
    chunk.forEach((c, j) => (plain[at + j] = c ^ key[j]!));
    key = createHash('md5').update(secret).update(chunk).digest();
  }
  return plain;
}

/**
 * The other direction of {@link revealSubformat}: hide a whole subformat (Original Length, value,
 * padding) as §4.3 says, c(i) = p(i) xor b(i), where b(i) chains on the previous ciphertext chunk.
 */
export function hideSubformat(type: number, plain: Uint8Array, secret: Uint8Array, rv: Uint8Array): Uint8Array {
  const hidden = new Uint8Array(plain.length);
  let key = createHash('md5').update(Uint8Array.of(type >> 8, type & 0xff)).update(secret).update(rv).digest();
  for (let at = 0; at < plain.length; at += 16) {
    plain.subarray(at, at + 16).forEach((p, j) => (hidden[at + j] = p ^ key[j]!));
    key = createHash('md5').update(secret).update(hidden.subarray(at, at + 16)).digest();
  }
  return hidden;
}
