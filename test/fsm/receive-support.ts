/**
 * Helpers shared by the receive-path edge tests (receive-edges*.test.ts): a lone TunnelFsm with a
 * seeded random source, and the control messages, errors and stop an action list holds.
 */
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { parseControl, type ControlMessage } from '../../src/wire/control.js';
import type { L2tpError } from '../../src/wire/errors.js';
import { seededRandom } from './harness.js';

export const fsm = (o: Partial<TunnelOptions> = {}): TunnelFsm => new TunnelFsm({ hostName: 'edge', random: seededRandom(3), ...o });
/** The control messages (not ZLBs or data) among the actions, parsed. */
export const sent = (acts: TunnelAction[]): ControlMessage[] => acts.flatMap((a) => (a.type === 'send' && (a.bytes[0]! & 0x80) !== 0 ? [parseControl(a.bytes, { requireAvps: false })] : []));
export const errors = (acts: TunnelAction[]): L2tpError[] => acts.flatMap((a) => (a.type === 'error' ? [a.error] : []));
export const stoppedOf = (acts: TunnelAction[]) => acts.find((a): a is Extract<TunnelAction, { type: 'stopped' }> => a.type === 'stopped');
/** After the handshake the LAC has sent Ns 0 (SCCRQ) and 1 (SCCCN), the LNS Ns 0 (SCCRP). */
export const fromLac = (lns: TunnelFsm) => ({ tunnelId: lns.localTunnelId, ns: 2, nr: 1 });
