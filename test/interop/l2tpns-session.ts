/// <reference types="node" />
/**
 * Run inside l2tpns's namespace by `l2tpns.test.ts` (through `with-l2tpns.sh`): our client opens
 * a tunnel and a session to l2tpns with the tunnel secret and hidden AVPs, and prints one JSON
 * line: the outcome, and the hidden part (AVP Length − 6) of every hidden AVP we sent.
 * `L2TPNS_TEST_PAD=off` sends hidden values without padding (what the library did before).
 */
import { establishSession } from '../../src/index.js';
import { udpTransport } from '../../src/node.js';
import type { Transport } from '../../src/client/transport.js';
import { parseControl } from '../../src/wire/control.js';

const host = process.env.L2TPNS_HOST ?? '127.0.0.1';
const port = Number(process.env.L2TPNS_PORT ?? 1701);
const secret = process.env.L2TPNS_SECRET ?? '';
const pad = process.env.L2TPNS_TEST_PAD === 'off' ? false : undefined;

const inner = await udpTransport({ host, port });
const hidden: { type: number; message: string; part: number }[] = [];
// Record what we send (the driver is unchanged on top).
const transport: Transport = {
  kind: inner.kind,
  get remote() {
    return inner.remote;
  },
  get local() {
    return inner.local;
  },
  get closed() {
    return inner.closed;
  },
  send(b: Uint8Array) {
    try {
      const m = parseControl(b, { requireAvps: false });
      for (const a of m.avps) if (a.hidden) hidden.push({ type: a.type, message: m.typeName, part: a.valueLength });
    } catch {
      // not a control message
    }
    return inner.send(b);
  },
  onMessage: (h) => inner.onMessage(h),
  onError: (h) => inner.onError(h),
  onClose: (h) => inner.onClose(h),
  close: () => inner.close(),
};
const r = await establishSession(transport, { hostName: 'l2tp-wire', secret, hideAvps: pad === false ? { pad: false } : true, timeout: 10_000 });
if (r.success) await r.tunnel!.close();
await inner.close();
console.log(JSON.stringify({ success: r.success, localSessionId: r.localSessionId, peerSessionId: r.peerSessionId, peerTunnelId: r.peerTunnelId, result: r.result, error: r.error ? { code: r.error.code, message: r.error.message } : undefined, hidden }));
