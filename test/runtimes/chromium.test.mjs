/**
 * Codec smoke test in headless Chromium, against the built ESM bundle (dist/index.js and
 * dist/testing.js, as a browser app would load them).
 *
 * The page imports the bundle from a loopback HTTP server (127.0.0.1, port 0), runs the codec,
 * and hands back plain JSON; every assertion is made here in Node against known answers from
 * the xl2tpd captures (test/vectors), RFC 1321 §A.5, and RFC 2661 §4.3 written out with
 * node:crypto — never against our own encoder run in Node.
 *
 * Run: `npm run build && node --test test/runtimes/chromium.test.mjs`
 * (test/scripts/test-runtimes.mjs does both). Chromium is Debian's `chromium` package
 * (/usr/bin/chromium, or set L2TP_WIRE_CHROMIUM). A missing browser FAILS the test.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const VECTORS = fileURLToPath(new URL('../vectors/', import.meta.url));
const SECRET = 'l2tp-wire-test-secret';
const CHROMIUM = process.env.L2TP_WIRE_CHROMIUM ?? '/usr/bin/chromium';

// The flags DEVELOPERS.md gives: no sandbox (root in a container), no GPU, and nothing that
// reaches out to the network on its own. Playwright adds --headless and --user-data-dir.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Frame `n` (1-based, as in the pcap) of a capture, as hex. */
function frameHex(capture, n) {
  const line = readFileSync(join(VECTORS, `${capture}.hex`), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`#${n} `));
  assert.ok(line, `${capture}.hex has no frame #${n}`);
  return line.trim().split(/\s+/).at(-1);
}

/** The ICRQ with hidden AVPs that test/vectors/tools/hostile.py sent and xl2tpd accepted (hostile.txt). */
function hostileIcrqHex() {
  const line = readFileSync(join(VECTORS, 'hostile.txt'), 'utf8')
    .split('\n')
    .find((l) => l.includes('>> ICRQ with hidden Assigned Session 4660'));
  assert.ok(line, 'hostile.txt has no ICRQ with hidden AVPs');
  return line.match(/hex=([0-9a-f]+)/)[1];
}

/**
 * Split a control message's AVPs by their Length field (RFC 2661 §4.1: 6-bit flags/reserved,
 * 10-bit Length), written here without the library so the comparison does not trust it.
 */
function avpHexes(hex) {
  const b = Buffer.from(hex, 'hex');
  const out = [];
  for (let o = 12; o < b.length; ) {
    const len = b.readUInt16BE(o) & 0x03ff;
    assert.ok(len >= 6 && o + len <= b.length, `bad AVP length ${len} at ${o}`);
    out.push(b.subarray(o, o + len).toString('hex'));
    o += len;
  }
  return out;
}

/** RFC 2661 §4.3 hiding, written from the RFC's text: MD5(type ‖ secret ‖ RV), then MD5(secret ‖ c(i)). */
function hideByRfc(type, value, secret, rv) {
  const s = Buffer.from(secret, 'utf8');
  const sub = Buffer.concat([Buffer.from([value.length >> 8, value.length & 0xff]), value]);
  const out = Buffer.alloc(sub.length);
  let b = createHash('md5').update(Buffer.from([type >> 8, type & 0xff])).update(s).update(rv).digest();
  for (let i = 0; i < sub.length; i += 16) {
    for (let j = 0; j < 16 && i + j < sub.length; j++) out[i + j] = sub[i + j] ^ b[j];
    b = createHash('md5').update(s).update(out.subarray(i, i + 16)).digest();
  }
  return out;
}

/** Paths the page asked for that dist/ does not have (a bundle importing a missing chunk shows here). */
const notFound = [];

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json', '.html': 'text/html; charset=utf-8' };

/** Serve dist/ read-only on 127.0.0.1 (port 0), and an empty page at / to give the browser an http origin. */
function serveDist() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      // data: icon, so the browser does not ask for /favicon.ico.
      res.end('<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>l2tp-wire smoke</title>');
      return;
    }
    const file = resolve(DIST, `.${path}`);
    if (!file.startsWith(DIST + sep) || !existsSync(file)) {
      notFound.push(path);
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/**
 * Runs in the page: everything it returns is JSON (hex strings, numbers), asserted in Node.
 * Kept free of closures: Playwright sends its source text to the browser.
 */
async function inPage({ base, sccrpHex, hiddenIcrqHex, secret }) {
  const L = await import(`${base}/index.js`);
  const T = await import(`${base}/testing.js`);
  const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const bytes = (h) => Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16));
  const r = { runtime: navigator.userAgent, hasProcess: typeof globalThis.process !== 'undefined' };

  // Build an SCCRQ with the values xl2tpd put in its own (plain.hex #1).
  r.sccrq = hex(
    L.sccrq({
      hostName: 'lac-plain',
      vendorName: 'xelerance.com',
      firmwareRevision: 1680,
      assignedTunnelId: 46452,
      receiveWindowSize: 4,
      framingCapabilities: 3,
      bearerCapabilities: 0,
    }),
  );

  // Parse xl2tpd's real SCCRP (plain.hex #2).
  const sccrp = L.parseControl(bytes(sccrpHex));
  r.sccrp = {
    typeName: sccrp.typeName,
    tunnelId: sccrp.tunnelId,
    ns: sccrp.ns,
    nr: sccrp.nr,
    hostName: sccrp.hostName,
    vendorName: sccrp.vendorName,
    assignedTunnelId: sccrp.assignedTunnelId,
    receiveWindowSize: sccrp.receiveWindowSize,
    firmwareRevision: sccrp.firmwareRevision,
    avpCount: sccrp.avps.length,
  };

  // hostile.txt's ICRQ with three hidden AVPs (one of them two MD5 blocks long) that xl2tpd
  // unhid and accepted: parse with the secret, unhide by hand, and hide the same value again.
  const icrq = L.parseControl(bytes(hiddenIcrqHex), { secret });
  const rv = icrq.avps.find((a) => a.type === 36);
  const h = icrq.avps.find((a) => a.hidden);
  r.hidden = {
    assignedSessionId: icrq.assignedSessionId,
    calledNumber: icrq.calledNumber,
    callingNumber: icrq.callingNumber,
    hiddenTypes: icrq.avps.filter((a) => a.hidden).map((a) => a.type),
    firstHidden: { type: h.type, value: hex(h.value) },
    unhidden: hex(L.unhideAvpValue(h.type, h.value, secret, rv.value)),
    rehidden: hex(L.hideAvpValue(h.type, L.unhideAvpValue(h.type, h.value, secret, rv.value), secret, rv.value)),
  };
  try {
    L.parseControl(bytes(hiddenIcrqHex), { secret: 'not-the-secret' });
    r.hidden.wrongSecret = 'no error';
  } catch (e) {
    r.hidden.wrongSecret = { isL2tpError: e instanceof L.L2tpError, code: e.code };
  }

  // Hide a value under a Random Vector of our own, and back.
  const fixedRv = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
  const hiddenValue = L.hideAvpValue(14, Uint8Array.of(0x12, 0x34), secret, fixedRv);
  r.hide = { hidden: hex(hiddenValue), back: hex(L.unhideAvpValue(14, hiddenValue, secret, fixedRv)) };

  r.md5abc = hex(L.md5(new TextEncoder().encode('abc')));

  // The PPP layer's crypto (RFC 1320 §A.5, FIPS 180, FIPS 81, RFC 2202, RFC 2759 §9.2) and one
  // CHAP-MD5 and one MS-CHAPv2 login between our PPP client and server, all inside the page.
  const ascii = (s) => new TextEncoder().encode(s);
  const unhex = (s) => Uint8Array.from(s.match(/../g), (x) => parseInt(x, 16));
  r.crypto = {
    md4abc: hex(L.md4(ascii('abc'))),
    sha1abc: hex(L.sha1(ascii('abc'))),
    desNow: hex(L.desEncryptBlock(unhex('0123456789abcdef'), ascii('Now is t'))),
    hmacSha1Jefe: hex(L.hmac(L.SHA1_HASH, ascii('Jefe'), ascii('what do ya want for nothing?'))),
    ntResponse: hex(L.generateNtResponse(unhex('5b5d7c7d7b3f2f3e3c2c602132262628'), unhex('21402324255e262a28295f2b3a337c7e'), 'User', 'clientPass')),
    authResponse: L.generateAuthenticatorResponse('clientPass', unhex('82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df'), unhex('21402324255e262a28295f2b3a337c7e'), unhex('5b5d7c7d7b3f2f3e3c2c602132262628'), 'User'),
  };
  const random = (n) => crypto.getRandomValues(new Uint8Array(n));
  r.ppp = {};
  for (const method of ['chap-md5', 'mschapv2']) {
    const client = new L.PppClient({ random, username: 'alice', password: 'pw' });
    const server = new L.PppServer({ random, authProtocols: [method], authenticate: (_m, _u, p) => p.verify('pw'), peerAddress: '10.1.2.3', dns: ['10.1.2.53'] });
    const queue = [];
    const take = (from, actions) => { for (const a of actions) { if (a.type === 'send') queue.push([from === client ? server : client, a.frame.slice()]); if (a.type === 'up' && from === client) r.ppp[method] = a.info; } };
    take(server, server.handle({ type: 'open' }, 0));
    take(client, client.handle({ type: 'open' }, 0));
    for (let i = 0; i < 200 && queue.length > 0; i++) { const [to, frame] = queue.shift(); take(to, to.handle({ type: 'received', frame }, 0)); }
  }

  // Sequencer round: our SCCRQ goes out as Ns 0; xl2tpd's SCCRP (Ns 0, Nr 1) acknowledges it
  // and is delivered; with an ack delay (250 ms here; the default is 0: ack at once) the ack is due after it.
  const seq = new L.Sequencer({ ackDelay: 250 });
  const sent = seq.send(L.sccrq({ hostName: 'browser', assignedTunnelId: 7 }), 0);
  r.seq = { transmitted: sent.transmit.length, nsNr: hex(sent.transmit[0].subarray(8, 12)), inFlightAfterSend: seq.inFlight };
  const got = seq.receive(sccrp, 10);
  r.seq.delivered = got.deliver.length;
  r.seq.deliveredType = got.deliver[0]?.typeName;
  r.seq.inFlightAfterAck = seq.inFlight;
  r.seq.nextNr = seq.nextNr;
  const deadline = seq.nextDeadline();
  const tick = seq.tick(deadline ?? 10_000);
  r.seq.ack = { ack: tick.ack, ackNs: tick.ackNs, ackNr: tick.ackNr };

  // Wire errors are L2tpError with a code and offset.
  try {
    L.parseControl(Uint8Array.of(0xc8, 0x02, 0x00));
    r.truncated = 'no error';
  } catch (e) {
    r.truncated = { isL2tpError: e instanceof L.L2tpError, code: e.code, offset: e.offset };
  }

  // l2tp-wire/testing loads too, and its in-memory transport carries bytes.
  const link = T.memoryTransportPair();
  const echoed = new Promise((ok) => link.b.onMessage((m) => ok(hex(m))));
  await link.a.send(Uint8Array.of(1, 2, 3));
  r.memory = await echoed;

  // l2tp-wire/pcap (pure) decodes a capture in the page: a libpcap file (little-endian, raw IP)
  // written by hand from the format spec: IPv4 127.0.0.1 UDP 1701 → 1701, an L2TPv2 Hello to
  // tunnel 7 (Ns 3, Nr 2) at 1 700 000 000.123456 s. A bad magic throws the core's L2tpError.
  const P = await import(`${base}/pcap.js`);
  const cap = P.decodeCapture(bytes('d4c3b2a1020004000000000000000000000004006500000000f1536540e2010030000000300000004500003000004000401100007f0000017f00000106a506a5001c0000c802001400070000000300028008000000000006'));
  const rec = cap.records[0];
  r.pcap = { format: cap.format, count: cap.records.length, type: rec.control.typeName, tunnelId: rec.control.tunnelId, ns: rec.control.ns, timestampUs: rec.timestampUs, src: rec.src };
  try {
    P.readCaptureFile(Uint8Array.of(1, 2, 3, 4));
  } catch (e) {
    r.pcap.bad = { isL2tpError: e instanceof L.L2tpError, code: e.code, offset: e.offset };
  }
  return r;
}

describe('headless Chromium runs the built ESM bundle', { timeout: 120_000 }, () => {
  let server;
  let context;
  let profile;
  let result;
  let pageErrors = [];

  before(async () => {
    assert.ok(existsSync(join(DIST, 'index.js')), 'dist/index.js is missing: run `npm run build` first');
    if (!existsSync(CHROMIUM)) {
      assert.fail(`${CHROMIUM} not found: apt-get install -y chromium (or set L2TP_WIRE_CHROMIUM to its path)`);
    }
    const { chromium } = await import('playwright-core');
    server = await serveDist();
    const base = `http://127.0.0.1:${server.address().port}`;
    profile = mkdtempSync(join(tmpdir(), 'l2tp-wire-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    await page.goto(`${base}/`);
    result = await page.evaluate(inPage, {
      base,
      sccrpHex: frameHex('plain', 2),
      hiddenIcrqHex: hostileIcrqHex(),
      secret: SECRET,
    });
  });

  after(async () => {
    await context?.close();
    server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('ran in Chromium (not Node), with no page errors', (t) => {
    assert.match(result.runtime, /Chrome\/\d+/);
    assert.equal(result.hasProcess, false, 'the page has no `process`: the bundle must not need Node globals');
    assert.deepEqual({ pageErrors, notFound }, { pageErrors: [], notFound: [] });
  });

  it('builds an SCCRQ with the same AVPs, byte for byte, as xl2tpd sent with those values (plain.hex #1)', (t) => {
    const real = frameHex('plain', 1);
    // Header: T,L,S bits and version 2 (c802), Length, Tunnel ID 0, Session ID 0, Ns 0, Nr 0.
    assert.equal(result.sccrq.slice(0, 24), real.slice(0, 24));
    // RFC 2661 §4.1: Message Type first; the rest may come in any order.
    const ours = avpHexes(result.sccrq);
    const theirs = avpHexes(real);
    assert.equal(ours[0], '800800000000' + '0001');
    assert.deepEqual([...ours].sort(), [...theirs].sort());
  });

  it("parses xl2tpd's SCCRP (plain.hex #2) to what plain.summary.txt shows", (t) => {
    assert.deepEqual(result.sccrp, {
      typeName: 'SCCRP',
      tunnelId: 46452,
      ns: 0,
      nr: 1,
      hostName: 'lns-plain',
      vendorName: 'xelerance.com',
      assignedTunnelId: 49981,
      receiveWindowSize: 4,
      firmwareRevision: 1680,
      avpCount: 9,
    });
  });

  it("unhides the hidden AVPs of hostile.txt's ICRQ that xl2tpd accepted, and hides them back to the same bytes", (t) => {
    // Values from test/vectors/tools/hostile.py, which hid them; xl2tpd's ICRP went to Session ID 4660.
    assert.equal(result.hidden.assignedSessionId, 4660);
    assert.equal(result.hidden.calledNumber, 'called-0123456789-abcdefghijk');
    assert.equal(result.hidden.callingNumber, 'calling-number-longer-than-one-md5-block');
    assert.deepEqual(result.hidden.hiddenTypes, [14, 21, 22]);
    assert.deepEqual(result.hidden.firstHidden, { type: 14, value: 'b4ebadda' });
    assert.equal(result.hidden.unhidden, '1234');
    assert.equal(result.hidden.rehidden, 'b4ebadda');
    assert.deepEqual(result.hidden.wrongSecret, { isL2tpError: true, code: result.hidden.wrongSecret.code });
    assert.equal(typeof result.hidden.wrongSecret.code, 'string');
  });

  it('hides an AVP value as RFC 2661 §4.3 says (checked with node:crypto), and unhides it', (t) => {
    const rv = Buffer.from(Array.from({ length: 16 }, (_, i) => i * 17));
    assert.equal(result.hide.hidden, hideByRfc(14, Buffer.from([0x12, 0x34]), SECRET, rv).toString('hex'));
    assert.equal(result.hide.back, '1234');
  });

  it('PPP crypto: MD4, SHA-1, DES, HMAC-SHA1 and MS-CHAPv2 give the published answers in the browser', () => {
    assert.deepEqual(result.crypto, {
      md4abc: 'a448017aaf21d8525fc10ae87aa6729d',
      sha1abc: 'a9993e364706816aba3e25717850c26c9cd0d89d',
      desNow: '3fa40e8a984d4815',
      hmacSha1Jefe: 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79',
      ntResponse: '82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df',
      authResponse: 'S=407A5589115FD0D6209F510FE9C04566932CDA56',
    });
  });

  it('a PPP client logs in to a PPP server with CHAP-MD5 and MS-CHAPv2 in the browser', () => {
    for (const m of ['chap-md5', 'mschapv2']) {
      assert.equal(result.ppp[m]?.authProtocol, m);
      assert.equal(result.ppp[m]?.ipAddress, '10.1.2.3');
      assert.deepEqual(result.ppp[m]?.dns, ['10.1.2.53']);
    }
  });

  it('md5("abc") is the RFC 1321 §A.5 answer', (t) => {
    assert.equal(result.md5abc, '900150983cd24fb0d6963f7d28e17f72');
  });

  it("runs a Sequencer round: Ns 0 out, xl2tpd's SCCRP acks it and is delivered, then a ZLB ack is due", (t) => {
    assert.deepEqual(result.seq, {
      transmitted: 1,
      nsNr: '00000000',
      inFlightAfterSend: 1,
      delivered: 1,
      deliveredType: 'SCCRP',
      inFlightAfterAck: 0,
      nextNr: 1,
      ack: { ack: true, ackNs: 1, ackNr: 1 },
    });
  });

  it('reports a truncated message as L2tpError TRUNCATED, and the testing entry point loads', (t) => {
    assert.equal(result.truncated.isL2tpError, true);
    assert.equal(result.truncated.code, 'TRUNCATED');
    assert.equal(typeof result.truncated.offset, 'number');
    assert.equal(result.memory, '010203');
  });

  it('l2tp-wire/pcap decodes a hand-written capture in the page; a bad file throws the shared L2tpError', (t) => {
    assert.deepEqual(result.pcap, {
      format: 'pcap',
      count: 1,
      type: 'HELLO',
      tunnelId: 7,
      ns: 3,
      timestampUs: 1_700_000_000_123_456,
      src: { address: '127.0.0.1', port: 1701 },
      bad: { isL2tpError: true, code: 'BAD_VERSION', offset: 0 },
    });
  });
});
