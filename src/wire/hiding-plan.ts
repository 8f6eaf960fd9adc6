/**
 * What the encoder hides, and how much it pads (RFC 2661 §4.3, §4.4).
 *
 * **Which AVPs.** Only those the RFC lets be hidden: §4.4 says of Message Type, Result Code,
 * Protocol Version, Tie Breaker, Host Name, Receive Window Size, Q.931 Cause Code, Random Vector
 * and Sequencing Required "This AVP MUST NOT be hidden" (RFC 3931 §5.4.1 the same of Message
 * Digest and the Authentication Nonce); the catalogue's `hideable` carries these rules (and is
 * false for extension AVPs whose RFC was not checked). Asking to hide one is a local error.
 *
 * **Padding.** §4.3 lets a sender append any padding to the Original Attribute Value ("to
 * disguise the length"), and real peers need some: l2tpns refuses a hidden AVP whose hidden part
 * (AVP Length − 6 = 2 + value + padding) is under 8 bytes ("Short hidden AVP.", StopCCN 2/2), and
 * mis-decodes hidden parts over 16 bytes (it chains MD5 over the wrong block). So by default a
 * hidden part shorter than 16 bytes is padded to a random total from max(8, its size) to 16, with
 * random bytes; longer values are left alone.
 */
import type { AvpDef } from './avp-def.js';
import { assertBytes, assertInt } from './bytes.js';
import { secretBytes } from './challenge.js';
import { Md5 } from './md5.js';
import type { HidingOptions, HidingPad } from './control-types.js';

const MAX_HIDDEN = 0x3ff - 6;
const DEFAULT_MIN = 8;
const DEFAULT_MAX = 16;

/** Checked once per encode: the hidden types the caller asked for are all allowed (§4.4). */
export function checkHiding(hiding: HidingOptions, avpDefOf: (vendorId: number, type: number) => AvpDef | undefined): void {
  const list = hiding.avps;
  if (list !== undefined) {
    if (!Array.isArray(list)) throw new TypeError('hiding.avps must be an array of AVP types');
    for (const t of list) {
      assertInt(t, 0, 0xffff, 'hiding.avps entry');
      const d = avpDefOf(0, t);
      // `hideable: false` with an M rule of 'may' marks a row whose RFC text was not checked (see
      // the catalogue's note): hidden only when listed, at the caller's word. Otherwise the RFC
      // said MUST NOT.
      if (d !== undefined && !d.hideable && d.mandatoryRule !== 'may') {
        throw new RangeError(`hiding.avps lists ${d.name} (AVP ${t}), which MUST NOT be hidden (${d.rfc}); remove it`);
      }
    }
  }
  if (hiding.padding !== undefined) assertBytes(hiding.padding, 'hiding.padding');
  const pad = hiding.pad;
  if (pad !== undefined && pad !== false) {
    if (typeof pad !== 'object' || pad === null) throw new TypeError('hiding.pad must be an object { min?, max?, random? } or false');
    const min = pad.min ?? DEFAULT_MIN;
    assertInt(min, 2, MAX_HIDDEN, 'hiding.pad.min (bytes of hidden part: 2 + value + padding)');
    assertInt(pad.max ?? Math.max(min, DEFAULT_MAX), min, MAX_HIDDEN, `hiding.pad.max (≥ hiding.pad.min ${min})`);
    if (pad.random !== undefined && typeof pad.random !== 'function') throw new TypeError('hiding.pad.random must be a function (n) => Uint8Array');
  }
}

const hasher = new Md5();
const block = new Uint8Array(16);
const counter = new Uint8Array(3);

/**
 * Random bytes when the caller gave no `pad.random`: the encoder is pure, so they are derived
 * from what the caller did give, MD5(secret | Random Vector | 0x70 | AVP index, block). The
 * Random Vector is fresh per message and the secret keeps them unpredictable to an observer,
 * who sees the vector but not the secret (so the padding length leaks nothing).
 */
function derived(hiding: HidingOptions, index: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const s = secretBytes(hiding.secret);
  for (let i = 0, k = 0; i < n; i += 16, k++) {
    counter[0] = 0x70;
    counter[1] = index;
    counter[2] = k;
    hasher.reset();
    hasher.update(s).update(hiding.randomVector).update(counter).digestInto(block, 0);
    out.set(block.subarray(0, Math.min(16, n - i)), i);
  }
  return out;
}

/**
 * The padding for the `index`-th hidden AVP of a message, whose value is `length` bytes:
 * `hiding.padding` as given, or random padding per `hiding.pad` (see the module note).
 */
export function paddingFor(hiding: HidingOptions, index: number, length: number): Uint8Array | undefined {
  if (hiding.padding !== undefined) return hiding.padding;
  const pad: HidingPad | false = hiding.pad ?? {};
  if (pad === false) return undefined;
  const min = pad.min ?? DEFAULT_MIN;
  const max = pad.max ?? Math.max(min, DEFAULT_MAX);
  const size = 2 + length;
  if (size >= max) return undefined;
  const lo = Math.max(min, size);
  // One byte chooses the total, the rest are the padding; modulo bias is immaterial here.
  const r = pad.random !== undefined ? pad.random(1 + max - size) : derived(hiding, index, 1 + max - size);
  assertBytes(r, 'hiding.pad.random(n) result');
  if (r.length < 1 + max - size) throw new RangeError(`hiding.pad.random(${1 + max - size}) returned ${r.length} bytes`);
  const total = lo + (r[0]! % (max - lo + 1));
  return r.slice(1, 1 + total - size);
}
