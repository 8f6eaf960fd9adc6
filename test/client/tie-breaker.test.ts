/**
 * Control connection tie breaking through the client driver (RFC 3931 §5.4.3, §7.2): our
 * `openTunnel` and a peer LCCE (a bare TunnelFsm, test/client/responder.ts) open a v3 control
 * connection to each other at once, both with a Tie Breaker. The peer's value is lower: it wins,
 * rejects our SCCRQ with a StopCCN, and our driver ends up as the responder of its connection.
 */
import { describe, expect, it } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import type { Transport } from '../../src/client/transport.js';
import { parseControl } from '../../src/wire/control.js';
import { memoryTransportPair } from '../../src/transports/memory.js';
import { Responder } from './responder.js';

describe('openTunnel: crossing SCCRQs with Tie Breakers (RFC 3931 §5.4.3)', () => {
  for (const secret of [undefined, 'tie secret']) {
    it(`we lose: one connection, ours answered as responder, the winner's StopCCN taken quietly (authentication ${secret ? 'on' : 'off'})`, async () => {
      const link = memoryTransportPair();
      // The peer opens its own connection just as our SCCRQ reaches it, so the two SCCRQs cross.
      let first = true;
      const peerSide = Object.create(link.b) as Transport;
      peerSide.onMessage = (cb) =>
        link.b.onMessage((m) => {
          if (first) {
            first = false;
            peer.do({ type: 'open' });
          }
          cb(m);
        });
      const peer: Responder = new Responder(peerSide, { version: 3, secret, tieBreaker: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]) });
      const tunnel = await openTunnel(link.a, { version: 3, hostName: 'lcce.test', secret, tieBreaker: new Uint8Array([0xff, 0, 0, 0, 0, 0, 0, 0]) });
      const errors: unknown[] = [];
      tunnel.on('error', (e) => errors.push(e));
      expect(tunnel.state).toBe('established');
      expect(tunnel.role).toBe('responder');
      expect(peer.fsm.role).toBe('initiator');
      expect(peer.fsm.state).toBe('established');
      const fromPeer = link.log.filter((r) => r.from === 'b').map((r) => parseControl(r.message, { requireAvps: false }));
      const stops = fromPeer.filter((m) => m.typeName === 'StopCCN');
      expect(stops).toHaveLength(1);
      expect(stops[0]!.resultCode?.result).toBe(3);
      expect(tunnel.peer.authenticated).toBe(secret !== undefined);
      const session = await tunnel.openSession({ kind: 'incoming', remoteEndId: 'eth0' });
      expect(session.pseudowire).toBeDefined();
      expect(errors).toEqual([]);
      await tunnel.close();
    });
  }
});
