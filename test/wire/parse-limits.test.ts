/**
 * The parser's value-length check, row by row (RFC 2661 §4.1, §4.4; RFC 3931 §5.4): a clear AVP
 * whose value is one byte shorter than the catalogue's minimum or one byte longer than its maximum
 * is refused with `BAD_AVP_VALUE` at the AVP's offset, for every row — the IETF rows below 128
 * (checked in the walk against a packed table) and the vendor and high-numbered rows (checked
 * against the rule) alike. The bounds themselves are tested against the RFC tables in
 * avp-catalog.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { AVP_CATALOG } from '../../src/wire/avp-catalog.js';
import { L2tpError } from '../../src/wire/errors.js';
import { parseControl } from '../../src/wire/control-parse.js';

/** A v2 HELLO (RFC 2661 §6.5: no required AVPs) with one more AVP: `vendorId`:`type`, `valueLength` zero bytes. */
function helloWith(vendorId: number, type: number, valueLength: number): Uint8Array {
  const len = 12 + 8 + 6 + valueLength;
  const b = new Uint8Array(len);
  b.set([0xc8, 0x02, len >>> 8, len & 0xff, 0, 1, 0, 0, 0, 0, 0, 0]);
  b.set([0x80, 8, 0, 0, 0, 0, 0, 6], 12); // Message Type: HELLO
  b.set([(6 + valueLength) >>> 8, (6 + valueLength) & 0xff, vendorId >>> 8, vendorId & 0xff, type >>> 8, type & 0xff], 20);
  return b;
}

function errorOf(f: () => unknown): L2tpError | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(L2tpError);
    return e as L2tpError;
  }
}

describe('every catalogue row: a value outside its length bounds is refused at the AVP, one at a bound is not', () => {
  const rows = AVP_CATALOG.filter((d) => d.codec.minLength > 0 || d.codec.maxLength < 1017);

  it.each(rows.map((d) => [d.name, d] as const))('%s', (_name, d) => {
    let checked = 0;
    for (const n of [d.codec.minLength - 1, d.codec.maxLength + 1]) {
      if (n < 0 || n > 1017) continue;
      const e = errorOf(() => parseControl(helloWith(d.vendorId, d.type, n)));
      expect(e?.code, `${n} bytes`).toBe('BAD_AVP_VALUE');
      expect(e?.offset, `${n} bytes`).toBe(20);
      expect(e?.message).toContain(`${d.name} AVP value is ${n} bytes`);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    // The bounds themselves pass the length check (zero bytes may still fail a content rule,
    // with a message of its own).
    for (const n of [d.codec.minLength, Math.min(d.codec.maxLength, 1017)]) {
      const e = errorOf(() => parseControl(helloWith(d.vendorId, d.type, n)));
      if (e !== undefined) expect(e.message, `${n} bytes`).not.toContain('AVP value is');
    }
  });

  it('covers IETF rows below 128 and the others (both paths of the walk)', () => {
    expect(rows.filter((d) => d.vendorId === 0 && d.type < 128).length).toBeGreaterThan(30);
    expect(rows.filter((d) => d.vendorId !== 0 || d.type >= 128).length).toBeGreaterThan(10);
  });
});
