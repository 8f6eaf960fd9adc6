/** Helpers for driver tests: the in-memory link read as a ladder of message names, and rejections. */
import { parseControl } from '../../src/wire/control.js';

export const SECRET = 'l2tp-wire-test-secret';

/** The message type name of one message: its RFC name, `ZLB` for an ack, `DATA` for a data message. */
export function typeName(message: Uint8Array): string {
  if ((message[0]! & 0x80) === 0) return 'DATA';
  const m = parseControl(message, { requireAvps: false, secret: SECRET });
  return m.isZlb ? 'ZLB' : m.typeName;
}

/** Message names on the link, in send order, prefixed by the sending end (`a:SCCRQ`). */
export function ladder(log: readonly { from: string; message: Uint8Array }[]): string[] {
  return log.map(({ from, message }) => `${from}:${typeName(message)}`);
}

/** Await a promise expected to reject; returns the reason (fails the test if it resolves). */
export async function rejection<E = import('../../src/client/driver-errors.js').StopError>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (e) {
    return e as E;
  }
  throw new Error('expected a rejection');
}

/**
 * A driver clock that stands still except when a message named in `steps` (`'a:SCCRQ'`…) goes on
 * the link: then it moves on by that many ms. Timings a driver measures on it (rtt, sessionRtt,
 * latency) are exact, whatever the machine's load. Uses the link's filter (it drops nothing).
 */
export function steppingClock(link: { filter: ((m: Uint8Array, from: 'a' | 'b', i: number) => boolean) | undefined }, steps: Record<string, number>, start = 1000): () => number {
  let now = start;
  link.filter = (m, from) => {
    now += steps[`${from}:${typeName(m)}`] ?? 0;
    return true;
  };
  return () => now;
}
