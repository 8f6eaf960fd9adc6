/**
 * `l2tp-wire decode` on the committed xl2tpd captures (test/vectors/pcap, written by tshark and
 * tcpdump): JSON shape and content, the human and trace views, --html, and its usage errors.
 * The decode itself is checked against tshark in test/pcap/tshark.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const DIR = join(__dirname, '../vectors/pcap');
const META = JSON.parse(readFileSync(join(DIR, 'meta.json'), 'utf8')) as { lnsPort: number; secret: string };
const PCAPNG = join(DIR, 'xl2tpd-tshark.pcapng');
const tmp = mkdtempSync(join(tmpdir(), 'l2tp-decode-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface Msg {
  frame: number;
  typeName: string;
  header: Record<string, number>;
  tunnel?: number;
  session?: number;
  avps: Array<{ type: number; name?: string; hidden: boolean; decoded?: unknown; unhidden?: string }>;
}

describe('l2tp-wire decode', () => {
  it('--json: every message with header fields, message type and AVPs in wire order, grouped', async () => {
    const r = await run(['decode', PCAPNG, '--json', '--port', String(META.lnsPort), '--secret', META.secret]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { format: string; frames: number; tunnels: unknown[]; sessions: unknown[]; messages: Msg[] };
    expect([j.format, j.frames, j.tunnels.length, j.sessions.length, j.messages.length]).toEqual(['pcapng', 25, 2, 2, 25]);
    const [sccrq, sccrp] = j.messages;
    expect(sccrq!.typeName).toBe('SCCRQ');
    expect(sccrq!.header).toMatchObject({ tunnelId: 0, sessionId: 0, ns: 0, nr: 0 });
    // xl2tpd's SCCRQ: Message Type, then Random Vector (its `hidden bit = yes` habit), then the rest.
    expect(sccrq!.avps.slice(0, 2).map((a) => a.name)).toEqual(['Message Type', 'Random Vector']);
    expect(sccrq!.avps.find((a) => a.name === 'Host Name')?.decoded).toBe('lac-pcap');
    expect(sccrp!.header.tunnelId).toBe(sccrq!.avps.find((a) => a.name === 'Assigned Tunnel ID')?.decoded);
    // Our own ICRQ to xl2tpd hid its Assigned Session ID; the secret shows it.
    const icrq = j.messages.filter((m) => m.typeName === 'ICRQ')[1]!;
    const hidden = icrq.avps.find((a) => a.type === 14)!;
    expect(hidden.hidden).toBe(true);
    expect(typeof hidden.unhidden).toBe('string');
    expect(hidden.decoded).toBe(j.messages.find((m) => m.typeName === 'ICRP' && m.tunnel === icrq.tunnel)!.header.sessionId);
  });

  it('human view: tunnels, sessions, one line per message; --trace: the ladder', async () => {
    const r = await run(['decode', PCAPNG, '--port', String(META.lnsPort)]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^pcapng, 25 frames, 25 L2TP messages, 2 tunnels, 2 sessions/);
    expect(r.out).toMatch(/tunnel 0 \(L2TPv2\): 127\.0\.0\.1:\d+ id \d+ ↔ 127\.0\.0\.1:\d+ id \d+, 13 messages/);
    expect(r.out).toContain('assignedSessionId(hidden)');
    const t = await run(['decode', PCAPNG, '--port', String(META.lnsPort), '--trace']);
    expect(t.out.split('\n').filter((l) => /^ *\+[\d.]+ ms *[─◀]/.test(l))).toHaveLength(25);
  });

  it('--html writes a self-contained page with one arrow and one entry per message', async () => {
    const file = join(tmp, 'x.html');
    const r = await run(['decode', PCAPNG, '--port', String(META.lnsPort), '--html', file, '--json']);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html.match(/<g class="msg/g)).toHaveLength(25);
    expect(html.match(/<details class="msg"/g)).toHaveLength(25);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('without --port, only 1701: this capture used another port, so nothing is L2TP', async () => {
    const r = await run(['decode', PCAPNG]);
    expect(r.out).toMatch(/0 L2TP messages/);
  });

  it('usage errors exit 2; a file that is not a capture exits 1 with the reason', async () => {
    expect((await run(['decode'])).code).toBe(2);
    expect((await run(['decode', PCAPNG, '--json', '--trace'])).code).toBe(2);
    expect((await run(['decode', PCAPNG, '--port', '70000'])).code).toBe(2);
    expect((await run(['decode', join(tmp, 'missing.pcap')])).err).toMatch(/cannot read .*ENOENT/);
    const junk = join(tmp, 'junk.pcap');
    writeFileSync(junk, 'not a capture at all');
    const r = await run(['decode', junk]);
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/not a readable capture: not a pcap or pcapng file .*\[BAD_VERSION\]/)]);
    const h = await run(['decode', '--help']);
    expect([h.code, h.out]).toEqual([0, expect.stringContaining('--cookie-length')]);
  });
});
