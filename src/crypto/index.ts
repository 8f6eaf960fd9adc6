/**
 * Synchronous hashes and ciphers the PPP layer needs and WebCrypto lacks or offers only
 * asynchronously: MD4 (RFC 1320), SHA-1 (RFC 3174), HMAC (RFC 2104) and single-block DES
 * (FIPS 46-3). MD5 lives in `wire/md5.ts` (L2TP itself uses it). Imports nothing outside this folder.
 */
export type { Hasher } from './block-hash.js';
export { Md4, md4 } from './md4.js';
export { Sha1, sha1 } from './sha1.js';
export { hmac, SHA1_HASH, type HashFunction } from './hmac.js';
export { desEncryptBlock } from './des.js';
