/**
 * DES single-block encryption (FIPS 46-3), needed by MS-CHAP: ChallengeResponse encrypts the
 * 8-byte challenge three times with keys cut from the NT password hash (RFC 2759 §8.5). DES is
 * broken; use it for nothing else. WebCrypto has no DES. Only encryption of one block (ECB) is
 * needed, so only that is here; bit-level permutations from the standard's tables, written for
 * clarity over speed (MS-CHAPv2 runs it three times per login).
 */
import { checkBytes, checkRoom } from './check.js';

// FIPS 46-3 tables, 1-based bit numbers with bit 1 the most significant, as printed.
const IP = [58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7];
const FP = [40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31, 38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21, 61, 29,
  36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27, 34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49, 17, 57, 25];
const E = [32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17,
  16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1];
const P = [16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25];
const PC1 = [57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4];
const PC2 = [14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S = [
  [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, 0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, 15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
  [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, 3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, 13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
  [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, 13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, 1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
  [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, 13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, 3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
  [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, 14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, 11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
  [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, 10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, 4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
  [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, 13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, 6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
  [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, 1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, 2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
];

/** Scratch bit arrays (one bit per byte), reused: JavaScript is single-threaded and this never re-enters. */
const bits = new Uint8Array(64);
const tmp = new Uint8Array(64);
const keyBits = new Uint8Array(56);
const subkeys = new Uint8Array(16 * 48);
const lr = new Uint8Array(64);
const er = new Uint8Array(48);
const f = new Uint8Array(32);

/** `out[i] = input[table[i] - 1]` for every entry of `table` (the standard's permutation notation). */
function permute(input: Uint8Array, table: readonly number[], out: Uint8Array, outOffset = 0, inOffset = 0): void {
  for (let i = 0; i < table.length; i++) out[outOffset + i] = input[inOffset + table[i]! - 1]!;
}

function toBits(bytes: Uint8Array, o: number, out: Uint8Array): void {
  for (let i = 0; i < 64; i++) out[i] = (bytes[o + (i >> 3)]! >> (7 - (i & 7))) & 1;
}

/** The 16 round keys (FIPS 46-3 "key schedule"): PC-1, rotate each 28-bit half, PC-2. */
function schedule(key: Uint8Array, ko: number): void {
  toBits(key, ko, tmp);
  permute(tmp, PC1, keyBits);
  for (let round = 0; round < 16; round++) {
    for (let n = 0; n < SHIFTS[round]!; n++) {
      const c0 = keyBits[0]!;
      const d0 = keyBits[28]!;
      keyBits.copyWithin(0, 1, 28);
      keyBits[27] = c0;
      keyBits.copyWithin(28, 29, 56);
      keyBits[55] = d0;
    }
    permute(keyBits, PC2, subkeys, round * 48);
  }
}

/**
 * Encrypt one 8-byte block with DES (FIPS 46-3) under an 8-byte key (parity bits ignored), writing
 * 8 bytes into `out` at `outOffset`. Returns `out`.
 * @throws `TypeError`/`RangeError` when an argument is not 8 bytes where it should be.
 * @example
 * ```ts
 * const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (h) => parseInt(h, 16));
 * desEncryptBlock(hex('0123456789abcdef'), new TextEncoder().encode('Now is t')); // 3fa40e8a984d4815
 * ```
 */
export function desEncryptBlock(key: Uint8Array, block: Uint8Array, out: Uint8Array = new Uint8Array(8), outOffset = 0): Uint8Array {
  checkBytes(key, 'key');
  checkBytes(block, 'block');
  checkBytes(out, 'out');
  if (key.length !== 8) throw new RangeError(`key must be 8 bytes, got ${key.length}`);
  if (block.length !== 8) throw new RangeError(`block must be 8 bytes, got ${block.length}`);
  checkRoom(out, outOffset, 8);
  schedule(key, 0);
  toBits(block, 0, bits);
  permute(bits, IP, lr);
  // 16 Feistel rounds: L' = R, R' = L ^ f(R, K) (FIPS 46-3 "Enciphering").
  for (let round = 0; round < 16; round++) {
    permute(lr, E, er, 0, 32);
    const k = round * 48;
    for (let i = 0; i < 48; i++) er[i] = er[i]! ^ subkeys[k + i]!;
    for (let box = 0; box < 8; box++) {
      const o = box * 6;
      // Outer bits pick the row, inner four the column.
      const row = (er[o]! << 1) | er[o + 5]!;
      const col = (er[o + 1]! << 3) | (er[o + 2]! << 2) | (er[o + 3]! << 1) | er[o + 4]!;
      const v = S[box]![row * 16 + col]!;
      for (let j = 0; j < 4; j++) tmp[box * 4 + j] = (v >> (3 - j)) & 1;
    }
    permute(tmp, P, f);
    for (let i = 0; i < 32; i++) {
      const l = lr[i]!;
      lr[i] = lr[32 + i]!;
      lr[32 + i] = l ^ f[i]!;
    }
  }
  // The halves are swapped once more before the final permutation (the output is R16 L16).
  for (let i = 0; i < 32; i++) {
    const l = lr[i]!;
    lr[i] = lr[32 + i]!;
    lr[32 + i] = l;
  }
  permute(lr, FP, bits);
  for (let i = 0; i < 8; i++) {
    let v = 0;
    for (let j = 0; j < 8; j++) v = (v << 1) | bits[i * 8 + j]!;
    out[outOffset + i] = v;
  }
  return out;
}
