import { describe, expect, it } from 'vitest';
import { L2tpError } from '../../src/wire/errors.js';
import { memoryTransportPair } from '../../src/transports/memory.js';
import { loadHex, toHex } from '../support/vectors.js';

const PLAIN = loadHex('plain').map((f) => f.bytes);
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

describe('memoryTransportPair', () => {
  it('delivers each message whole, to the other end, asynchronously, in order', async () => {
    const { a, b } = memoryTransportPair();
    expect(a.kind).toBe('datagram');
    expect(a.remote).toEqual(b.local);
    const got: string[] = [];
    b.onMessage((m) => got.push(toHex(m)));
    const sends = PLAIN.slice(0, 3).map((m) => a.send(m));
    expect(got).toEqual([]); // not synchronous, like a network
    await Promise.all(sends);
    await tick();
    expect(got).toEqual(PLAIN.slice(0, 3).map(toHex));
  });

  it('echoes both ways', async () => {
    const { a, b } = memoryTransportPair();
    b.onMessage((m) => void b.send(m));
    const echoed = new Promise<Uint8Array>((r) => a.onMessage(r));
    await a.send(PLAIN[0]!);
    expect(toHex(await echoed)).toBe(toHex(PLAIN[0]!));
  });

  it('gives the receiver its own copy (the sender may keep its bytes for retransmission)', async () => {
    const { a, b } = memoryTransportPair();
    let got: Uint8Array | undefined;
    b.onMessage((m) => (got = m));
    const sent = PLAIN[0]!.slice();
    await a.send(sent);
    await tick();
    got![0] = 0;
    sent[1] = 0;
    expect(got![1]).toBe(PLAIN[0]![1]);
    expect(sent[0]).toBe(PLAIN[0]![0]);
  });

  it('holds messages that arrive before a handler is registered, then delivers them in order', async () => {
    const { a, b } = memoryTransportPair();
    await a.send(PLAIN[0]!);
    await a.send(PLAIN[1]!);
    await tick();
    const got: string[] = [];
    b.onMessage((m) => got.push(toHex(m)));
    await a.send(PLAIN[2]!);
    await tick();
    expect(got).toEqual(PLAIN.slice(0, 3).map(toHex));
  });

  it('filter drops messages and the log records them; the filter can change mid-test', async () => {
    const link = memoryTransportPair({ filter: (_m, from, i) => !(from === 'a' && i % 2 === 1) });
    const got: string[] = [];
    link.b.onMessage((m) => got.push(toHex(m)));
    for (const m of PLAIN.slice(0, 4)) await link.a.send(m);
    await tick();
    expect(got).toEqual([PLAIN[0]!, PLAIN[2]!].map(toHex));
    expect(link.log.map((r) => [r.from, r.delivered])).toEqual([
      ['a', true],
      ['a', false],
      ['a', true],
      ['a', false],
    ]);
    expect(toHex(link.log[1]!.message)).toBe(toHex(PLAIN[1]!));
    link.filter = () => false; // 100 % loss
    await link.a.send(PLAIN[4]!);
    await tick();
    expect(got).toHaveLength(2);
  });

  it('close: the closed end cannot send (TRANSPORT), messages to it vanish, onClose fires once', async () => {
    const { a, b } = memoryTransportPair();
    const closes: unknown[] = [];
    b.onClose((e) => closes.push(e));
    const got: Uint8Array[] = [];
    b.onMessage((m) => got.push(m));
    await b.close();
    await b.close();
    expect(b.closed).toBe(true);
    expect(closes).toEqual([undefined]);
    await a.send(PLAIN[0]!); // a datagram network does not tell the sender
    await tick();
    expect(got).toEqual([]);
    const err = await b.send(PLAIN[0]!).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(L2tpError);
    expect((err as L2tpError).code).toBe('TRANSPORT');
  });

  it('a late onClose handler still hears about an earlier close', async () => {
    const { a } = memoryTransportPair();
    await a.close();
    const closed = new Promise<unknown>((r) => a.onClose(r));
    expect(await closed).toBeUndefined();
  });

  it('a second onMessage replaces the first', async () => {
    const { a, b } = memoryTransportPair();
    const first: Uint8Array[] = [];
    const second: Uint8Array[] = [];
    b.onMessage((m) => first.push(m));
    b.onMessage((m) => second.push(m));
    await a.send(PLAIN[0]!);
    await tick();
    expect([first.length, second.length]).toEqual([0, 1]);
  });

  it('rejects misuse with TypeError', () => {
    const { a } = memoryTransportPair();
    expect(() => a.send('c802' as never)).toThrow(TypeError);
    expect(() => a.onMessage(undefined as never)).toThrow(TypeError);
  });
});
