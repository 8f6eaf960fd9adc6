/**
 * Refusals a real peer addresses badly, and reserved IDs (found against xl2tpd 1.3.18 and by the
 * fuzzing kit's mutators).
 */
import { describe, expect, it } from 'vitest';
import { AvpReader, parseControl, sccrq, TunnelFsm, type TunnelAction } from '../../src/index.js';
import { hex } from '../support/hex.js';
import { seededRandom } from './harness.js';

// xl2tpd's StopCCN to an SCCRQ it could not read, addressed to Tunnel ID 65535
// (test/vectors/hostile.txt, "first AVP is not Message Type").
const XL2TPD_STOPCCN_65535 = hex(
  'c8020044ffff00000000000180080000000000048008000000093e8e80280000000100020006466972737420415650206d757374206265206d6573736167652074797065',
);

const types = (acts: TunnelAction[]) => acts.map((a) => a.type);

describe('TunnelFsm: peer refusals addressed to Tunnel ID 0 or 65535 (RFC 2661 §5.7)', () => {
  it('an initiator waiting for SCCRP takes xl2tpd’s StopCCN to 65535: stopped by the peer with its result, ZLB ack', () => {
    const f = new TunnelFsm({ hostName: 'lac', random: seededRandom(1) });
    f.handle({ type: 'open' }, 0);
    const acts = f.handle({ type: 'received', bytes: XL2TPD_STOPCCN_65535 }, 5);
    const stopped = acts.find((a) => a.type === 'stopped');
    expect(stopped).toMatchObject({ by: 'peer', result: { result: 2, error: 6, message: 'First AVP must be message type' } });
    expect(stopped!.type === 'stopped' && stopped!.error?.code).toBe('PEER_STOPPED');
    // The ack goes to the Tunnel ID the StopCCN assigned (0x3e8e), acking its Ns 0.
    const sent = acts.flatMap((a) => (a.type === 'send' ? [a.bytes] : []));
    expect(sent).toHaveLength(1);
    const zlb = parseControl(sent[0]!);
    expect([zlb.isZlb, zlb.tunnelId, zlb.nr]).toEqual([true, 0x3e8e, 1]);
  });

  it('the same StopCCN to an established tunnel with another ID is not ours: ignored', () => {
    const f = new TunnelFsm({ hostName: 'lns', random: seededRandom(2) });
    const acts = f.handle({ type: 'received', bytes: XL2TPD_STOPCCN_65535 }, 0);
    expect(types(acts)).not.toContain('stopped');
    expect(f.state).toBe('idle');
  });
});

describe('TunnelFsm: Assigned Tunnel ID 0 is reserved (RFC 2661 §4.4.3)', () => {
  it('an SCCRQ assigning Tunnel ID 0 gets no SCCRP (no ID to answer to)', () => {
    const f = new TunnelFsm({ hostName: 'lns', random: seededRandom(3) });
    // Built by hand: the builder refuses 0 (a local error), a hostile peer does not.
    const bytes = sccrq({ hostName: 'lac', assignedTunnelId: 1 });
    const r = new AvpReader(bytes, 12);
    while (r.next() && r.type !== 9);
    bytes[r.valueOffset + 1] = 0; // Assigned Tunnel ID 1 → 0
    expect(parseControl(bytes).assignedTunnelId).toBe(0);
    const acts = f.handle({ type: 'received', bytes }, 0);
    expect(acts.filter((a) => a.type === 'send')).toHaveLength(0);
    expect(types(acts)).toContain('closed');
  });
});
