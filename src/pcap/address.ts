/** IPv4 and IPv6 text to bytes (RFC 4291 §2.2 forms, zone index ignored), for the writer. */

function ipv4(text: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  return b.every((x) => x <= 255) ? b : undefined;
}

function ipv6(text: string): number[] | undefined {
  const t = text.replace(/%.*$/, '');
  if (!t.includes(':')) return undefined;
  let tail: number[] = [];
  let s = t;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (v4) {
    const b = ipv4(v4[1]!);
    if (!b) return undefined;
    tail = b;
    s = t.slice(0, v4.index + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0 || [...head, ...rest].some(Number.isNaN)) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The 4 or 16 bytes of an IPv4 or IPv6 address; `RangeError` for anything else. */
export function addressBytes(text: string): number[] {
  const b = ipv4(text) ?? ipv6(text);
  if (!b) throw new RangeError(`not an IPv4 or IPv6 address: ${JSON.stringify(text)}`);
  return b;
}
