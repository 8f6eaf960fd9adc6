/**
 * Known answers for the v3 control arbitrary that do not come from our own parser: Wireshark
 * decodes a fixed sample of generated L2TPv3 control messages (every RFC 3931 type), written to a
 * pcap with l2tp-wire/pcap, and its fields must be the values the generator put in.
 *
 * Signed messages are in the sample too. Wireshark can only check a Message Digest with the
 * nonces of a control connection it saw from the SCCRQ on, which a random sample is not, so for
 * those it reports "Incorrect Digest" and nothing else; digests are checked against Wireshark in
 * test/wire/v3-wireshark.test.ts, on whole exchanges.
 *
 * Needs tshark; without it (and L2TP_WIRE_NO_TSHARK=1) the test is reported skipped with that reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { V3_MESSAGE_AVPS, controlMessageV3Arb, type GeneratedControlV3 } from '../../src/arbitraries.js';
import { writePcap } from '../../src/pcap.js';
import { titled } from '../support/skip.js';
import { tsharkProblem } from '../support/tshark.js';

const noTshark = tsharkProblem();
const dir = mkdtempSync(join(tmpdir(), 'l2tp-v3arb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIELDS = [
  'l2tp.ccid',
  'l2tp.Ns',
  'l2tp.Nr',
  'l2tp.avp.message_type',
  'l2tp.avp.host_name',
  'l2tp.avp.router_id',
  'l2tp.avp.assigned_control_conn_id',
  'l2tp.avp.pw_type',
  'l2tp.avp.local_session_id',
  'l2tp.avp.remote_session_id',
  'l2tp.avp.assigned_cookie',
  'l2tp.avp.pseudowire_type',
  'l2tp.avp.layer2_specific_sublayer',
  'l2tp.avp.data_sequencing',
  '_ws.expert.message',
];

/**
 * Printable ASCII strings only (Host Name, Vendor Name, a Result Code's message…, and Remote End
 * ID, an octet string Wireshark shows as text): Wireshark flags control characters in them
 * ("Trailing stray characters").
 */
const textOk = (v: unknown): boolean =>
  typeof v === 'string' ? /^[\x20-\x7e]*$/.test(v) : v !== null && typeof v === 'object' && !(v instanceof Uint8Array) ? Object.values(v).every(textOk) : true;
const printable = (g: GeneratedControlV3): boolean =>
  textOk(g.fields) && (!(g.fields.remoteEndId instanceof Uint8Array) || g.fields.remoteEndId.every((x) => x >= 0x20 && x <= 0x7e));

function expected(g: GeneratedControlV3): string[] {
  const f = g.fields as Record<string, unknown>;
  const s = (v: unknown): string => (v === undefined ? '' : String(v));
  const hex = (v: unknown): string => (v instanceof Uint8Array ? [...v].map((x) => x.toString(16).padStart(2, '0')).join('') : '');
  return [
    `0x${(g.init.tunnelId ?? 0).toString(16).padStart(8, '0')}`,
    s(g.init.ns),
    s(g.init.nr),
    String(g.type),
    s(f.hostName),
    s(f.routerId),
    s(f.assignedControlConnectionId),
    Array.isArray(f.pseudowireCapabilitiesList) ? f.pseudowireCapabilitiesList.join(',') : '',
    s(f.localSessionId),
    s(f.remoteSessionId),
    hex(f.assignedCookie),
    s(f.pseudowireType),
    s(f.l2SpecificSublayer),
    s(f.dataSequencing),
  ];
}

it.skipIf(noTshark !== undefined)(titled('tshark decodes generated v3 control messages to the fields they were generated from', noTshark), () => {
  // Every RFC 3931 message type, twice unsigned and once signed.
  const sample = V3_MESSAGE_AVPS.flatMap((row, i) => [
    ...fc.sample(controlMessageV3Arb({ types: [row.type], extras: false }).filter(printable), { numRuns: 2, seed: 3931 + i }),
    ...fc.sample(controlMessageV3Arb({ types: [row.type], extras: false, secret: 'v3 secret' }).filter(printable), { numRuns: 1, seed: 4719 + i }),
  ]);
  expect(new Set(sample.map((g) => g.type)).size).toBe(15);
  const file = join(dir, 'v3-arbitrary.pcap');
  writeFileSync(file, writePcap(sample.map((g) => ({ payload: g.bytes, src: '192.0.2.1', dst: '192.0.2.2', srcPort: 40000 }))));
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=|', ...FIELDS.flatMap((x) => ['-e', x])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const rows = out.trimEnd().split('\n').map((l) => l.split('|'));
  expect(rows).toHaveLength(sample.length);
  rows.forEach((row, i) => {
    const g = sample[i]!;
    expect(row.slice(0, FIELDS.length - 1), `#${i} ${g.name}`).toEqual(expected(g));
    expect(row[FIELDS.length - 1], `#${i} ${g.name} expert items`).toBe(g.auth ? 'Incorrect Digest' : '');
  });
});
