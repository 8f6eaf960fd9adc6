/**
 * Fuzz target: TunnelFsm.handle as a responder (LNS side) fed the input as one received message,
 * (1) fresh (idle: the input may be an SCCRQ) and (2) established through a canned SCCRQ/SCCCN
 * exchange, with the input's Tunnel ID pointed at it (the driver routes by Tunnel ID). Then time
 * runs out (a tick far in the future). handle() must never throw, and must never report an
 * internal error (it turns unexpected exceptions into an `error` action: a finding here).
 */
import { TunnelFsm } from '../../src/fsm/tunnel.js';
import type { TunnelAction } from '../../src/fsm/types.js';
import { scccn, sccrq } from '../../src/wire/builders.js';
import { L2tpError } from '../../src/wire/errors.js';
import { bytesOf } from './finding.js';

const LOCAL_ID = 0x1234;
const PEER_ID = 0x4321;

/** Deterministic random bytes (xorshift32): the target must be reproducible. */
function random(): (n: number) => Uint8Array {
  let x = 0x9e3779b9;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  };
}

const HELLO_SCCRQ = sccrq({ hostName: 'fuzz-lac', assignedTunnelId: PEER_ID, ns: 0, nr: 0 }).slice();
const HELLO_SCCCN = scccn({ tunnelId: LOCAL_ID, ns: 1, nr: 1 }).slice();

function noInternalError(acts: readonly TunnelAction[]): void {
  for (const a of acts) {
    if (a.type === 'error' && !(a.error.cause === undefined || a.error.cause instanceof L2tpError)) {
      throw new Error(`TunnelFsm internal error: ${a.error.message}`, { cause: a.error.cause });
    }
  }
}

function feed(fsm: TunnelFsm, bytes: Uint8Array, now: number): void {
  noInternalError(fsm.handle({ type: 'received', bytes }, now));
  noInternalError(fsm.handle({ type: 'tick' }, now + 1_000));
  noInternalError(fsm.handle({ type: 'tick' }, now + 600_000));
}

export function fuzz(buf: Uint8Array): void {
  const b = bytesOf(buf);
  const fresh = new TunnelFsm({ hostName: 'fuzz-lns', random: random(), localTunnelId: LOCAL_ID, secret: 'l2tp-wire-test-secret' });
  feed(fresh, b.slice(), 0);

  const up = new TunnelFsm({ hostName: 'fuzz-lns', random: random(), localTunnelId: LOCAL_ID });
  up.handle({ type: 'received', bytes: HELLO_SCCRQ }, 0);
  up.handle({ type: 'received', bytes: HELLO_SCCCN }, 10);
  if (up.state !== 'established') throw new Error(`canned set-up failed: ${up.state}`);
  const aimed = b.slice();
  // v2 headers: Tunnel ID at 2 (L=0) or 4 (L=1); v3 control: Control Connection ID at 4.
  if (aimed.length >= 6) {
    const at = aimed[0]! & 0x40 ? 4 : 2;
    aimed[at] = LOCAL_ID >> 8;
    aimed[at + 1] = LOCAL_ID & 0xff;
  }
  feed(up, aimed, 20);
}
