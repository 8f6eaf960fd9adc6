/**
 * LCP behaviour against hand-built frames in the RFC 1661 formats: one link, us as the peer.
 */
import { describe, expect, it } from 'vitest';
import { PppClient, type PppAction, type PppClientOptions } from '../../src/ppp/link.js';
import { parsePppFrame } from '../../src/ppp/frame.js';
import { parseControlPacket } from '../../src/ppp/packet.js';
import { seededRandom } from './harness.js';

const h = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (x) => parseInt(x, 16));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

class Peer {
  readonly link: PppClient;
  now = 0;
  constructor(options: Partial<PppClientOptions> = {}) {
    this.link = new PppClient({ random: seededRandom(42), username: 'u', password: 'p', ...options });
  }
  /** Feed a frame (hex); returns what the link sent as "protocol code id data" strings, and all actions. */
  feed(frame: string | null): { sent: string[]; actions: PppAction[] } {
    const actions = this.link.handle(frame === null ? { type: 'open' } : { type: 'received', frame: h(frame) }, this.now);
    const sent = actions.flatMap((a) => {
      if (a.type !== 'send') return [];
      const f = parsePppFrame(a.frame);
      const p = parseControlPacket(f.information);
      return [`${f.protocol.toString(16)} ${p.code} ${p.identifier} ${hex(p.data)}`];
    });
    return { sent, actions };
  }
  /** Open LCP with a plain Configure-Request from us (magic 0x11223344) and our Ack of theirs. */
  open(): void {
    const first = this.feed(null).sent[0]!;
    const [, , id, data] = first.split(' ');
    this.feed('ff03c021 01 01 000a 0506 11223344');
    this.feed(`ff03c021 02 ${Number(id).toString(16).padStart(2, '0')} ${(4 + data!.length / 2).toString(16).padStart(4, '0')} ${data}`);
    expect(this.link.lcpState).toBe('opened');
  }
  magic(): string {
    return this.link.info().magic.toString(16).padStart(8, '0');
  }
}

describe('LCP (RFC 1661 §5, §6)', () => {
  it('the first Configure-Request carries a Magic-Number only (MRU 1500 is the default, not sent)', () => {
    const p = new Peer();
    const [cr] = p.feed(null).sent;
    expect(cr).toBe(`c021 1 1 0506${p.magic()}`);
  });
  it('acks a plain request; opens on Ack; then starts IPCP (no auth asked)', () => {
    const p = new Peer();
    p.feed(null);
    expect(p.feed('ff03c021 01 07 000e 0104 05dc 0506 11223344').sent).toEqual(['c021 2 7 010405dc050611223344']);
    const r = p.feed(`ff03c021 02 01 000a 0506 ${p.magic()}`);
    expect(r.actions.filter((a) => a.type === 'phase').map((a) => (a as { phase: string }).phase)).toEqual(['authenticate', 'network']);
    // IPCP Configure-Request: IP-Address 0.0.0.0, Primary DNS 0, Secondary DNS 0 (RFC 1332 §3.3, RFC 1877).
    expect(r.sent[0]).toBe('8021 1 1 030600000000810600000000830600000000');
  });
  it('rejects an option it does not know, exactly as received (§5.4)', () => {
    const p = new Peer();
    p.feed(null);
    // Type 13 (Callback, RFC 1570) with one byte of data.
    expect(p.feed('ff03c021 01 02 000d 0d03 06 0506 11223344').sent).toEqual(['c021 4 2 0d0306']);
  });
  it('naks an Authentication-Protocol it does not allow with one it does (§6.2)', () => {
    const p = new Peer({ authProtocols: ['pap'] });
    p.feed(null);
    expect(p.feed('ff03c021 01 03 0009 0305 c223 05').sent).toEqual(['c021 3 3 0304c023']);
    expect(p.feed('ff03c021 01 04 0008 0304 c023').sent).toEqual(['c021 2 4 0304c023']);
  });
  it('magic-number loop detection: its own magic comes back → Nak with a new one (§6.4)', () => {
    const p = new Peer();
    p.feed(null);
    const own = p.magic();
    const [nak] = p.feed(`ff03c021 01 05 000a 0506 ${own}`).sent;
    expect(nak!.slice(0, 13)).toBe('c021 3 5 0506');
    expect(nak!.slice(13)).not.toBe(own);
  });
  it('Max-Failure: after that many Naks the option is rejected instead (§4.6)', () => {
    const p = new Peer({ negotiation: { maxFailure: 2 } });
    p.feed(null);
    const bad = 'ff03c021 01 0a 0008 0104 0020'; // MRU 32: too small, nak'd with 1500
    expect(p.feed(bad).sent).toEqual(['c021 3 10 010405dc']);
    expect(p.feed(bad).sent).toEqual(['c021 3 10 010405dc']);
    expect(p.feed(bad).sent).toEqual(['c021 4 10 01040020']);
  });
  it('Echo-Request in Opened: Echo-Reply with the same identifier, our magic, the data echoed (§5.8)', () => {
    const p = new Peer();
    p.open();
    expect(p.feed('ff03c021 09 33 000c 11223344 cafebabe').sent).toEqual([`c021 10 51 ${p.magic()}cafebabe`]);
  });
  it('unknown code: Code-Reject carrying the packet (§5.6)', () => {
    const p = new Peer();
    p.open();
    const [cj] = p.feed('ff03c021 20 01 0006 abcd').sent;
    expect(cj!.split(' ').slice(0, 1).concat(cj!.split(' ').slice(1, 2), cj!.split(' ').slice(3))).toEqual(['c021', '7', '20010006abcd']);
  });
  it('unknown protocol once open: Protocol-Reject with the protocol and information (§5.7)', () => {
    const p = new Peer();
    p.open();
    const [pj] = p.feed('ff03 8281 01010004').sent;
    expect(pj!.split(' ')[1]).toBe('8');
    expect(pj!.split(' ')[3]).toBe('828101010004');
  });
  it('no Protocol-Reject before LCP is open: non-LCP frames are dropped (§3.4)', () => {
    const p = new Peer();
    p.feed(null);
    expect(p.feed('ff03 8281 01010004').sent).toEqual([]);
  });
  it('Terminate-Request: Terminate-Ack with its identifier, then down after the restart timer (§5.5, zrc)', () => {
    const p = new Peer();
    p.open();
    const r = p.feed('ff03c021 05 77 0004');
    expect(r.sent).toEqual(['c021 6 119 ']);
    expect(p.link.lcpState).toBe('stopping');
    p.now = p.link.nextDeadline()!;
    const t = p.link.handle({ type: 'tick' }, p.now);
    expect(t.find((a) => a.type === 'down')).toEqual({ type: 'down', reason: 'peer-terminated' });
  });
  it('malformed frames are dropped and counted, never thrown', () => {
    const p = new Peer();
    p.feed(null);
    expect(p.feed('ff03c021 01 01 00ff').sent).toEqual([]);
    expect(p.feed('ff03c020').sent).toEqual([]);
    expect(p.feed('ff03c021 01 01 0008 0501').sent).toEqual([]);
    // A packet whose Length is right but whose option list is broken.
    expect(p.feed('ff03c021 01 01 0006 0501').sent).toEqual([]);
    expect(p.link.malformed).toBe(4);
  });
});
