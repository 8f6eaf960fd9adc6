/**
 * PAP (RFC 1334 §2): the peer repeats Authenticate-Request (Peer-ID, Password in the clear)
 * until it gets Authenticate-Ack or -Nak; the authenticator answers every request.
 */
import { decision, type Authenticate, type AuthHost, type AuthSide, type AuthTimers } from './auth-types.js';
import { PppProtocol } from './numbers.js';
import { encodeControlPacket } from './packet.js';
import { fromUtf8, utf8 } from './text.js';

/** PAP codes (RFC 1334 §2.2). */
const REQUEST = 1;
const ACK = 2;
const NAK = 3;


/** A length-prefixed field list: `len(1) bytes` for each value (RFC 1334 §2.2.1, §2.2.2). */
function fields(...values: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(values.reduce((n, v) => n + 1 + v.length, 0));
  let o = 0;
  for (const v of values) {
    if (v.length > 255) throw new RangeError(`PAP fields must be at most 255 bytes, got ${v.length}`);
    out[o++] = v.length;
    out.set(v, o);
    o += v.length;
  }
  return out;
}

/** Read `count` length-prefixed fields, or undefined when they do not fit. */
function readFields(data: Uint8Array, count: number): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  let o = 0;
  for (let i = 0; i < count; i++) {
    if (o >= data.length) return undefined;
    const n = data[o]!;
    if (o + 1 + n > data.length) return undefined;
    out.push(data.subarray(o + 1, o + 1 + n));
    o += 1 + n;
  }
  return out;
}

/** @internal The peer (client) side of PAP. */
export class PapPeer implements AuthSide {
  readonly method = 'pap' as const;
  deadline: number | undefined;
  private id = 0;
  private tries = 0;
  private done = false;

  constructor(
    private readonly user: string,
    private readonly password: string,
    private readonly host: AuthHost,
    private readonly timers: AuthTimers,
  ) {}

  start(now: number): void {
    this.send(now);
  }

  private send(now: number): void {
    this.id = (this.id + 1) & 0xff;
    this.tries++;
    this.deadline = now + this.timers.restartInterval;
    this.host.send(PppProtocol.PAP, encodeControlPacket({ code: REQUEST, identifier: this.id, data: fields(utf8(this.user), utf8(this.password)) }));
  }

  receive(code: number, identifier: number, data: Uint8Array): void {
    if (this.done || identifier !== this.id || (code !== ACK && code !== NAK)) return;
    this.done = true;
    this.deadline = undefined;
    const msg = readFields(data, 1)?.[0];
    this.host.finish({ ok: code === ACK, method: 'pap', user: this.user, message: msg ? fromUtf8(msg) : '' });
  }

  tick(now: number): void {
    if (this.deadline === undefined || now < this.deadline) return;
    if (this.tries >= this.timers.maxTries) {
      this.deadline = undefined;
      this.done = true;
      this.host.finish({ ok: false, method: 'pap', user: this.user, message: 'no answer to Authenticate-Request' });
      return;
    }
    this.send(now);
  }
}

/** @internal The authenticator (server) side of PAP. */
export class PapAuthenticator implements AuthSide {
  readonly method = 'pap' as const;
  deadline: number | undefined;
  private result: { ok: boolean; message: string; user: string } | undefined;

  constructor(
    private readonly authenticate: Authenticate,
    private readonly host: AuthHost,
    timers: AuthTimers,
  ) {
    this.timeout = timers.restartInterval * timers.maxTries;
  }
  private readonly timeout: number;

  start(now: number): void {
    // RFC 1334 §2.1: the authenticator waits; give up after as long as the peer would retry.
    this.deadline = now + this.timeout;
  }

  receive(code: number, identifier: number, data: Uint8Array): void {
    if (code !== REQUEST) return;
    const f = readFields(data, 2);
    if (!f) return;
    const user = fromUtf8(f[0]);
    if (!this.result) {
      const password = fromUtf8(f[1]);
      const d = decision(this.authenticate('pap', user, { method: 'pap', password, verify: (p) => p === password }), 'pap');
      this.result = { ...d, user };
    }
    // A retransmitted request gets the same answer again (§2.2.1).
    this.host.send(PppProtocol.PAP, encodeControlPacket({ code: this.result.ok ? ACK : NAK, identifier, data: fields(utf8(this.result.message)) }));
    if (this.deadline !== undefined) {
      this.deadline = undefined;
      this.host.finish({ ok: this.result.ok, method: 'pap', user: this.result.user, message: this.result.message });
    }
  }

  tick(now: number): void {
    if (this.deadline === undefined || now < this.deadline) return;
    this.deadline = undefined;
    this.host.finish({ ok: false, method: 'pap', user: '', message: 'no Authenticate-Request from the peer' });
  }
}
