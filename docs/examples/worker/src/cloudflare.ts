/**
 * The prober refuses targets that are Cloudflare's own (HTTP 403): a Worker's `connect()` cannot
 * reach them. It resolves host names first; we check the literal addresses only, against
 * Cloudflare's published ranges (https://www.cloudflare.com/ips-v4, /ips-v6). A host NAME that
 * points at Cloudflare is refused by the runtime instead: HTTP 500, code `TRANSPORT`.
 */
const V4 = ['173.245.48.0/20', '103.21.244.0/22', '103.22.200.0/22', '103.31.4.0/22', '141.101.64.0/18', '108.162.192.0/18', '190.93.240.0/20', '188.114.96.0/20',
  '197.234.240.0/22', '198.41.128.0/17', '162.158.0.0/15', '104.16.0.0/13', '104.24.0.0/14', '172.64.0.0/13', '131.0.72.0/22'];
const V6 = ['2400:cb00::/32', '2606:4700::/32', '2803:f800::/32', '2405:b500::/32', '2405:8100::/32', '2a06:98c0::/29', '2c0f:f248::/32'];

/** An address as a bigint and its width in bits, or undefined when `s` is no literal IP address. */
function address(s: string): [bigint, number] | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((b) => b <= 255) ? [bytes.reduce((a, b) => (a << 8n) | BigInt(b), 0n), 32] : undefined;
  }
  const bare = s.replace(/^\[|\]$/g, '');
  if (!/^[0-9a-f:]+$/i.test(bare) || bare.split('::').length > 2) return undefined;
  const [head, tail] = bare.split('::') as [string, string | undefined];
  const words = (x: string | undefined) => (x ? x.split(':') : []);
  const groups = tail === undefined ? words(head) : [...words(head), ...Array(8 - words(head).length - words(tail).length).fill('0'), ...words(tail)];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return [groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n), 128];
}

const inRange = (ip: [bigint, number], cidr: string): boolean => {
  const [base, bits] = cidr.split('/') as [string, string];
  const b = address(base)!;
  const shift = BigInt(b[1] - Number(bits));
  return ip[1] === b[1] && ip[0] >> shift === b[0] >> shift;
};

/** Whether `host` is a literal address of Cloudflare's. */
export function isCloudflareAddress(host: string): boolean {
  const ip = address(host);
  return ip !== undefined && (ip[1] === 32 ? V4 : V6).some((c) => inRange(ip, c));
}

/** A target of Cloudflare's: HTTP 403 with the prober's text and `isCloudflare: true`. */
export class CloudflareTarget extends Error {
  constructor(host: string) {
    super(`Cannot connect to ${host} (${host}): This domain is protected by Cloudflare. Workers cannot open TCP connections to Cloudflare's own addresses.`);
  }
}
