/// <reference types="node" />
/**
 * Regression guard for issue 16 (memory per idle tunnel): 10,000 established responder
 * TunnelFsms, sharing one options object as a server's do, retain at most 832 B each: the FSM,
 * its Sequencer and the peer record (measured ≈ 705 B with the array holding them; the LNS adds
 * its tunnel entry and tables, test/bench/lns-memory.ts). The handshake is driven with SCCRQ and
 * SCCCN bytes as a LAC sends them.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { TunnelFsm } from '../../src/fsm/index.js';
import { resolveTunnelOptions } from '../../src/fsm/options.js';
import { sccrq, scccn } from '../../src/wire/builders.js';
import { seededRandom } from './harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

it('10,000 idle established tunnels retain ≤ 832 B each (FSM, Sequencer, peer record)', () => {
  const n = 10_000;
  const options = resolveTunnelOptions({ hostName: 'lns', random: seededRandom(16), helloInterval: 60_000 });
  // The LAC's messages: one SCCRQ (Ns 0) for all, and an SCCCN (Ns 1, Nr 1) per our Tunnel ID.
  const request = sccrq({ tunnelId: 0, sessionId: 0, hostName: 'lac', assignedTunnelId: 7, receiveWindowSize: 4, framingCapabilities: 3 });
  const keep: TunnelFsm[] = new Array(n);
  const before = heap();
  for (let i = 0; i < n; i++) {
    const fsm = new TunnelFsm(options, i + 1);
    fsm.handle({ type: 'received', bytes: request.slice() }, 1000);
    const conn = scccn({ tunnelId: i + 1, sessionId: 0 });
    conn[8] = 0; // Ns 1, Nr 1 (RFC 2661 §5.8: our SCCRP was Ns 0)
    conn[9] = 1;
    conn[10] = 0;
    conn[11] = 1;
    fsm.handle({ type: 'received', bytes: conn }, 1001);
    keep[i] = fsm;
  }
  const per = (heap() - before) / n;
  expect(keep.every((f) => f.state === 'established' && f.sessionCount === 0)).toBe(true);
  expect(per).toBeLessThanOrEqual(832);
  expect(per).toBeGreaterThan(0);
});
