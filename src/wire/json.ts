/**
 * Loggable forms: everything a peer can make this library produce must survive `JSON.stringify`
 * (a log line must never throw). `JSON.stringify` throws on a `bigint` (64-bit AVPs: RFC 3931
 * Tx/Rx Connect Speed, Broadband Forum rates) and writes a `Uint8Array` as an object of indices,
 * so the JSON forms carry 64-bit values as decimal strings and bytes as lowercase hex.
 */

/**
 * The JSON form of a value of type `T`: `bigint` → decimal string, `Uint8Array` → hex string,
 * arrays and objects converted member by member.
 * @example
 * ```ts
 * type J = Jsonified<{ speed: bigint; digest: Uint8Array }>; // { speed: string; digest: string }
 * ```
 */
export type Jsonified<T> = T extends bigint
  ? string
  : T extends Uint8Array
    ? string
    : T extends readonly (infer U)[]
      ? Jsonified<U>[]
      : T extends object
        ? { -readonly [K in keyof T]: Jsonified<T[K]> }
        : T;

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

/**
 * Lowercase hex of `bytes`, two digits per byte.
 * @example
 * ```ts
 * bytesToHex(new Uint8Array([0xc8, 0x02])); // 'c802'
 * ```
 */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
}

/**
 * The JSON form of a typed AVP value (see {@link Jsonified}): safe for `JSON.stringify`.
 * @example
 * ```ts
 * JSON.stringify(jsonValue({ speed: 10n ** 10n })); // '{"speed":"10000000000"}'
 * ```
 */
export function jsonValue<T>(v: T): Jsonified<T> {
  return convert(v) as Jsonified<T>;
}

function convert(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Uint8Array) return bytesToHex(v);
  if (Array.isArray(v)) return v.map(convert);
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) o[k] = convert((v as Record<string, unknown>)[k]);
  return o;
}
