/**
 * `npm run demo`: an embedded LNS on 127.0.0.1 and our client against it — tunnel (with
 * challenge/response), session, one PPP frame echoed, HELLO, hang-up, teardown — printed as a
 * ladder diagram of every message on the wire, with timings seen from the LAC.
 *
 * Run without a build: esbuild bundles this file and pipes it to node (see package.json).
 */
// The demo uses the public API only, as a user's script would.
import { openTunnel, parseControl, parseData, type Transport } from '../index.js';
import { createLns, udpTransport } from '../node.js';

const SECRET = 'l2tp-wire-demo-secret';
/** An LCP Configure-Request (RFC 1661 §5.1) in HDLC-like framing (RFC 1662): the usual first PPP frame. */
const LCP_CONF_REQ = Uint8Array.of(0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x0a, 0x05, 0x06, 0x12, 0x34, 0x56, 0x78);

interface Record {
  at: number;
  dir: 'out' | 'in';
  bytes: Uint8Array;
}

/** A Transport that records what passes through it, with a timestamp. */
function recording(inner: Transport, log: Record[], clock: () => number): Transport {
  return {
    get kind() {
      return inner.kind;
    },
    get remote() {
      return inner.remote;
    },
    get local() {
      return inner.local;
    },
    get closed() {
      return inner.closed;
    },
    send(message) {
      log.push({ at: clock(), dir: 'out', bytes: message.slice() });
      return inner.send(message);
    },
    onMessage(handler) {
      inner.onMessage((m) => {
        log.push({ at: clock(), dir: 'in', bytes: m.slice() });
        handler(m);
      });
    },
    onError: (h) => inner.onError(h),
    onClose: (h) => inner.onClose(h),
    close: () => inner.close(),
  };
}

/** What one message says, for the ladder: a label on the arrow and a note after it. */
function describe(b: Uint8Array): { label: string; note: string } {
  if ((b[0]! & 0x80) === 0) {
    const d = parseData(b);
    return { label: `DATA ${d.payload.length} B`, note: `session ${d.sessionId}` };
  }
  const m = parseControl(b, { secret: SECRET });
  const seq = `ns=${m.ns} nr=${m.nr}`;
  if (m.isZlb) return { label: `ZLB ${seq}`, note: 'ack' };
  const notes: string[] = [];
  if (m.tunnelId === 0) notes.push('tunnel 0');
  if (m.hostName !== undefined) notes.push(`host ${m.hostName}`);
  if (m.assignedTunnelId !== undefined) notes.push(`tunnel id ${m.assignedTunnelId}`);
  if (m.assignedSessionId !== undefined) notes.push(`session id ${m.assignedSessionId}`);
  if (m.challenge !== undefined) notes.push('challenge');
  if (m.challengeResponse !== undefined) notes.push('challenge response');
  if (m.resultCode !== undefined) notes.push(`result ${m.resultCode.result}${m.resultCode.message ? ` "${m.resultCode.message}"` : ''}`);
  return { label: `${m.typeName} ${seq}`, note: notes.join(', ') };
}

function ladder(log: Record[], t0: number): string {
  const W = 26;
  const lines: string[] = [];
  for (const r of log) {
    const { label, note } = describe(r.bytes);
    const ms = `+${(r.at - t0).toFixed(1)} ms`.padStart(10);
    const arrow = r.dir === 'out' ? `LAC ──${` ${label} `.padEnd(W, '─')}─▶ LNS` : `LAC ◀─${` ${label} `.padStart(W, '─')}── LNS`;
    lines.push(`${ms}  ${arrow}${note ? `   ${note}` : ''}`);
  }
  return lines.join('\n');
}

/**
 * What the ladder's abbreviations mean, one line each (RFC 2661 section in brackets). Printed
 * under the ladder for the ones that appear in it, in order of first appearance.
 */
const GLOSSARY: ReadonlyArray<readonly [term: string, meaning: string]> = [
  ['LAC', 'L2TP Access Concentrator: the side that places calls and opens tunnels, here our client (§1.2)'],
  ['LNS', 'L2TP Network Server: the side that answers and terminates the PPP sessions (§1.2)'],
  ['SCCRQ', 'Start-Control-Connection-Request: "let us open a tunnel", with our Tunnel ID (§6.1)'],
  ['SCCRP', 'Start-Control-Connection-Reply: the LNS agrees and gives its Tunnel ID (§6.2)'],
  ['SCCCN', 'Start-Control-Connection-Connected: we confirm; the tunnel is up (§6.3)'],
  ['ICRQ', 'Incoming-Call-Request: "a call came in, give me a session", with our Session ID (§6.6)'],
  ['ICRP', 'Incoming-Call-Reply: the LNS agrees and gives its Session ID (§6.7)'],
  ['ICCN', 'Incoming-Call-Connected: we confirm; the session is up and may carry PPP (§6.8)'],
  ['DATA', 'a data message: one PPP frame of a session, not sequenced or retransmitted (§5.3)'],
  ['HELLO', 'a keepalive on a quiet tunnel; its acknowledgement proves the peer is alive (§6.5)'],
  ['ZLB', 'Zero-Length Body: a bare header that only acknowledges (its nr) when nothing else is due (§5.8)'],
  ['CDN', 'Call-Disconnect-Notify: hang up one session, with a result code (§6.12)'],
  ['StopCCN', 'Stop-Control-Connection-Notification: close the tunnel and all its sessions (§6.4)'],
  ['ns/nr', 'sequence number of this control message / the next one expected from the peer (§5.8)'],
  ['challenge', 'shared-secret check: each side proves it knows the tunnel secret with an MD5 response (§5.1.1)'],
  ['PPP', 'Point-to-Point Protocol (RFC 1661): the link L2TP carries inside a session'],
];

/** The glossary lines for the terms that occur in `text`. */
function glossary(text: string): string {
  const w = Math.max(...GLOSSARY.map(([t]) => t.length));
  return GLOSSARY.filter(([t]) => (t === 'ns/nr' ? /\bns=/.test(text) : new RegExp(`(^|[^A-Za-z])${t}([^A-Za-z]|$)`, 'm').test(text)))
    .map(([t, m]) => `  ${t.padEnd(w)}  ${m}`)
    .join('\n');
}

async function main(): Promise<void> {
  const clock = () => performance.now();
  const lns = await createLns({ hostName: 'demo-lns', host: '127.0.0.1', port: 0, secret: SECRET, echo: true });
  const { address, port } = lns.address();
  const lnsEvents: string[] = [];
  lns.on('tunnel-up', (t) => lnsEvents.push(`tunnel ${t.id} up (peer ${t.peer?.hostName}, authenticated ${t.peer?.authenticated})`));
  lns.on('session-up', (s) => lnsEvents.push(`session ${s.id} up on tunnel ${s.tunnel.id}`));
  lns.on('session-down', (s, why) => lnsEvents.push(`session ${s.id} down (by ${why.by}, result ${why.result?.result ?? '-'})`));
  lns.on('tunnel-down', (t, why) => lnsEvents.push(`tunnel ${t.id} down (by ${why.by}, result ${why.result?.result ?? '-'})`));

  const log: Record[] = [];
  const transport = recording(await udpTransport({ host: address, port }), log, clock);
  const tunnel = await openTunnel(transport, { hostName: 'demo-lac', secret: SECRET, timeout: 5000 });
  const session = await tunnel.openSession({ kind: 'incoming' }, { timeout: 5000 });
  const frames = session.frames();
  await session.send(LCP_CONF_REQ);
  const echoed = await Promise.race([frames.next(), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no echo within 2 s')), 2000).unref())]);
  if (echoed.done || echoed.value.length !== LCP_CONF_REQ.length) throw new Error('the echoed frame did not come back intact');
  await tunnel.hello();
  // Let the LNS acknowledge the HELLO (a ZLB, RFC 2661 §5.8) before hanging up.
  const acked = log.length;
  for (let i = 0; i < 100 && !log.slice(acked).some((r) => r.dir === 'in'); i++) await new Promise((r) => setTimeout(r, 10));
  await session.close();
  await tunnel.close();
  const stats = lns.stats;
  await lns.close();

  console.log(`l2tp-wire demo: LAC (our client) ⇄ embedded LNS on ${address}:${port} over UDP, tunnel secret set\n`);
  const drawn = ladder(log, log[0]?.at ?? 0);
  console.log(drawn);
  console.log(`\nWhat the abbreviations mean (RFC 2661 sections):\n${glossary(drawn)}`);
  console.log(`\nSCCRQ → SCCRP round trip ${tunnel.rtt.toFixed(2)} ms; PPP frame echoed (${echoed.value.length} bytes).`);
  console.log(`LNS saw: ${lnsEvents.join('; ')}.`);
  console.log(`LNS stats: ${stats.tunnelsOpened} tunnel, ${stats.sessionsOpened} session, ${stats.messagesIn} messages in, ${stats.framesIn} frame in / ${stats.framesOut} out, ${stats.established} tunnels up, ${stats.lingering} lingering (a closed tunnel keeps acking a retransmitted StopCCN for a while, RFC 2661 §5.7) until lns.close().`);
}

// Never hang: whatever goes wrong, the demo ends.
const guard = setTimeout(() => {
  console.error('demo: did not finish within 20 s');
  process.exit(1);
}, 20_000);
guard.unref();
main().then(
  () => clearTimeout(guard),
  (e: unknown) => {
    console.error('demo failed:', e);
    process.exit(1);
  },
);
