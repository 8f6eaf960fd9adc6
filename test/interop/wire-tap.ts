/**
 * A {@link Transport} wrapper that records every message in and out, parsed, so interop tests can
 * assert on what xl2tpd actually put on the wire (AVP order, ZLB acks, CDNs) while our driver runs
 * unchanged on top.
 */
import type { Transport } from '../../src/client/transport.js';
import { parseControl, type ControlMessage } from '../../src/wire/control.js';
import { parseData } from '../../src/wire/data.js';

export interface TappedMessage {
  readonly dir: 'in' | 'out';
  /** performance.now() when seen. */
  readonly at: number;
  readonly bytes: Uint8Array;
  /** Control message name (`SCCRP`, `ZLB`, …) or `DATA`. */
  readonly name: string;
  /** Parsed control message (undefined for data, or when it did not parse). */
  readonly control?: ControlMessage;
  readonly tunnelId: number;
  readonly sessionId: number;
}

export interface Tap {
  readonly transport: Transport;
  readonly log: TappedMessage[];
  /** Messages received (from the peer). */
  received(name?: string): TappedMessage[];
  sent(name?: string): TappedMessage[];
  /** Resolve with the first message (already seen or future) that matches, after index `from`. */
  waitFor(pred: (m: TappedMessage) => boolean, timeout?: number, from?: number): Promise<TappedMessage>;
  /** One line per message, for failure output. */
  ladder(): string;
}

/** Record what goes through `inner`. `secret` lets hidden AVPs be unhidden in the record. */
export function tap(inner: Transport, secret?: string): Tap {
  const log: TappedMessage[] = [];
  const waiters = new Set<() => void>();
  const record = (dir: 'in' | 'out', b: Uint8Array) => {
    const bytes = b.slice();
    let name = '?';
    let control: ControlMessage | undefined;
    let tunnelId = -1;
    let sessionId = -1;
    try {
      if ((bytes[0]! & 0x80) !== 0) {
        control = parseControl(bytes, { secret, requireAvps: false });
        name = control.typeName;
        tunnelId = control.tunnelId;
        sessionId = control.sessionId;
      } else {
        const d = parseData(bytes);
        name = 'DATA';
        if (d.version === 2) {
          tunnelId = d.tunnelId;
          sessionId = d.sessionId;
        }
      }
    } catch (e) {
      name = `unparsed (${(e as Error).message})`;
    }
    log.push({ dir, at: performance.now(), bytes, name, control, tunnelId, sessionId });
    for (const w of waiters) w();
  };
  let onMsg: ((m: Uint8Array) => void) | undefined;
  inner.onMessage((m) => {
    record('in', m);
    onMsg?.(m);
  });
  const transport: Transport = Object.create(inner, {
    send: {
      value: (m: Uint8Array) => {
        record('out', m);
        return inner.send(m);
      },
    },
    onMessage: {
      value: (h: (m: Uint8Array) => void) => {
        onMsg = h;
      },
    },
  });
  const waitFor = (pred: (m: TappedMessage) => boolean, timeout = 5000, from = 0) =>
    new Promise<TappedMessage>((res, rej) => {
      const check = () => {
        const m = log.slice(from).find(pred);
        if (m) {
          clearTimeout(t);
          waiters.delete(check);
          res(m);
        }
      };
      const t = setTimeout(() => {
        waiters.delete(check);
        rej(new Error(`wire tap: no matching message within ${timeout} ms; seen:\n${ladder()}`));
      }, timeout);
      waiters.add(check);
      check();
    });
  const ladder = () =>
    log
      .map((m) => {
        const c = m.control;
        const seq = c ? ` Ns=${c.ns} Nr=${c.nr}` : '';
        return `${(m.at - (log[0]?.at ?? 0)).toFixed(1).padStart(8)} ms ${m.dir === 'out' ? 'us  -> xl2tpd' : 'us <-  xl2tpd'} ${m.name} tid=${m.tunnelId} sid=${m.sessionId}${seq} len=${m.bytes.length}`;
      })
      .join('\n');
  return {
    transport,
    log,
    received: (name) => log.filter((m) => m.dir === 'in' && (name === undefined || m.name === name)),
    sent: (name) => log.filter((m) => m.dir === 'out' && (name === undefined || m.name === name)),
    waitFor,
    ladder,
  };
}
