/**
 * Wireshark verifies our L2TPv3 Message Digest (RFC 3931 §4.3, §5.4.1).
 *
 * Wireshark's L2TP dissector keeps, per control connection, the Control Message Authentication
 * Nonces it saw in the SCCRQ and SCCRP and, given the shared secret (preference
 * `l2tp.shared_secret`), recomputes every Message Digest; a mismatch is the expert item
 * `l2tp.incorrect_digest` ("Incorrect Digest"). Wireshark is an independent implementation of the
 * RFC, so "no expert item on our messages, and one on each corrupted copy" is a real check:
 * the corrupted frames, the wrong-secret run and the swapped-nonces frame show it can fail.
 *
 * Needs tshark on PATH; without it the tests are reported skipped with that reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeControlV3, parseControlV3, type ControlMessageV3Init, type V3AuthOptions } from '../../src/index.js';
import { writePcap, type PcapPacket } from '../support/pcap.js';

const hasTshark = spawnSync('tshark', ['--version']).status === 0;
const SECRET = 'v3 shared secret';
/** The two LCCEs: Wireshark tells the nonce order by the source address. */
const A = '127.0.0.1';
const B = '127.0.0.2';
// Fixed nonces (a real LCCE draws them at random, ≥ 16 bytes, §5.4.1); different lengths on purpose.
const NONCE_A = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const NONCE_B = Uint8Array.from({ length: 24 }, (_, i) => 0x30 + i);
const FROM_A = { local: NONCE_A, remote: NONCE_B };
const FROM_B = { local: NONCE_B, remote: NONCE_A };
const CCID_A = 0x0a0b0c0d;
const CCID_B = 0x01020304;

interface Frame {
  readonly name: string;
  readonly payload: Uint8Array;
  readonly src: string;
  /** What Wireshark must say about the digest. */
  readonly digestOk: boolean;
}

function frame(name: string, src: string, msg: ControlMessageV3Init, auth: Omit<V3AuthOptions, 'secret'>, digestOk = true): Frame {
  return { name, src, payload: encodeControlV3(msg, { ...auth, secret: SECRET }), digestOk };
}

/** Flip one bit of the digest (the last byte of the Message Digest AVP at offset 20). */
function corrupt(f: Frame): Frame {
  const payload = f.payload.slice();
  const avpLength = ((payload[20]! & 0x03) << 8) | payload[21]!;
  payload[20 + avpLength - 1]! ^= 0x01;
  return { name: `${f.name} (digest corrupted)`, src: f.src, payload, digestOk: false };
}

/** One connection: SCCRQ/SCCRP/SCCCN, Hello, ACK (RFC 3931 §3.3, §5.3 hiding on the SCCRP). */
function exchange(digestType: 0 | 1): Frame[] {
  const sccrq = frame('SCCRQ', A, { type: 1, ns: 0, nr: 0, routerId: 0xc0000201, assignedControlConnectionId: CCID_A, pseudowireCapabilitiesList: [5, 4], hostName: 'lcce-a', controlMessageAuthenticationNonce: NONCE_A }, { digestType });
  const sccrp = frame(
    'SCCRP (Vendor Name hidden)',
    B,
    { type: 2, tunnelId: CCID_A, ns: 0, nr: 1, routerId: 0xc0000202, assignedControlConnectionId: CCID_B, pseudowireCapabilitiesList: [5], hostName: 'lcce-b', vendorName: 'l2tp-wire', controlMessageAuthenticationNonce: NONCE_B, hiding: { randomVector: Uint8Array.from({ length: 16 }, (_, i) => i * 7), avps: [8] } },
    { digestType, nonces: FROM_B },
  );
  const scccn = frame('SCCCN', A, { type: 3, tunnelId: CCID_B, ns: 1, nr: 1 }, { digestType, nonces: FROM_A });
  const ack = frame('ACK', B, { type: 20, tunnelId: CCID_A, ns: 1, nr: 2 }, { digestType, nonces: FROM_B });
  const helloSwapped = frame('Hello signed with the nonces swapped', A, { type: 6, tunnelId: CCID_B, ns: 2, nr: 1 }, { digestType, nonces: FROM_B }, false);
  return [sccrq, sccrp, scccn, ack, corrupt(scccn), corrupt(ack), helloSwapped];
}

interface Decoded {
  readonly type: string;
  readonly digest: string;
  readonly hidden: string;
  readonly expert: string;
}

function tshark(pcap: string, secret: string): Decoded[] {
  const out = execFileSync(
    'tshark',
    ['-r', pcap, '-o', `l2tp.shared_secret:${secret}`, '-T', 'fields', '-E', 'separator=|', '-e', 'l2tp.avp.message_type', '-e', 'l2tp.avp.message_digest', '-e', 'l2tp.avp.hidden', '-e', '_ws.expert.message'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [type = '', digest = '', hidden = '', expert = ''] = line.split('|');
      return { type, digest, hidden, expert };
    });
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'l2tp-v3-digest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  [0, 'HMAC-MD5'],
  [1, 'HMAC-SHA-1'],
] as const)('tshark checks our Message Digest, Digest Type %i (%s)', (digestType, hashName) => {
  const frames = exchange(digestType);
  const pcap = join(dir, `v3-${digestType}.pcap`);
  writeFileSync(pcap, writePcap(frames.map((f): PcapPacket => ({ payload: f.payload, src: f.src, dst: f.src === A ? B : A }))));

  it.skipIf(!hasTshark)(`${hashName}: every signed message passes, every corrupted one is flagged (needs tshark)`, () => {
    const decoded = tshark(pcap, SECRET);
    expect(decoded).toHaveLength(frames.length);
    const seen = frames.map((f, i) => {
      const d = decoded[i]!;
      // The digest tshark read is the one we wrote (Digest Type octet + digest, right after Message Type).
      const avpLength = ((f.payload[20]! & 0x03) << 8) | f.payload[21]!;
      expect(d.digest, f.name).toBe(hex(f.payload.subarray(26, 20 + avpLength)));
      expect(d.digest.slice(0, 2), f.name).toBe(digestType === 0 ? '00' : '01');
      return { name: f.name, expert: d.expert };
    });
    // Our messages: no expert item of any kind (so no decode error either). Corrupted: exactly "Incorrect Digest".
    expect(seen).toEqual(frames.map((f) => ({ name: f.name, expert: f.digestOk ? '' : 'Incorrect Digest' })));
    // The Vendor Name was sent hidden (tshark shows the H bit; it cannot unhide v3 values).
    // §5.4.3: Router ID and Host Name MUST NOT be hidden, Vendor Name MAY be.
    expect(decoded[1]!.hidden.split(',').filter((h) => h === '1' || h === 'True')).toHaveLength(1);
  });

  it.skipIf(!hasTshark)(`${hashName}: with a wrong secret tshark flags every message (the check uses the secret; needs tshark)`, () => {
    const decoded = tshark(pcap, `${SECRET}!`);
    expect(decoded.map((d) => d.expert)).toEqual(frames.map(() => 'Incorrect Digest'));
  });

  it(`${hashName}: our own verifier agrees with tshark on every frame`, () => {
    const verdicts = frames.map((f, i) => {
      const nonces = i === 0 ? undefined : f.src === A ? FROM_A : FROM_B;
      try {
        parseControlV3(f.payload, { secret: SECRET, nonces });
        return true;
      } catch (e) {
        expect((e as { code?: string }).code, f.name).toBe('BAD_DIGEST');
        return false;
      }
    });
    expect(verdicts).toEqual(frames.map((f) => f.digestOk));
  });
});
