/**
 * CHAP (RFC 1994) with MD5, and MS-CHAPv2 (RFC 2759) which reuses CHAP's packets: the
 * authenticator sends a Challenge (and repeats it until answered), the peer a Response, the
 * authenticator Success or Failure. Only what is proved differs, so both algorithms share this
 * file: MD5(Identifier | secret | challenge) (RFC 1994 §4.1), or MS-CHAPv2's NT-Response and
 * the authenticator's "S=" proof back (RFC 2759 §4–6).
 */
import { Md5 } from '../wire/md5.js';
import type { AuthMethod } from './auth-method.js';
import { decision, type Authenticate, type AuthHost, type AuthSide, type AuthTimers } from './auth-types.js';
import type { RandomSource } from './lcp.js';
import { generateAuthenticatorResponse, generateNtResponse } from './mschapv2.js';
import { PppProtocol } from './numbers.js';
import { encodeControlPacket, sameBytes } from './packet.js';
import { fromUtf8, utf8 } from './text.js';

/** CHAP codes (RFC 1994 §4). */
const CHALLENGE = 1;
const RESPONSE = 2;
const SUCCESS = 3;
const FAILURE = 4;

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join('');

type ChapMethod = Exclude<AuthMethod, 'pap'>;

/** Challenge and Response data: Value-Size(1), Value, Name (RFC 1994 §4.1). */
function valueAndName(value: Uint8Array, name: string): Uint8Array {
  const n = utf8(name);
  const out = new Uint8Array(1 + value.length + n.length);
  out[0] = value.length;
  out.set(value, 1);
  out.set(n, 1 + value.length);
  return out;
}

function readValueAndName(data: Uint8Array): { value: Uint8Array; name: string } | undefined {
  if (data.length < 1 || 1 + data[0]! > data.length) return undefined;
  return { value: data.subarray(1, 1 + data[0]!), name: fromUtf8(data.subarray(1 + data[0]!)) };
}

/** RFC 1994 §4.1: the MD5 response. */
function md5Response(identifier: number, secret: string, challenge: Uint8Array): Uint8Array {
  return new Md5().update(Uint8Array.of(identifier)).update(utf8(secret)).update(challenge).digest();
}

/** The "M=" text of an MS-CHAPv2 Success/Failure message (RFC 2759 §5, §6), or the whole message. */
function messageText(message: string): string {
  const m = / ?M=(.*)$/s.exec(message);
  return m ? m[1]! : message;
}

/** @internal The authenticator (server) side of CHAP-MD5 and MS-CHAPv2. */
export class ChapAuthenticator implements AuthSide {
  deadline: number | undefined;
  private id: number;
  private challenge: Uint8Array;
  private tries = 0;
  private answer: { code: number; data: Uint8Array } | undefined;

  constructor(
    readonly method: ChapMethod,
    private readonly authenticate: Authenticate,
    private readonly host: AuthHost,
    private readonly timers: AuthTimers,
    random: RandomSource,
    private readonly name: string,
  ) {
    // RFC 2759 §3: MS-CHAPv2 challenges are exactly 16 bytes; 16 is a good CHAP-MD5 size too.
    this.challenge = random(16).slice(0, 16);
    this.id = random(1)[0]!;
  }

  start(now: number): void {
    this.sendChallenge(now);
  }

  private sendChallenge(now: number): void {
    this.tries++;
    this.deadline = now + this.timers.restartInterval;
    this.host.send(PppProtocol.CHAP, encodeControlPacket({ code: CHALLENGE, identifier: this.id, data: valueAndName(this.challenge, this.name) }));
  }

  receive(code: number, identifier: number, data: Uint8Array): void {
    if (code !== RESPONSE || identifier !== this.id) return;
    if (this.answer) {
      // RFC 1994 §4.2: a repeated Response (our Success was lost) gets the same answer.
      this.host.send(PppProtocol.CHAP, encodeControlPacket({ code: this.answer.code, identifier, data: this.answer.data }));
      return;
    }
    const r = readValueAndName(data);
    if (!r) return;
    let verified: string | undefined;
    const verify =
      this.method === 'chap-md5'
        ? (p: string) => sameBytes(md5Response(identifier, p, this.challenge), r.value)
        : (p: string) => {
            // RFC 2759 §4: Peer-Challenge(16) Reserved(8) NT-Response(24) Flags(1).
            if (r.value.length !== 49) return false;
            const ok = sameBytes(generateNtResponse(this.challenge, r.value.subarray(0, 16), r.name, p), r.value.subarray(24, 48));
            if (ok) verified = p;
            return ok;
          };
    const d = decision(this.authenticate(this.method, r.name, { method: this.method, verify }), this.method);
    let message = d.message;
    if (this.method === 'mschapv2') {
      message = d.ok && verified !== undefined
        ? `${generateAuthenticatorResponse(verified, r.value.subarray(24, 48), r.value.subarray(0, 16), this.challenge, r.name)} M=${d.message}`
        : `E=691 R=0 C=${hex(this.challenge)} V=3 M=${d.message}`;
    }
    // MS-CHAPv2 Success needs the password the callback verified with; an "ok" without one is refused.
    const ok = d.ok && (this.method !== 'mschapv2' || verified !== undefined);
    this.answer = { code: ok ? SUCCESS : FAILURE, data: utf8(message) };
    this.host.send(PppProtocol.CHAP, encodeControlPacket({ code: this.answer.code, identifier, data: this.answer.data }));
    this.deadline = undefined;
    this.host.finish({ ok, method: this.method, user: r.name, message: d.message });
  }

  tick(now: number): void {
    if (this.deadline === undefined || now < this.deadline) return;
    if (this.tries >= this.timers.maxTries) {
      this.deadline = undefined;
      this.host.finish({ ok: false, method: this.method, user: '', message: 'no Response to our Challenge' });
      return;
    }
    this.sendChallenge(now);
  }
}

/** @internal The peer (client) side of CHAP-MD5 and MS-CHAPv2. */
export class ChapPeer implements AuthSide {
  deadline: number | undefined;
  private id = -1;
  private expected: string | undefined;
  private done = false;
  /** Our last Response and how often it went out: repeated until Success/Failure arrives. */
  private response: Uint8Array | undefined;
  private tries = 0;

  constructor(
    readonly method: ChapMethod,
    private readonly user: string,
    private readonly password: string,
    private readonly host: AuthHost,
    private readonly timers: AuthTimers,
    private readonly random: RandomSource,
  ) {}

  start(now: number): void {
    // The authenticator speaks first; give up if it never does.
    this.deadline = now + this.timers.restartInterval * this.timers.maxTries;
  }

  receive(code: number, identifier: number, data: Uint8Array, now: number): void {
    if (this.done) return;
    if (code === CHALLENGE) {
      const c = readValueAndName(data);
      if (!c) return;
      if (identifier === this.id && this.response) {
        // A repeated Challenge (our Response was lost): the same Response again.
        this.host.send(PppProtocol.CHAP, this.response);
        return;
      }
      this.id = identifier;
      this.tries = 0;
      let value: Uint8Array;
      if (this.method === 'chap-md5') value = md5Response(identifier, this.password, c.value);
      else {
        const peerChallenge = this.random(16).slice(0, 16);
        const nt = generateNtResponse(c.value, peerChallenge, this.user, this.password);
        value = new Uint8Array(49);
        value.set(peerChallenge, 0);
        value.set(nt, 24);
        this.expected = generateAuthenticatorResponse(this.password, nt, peerChallenge, c.value, this.user);
      }
      this.response = encodeControlPacket({ code: RESPONSE, identifier, data: valueAndName(value, this.user) });
      this.sendResponse(now);
      return;
    }
    if ((code !== SUCCESS && code !== FAILURE) || identifier !== this.id) return;
    const message = fromUtf8(data);
    let ok = code === SUCCESS;
    let shown = this.method === 'mschapv2' ? messageText(message) : message;
    // RFC 2759 §5: the peer checks the authenticator's proof; a wrong one fails the login.
    if (ok && this.method === 'mschapv2' && message.slice(0, 42).toUpperCase() !== this.expected) {
      ok = false;
      shown = 'the authenticator response (S=) is wrong: the server does not know the password';
    }
    this.done = true;
    this.deadline = undefined;
    this.host.finish({ ok, method: this.method, user: this.user, message: shown });
  }

  /**
   * Send the Response and schedule its repeat. RFC 1994 §4.2 has the authenticator answer a
   * repeated Response with the same Success/Failure "because the Success might be lost"; over
   * L2TP's unreliable data channel it is, and the authenticator has no reason to speak again.
   */
  private sendResponse(now: number): void {
    this.tries++;
    this.deadline = now + this.timers.restartInterval;
    this.host.send(PppProtocol.CHAP, this.response!);
  }

  tick(now: number): void {
    if (this.deadline === undefined || now < this.deadline) return;
    if (this.response && this.tries < this.timers.maxTries) return this.sendResponse(now);
    this.deadline = undefined;
    this.done = true;
    this.host.finish({ ok: false, method: this.method, user: this.user, message: this.id < 0 ? 'no Challenge from the authenticator' : 'no Success or Failure after our Response' });
  }
}
