/**
 * A hand-played peer for one TunnelFsm of {@link establishedPair}: it sends crafted control
 * messages (any AVPs, any header Session ID) in sequence, and keeps its Nr in step with what the
 * FSM sends, so each message is delivered in order (RFC 2661 §5.8) and only its content is tested.
 */
import type { TunnelAction, TunnelFsm } from '../../src/fsm/index.js';
import { encodeControl, parseControl, type ControlMessage } from '../../src/wire/control.js';
import { establishedPair } from './harness.js';

type Fields = Omit<Parameters<typeof encodeControl>[0], 'tunnelId' | 'controlConnectionId' | 'version' | 'ns' | 'nr'>;

/** Control messages (not ZLBs) among some actions, parsed. */
export function controlSent(acts: readonly TunnelAction[]): ControlMessage[] {
  return acts.flatMap((a) => (a.type === 'send' && (a.bytes[0]! & 0x80) !== 0 ? [parseControl(a.bytes, { requireAvps: false })] : [])).filter((m) => m.typeName !== 'ZLB');
}

export class CraftedPeer {
  now = 10;

  /** `ns`/`nr`: the next Ns this peer sends and the next it expects from the FSM. */
  constructor(
    readonly fsm: TunnelFsm,
    private ns: number,
    private nr: number,
  ) {}

  /** Feed the FSM a local event (openSession, closeSession, tick...) and track what it sends. */
  local(event: Parameters<TunnelFsm['handle']>[0], now = this.now): TunnelAction[] {
    this.now = now;
    return this.track(this.fsm.handle(event, now));
  }

  /** Deliver a crafted control message to the FSM. */
  send(fields: Fields, now = this.now): TunnelAction[] {
    this.now = now;
    const to = this.fsm.version === 3 ? { version: 3, controlConnectionId: this.fsm.localControlConnectionId } : { tunnelId: this.fsm.localTunnelId };
    const bytes = encodeControl({ ...to, ns: this.ns, nr: this.nr, ...fields } as Parameters<typeof encodeControl>[0]);
    this.ns = (this.ns + 1) & 0xffff;
    return this.track(this.fsm.handle({ type: 'received', bytes }, now));
  }

  private track(acts: TunnelAction[]): TunnelAction[] {
    for (const m of controlSent(acts)) this.nr = (m.ns + 1) & 0xffff;
    return acts;
  }
}

/**
 * The LNS of an established pair (HELLO off unless `lnsOptions` say otherwise) and a hand-played
 * LAC in its place (next Ns 2, next Nr 1: SCCRQ and SCCCN sent, SCCRP received). By default the
 * LAC advertised Bearer Capabilities, so outgoing calls may be placed through it (RFC 2661 §6.9).
 */
export function lnsWithPeer(
  lnsOptions: Parameters<typeof establishedPair>[0] = {},
  lacOptions: Parameters<typeof establishedPair>[1] = { bearerCapabilities: 2 },
): { lns: TunnelFsm; peer: CraftedPeer } {
  const { lns } = establishedPair({ helloInterval: 0, ...lnsOptions }, lacOptions);
  return { lns, peer: new CraftedPeer(lns, 2, 1) };
}

/** The actions of one type. */
export function actionsOf<T extends TunnelAction['type']>(acts: readonly TunnelAction[], type: T): Extract<TunnelAction, { type: T }>[] {
  return acts.filter((a) => a.type === type) as Extract<TunnelAction, { type: T }>[];
}

/** The local Session ID of the call an openSession's actions opened. */
export function opened(acts: readonly TunnelAction[]): number {
  return actionsOf(acts, 'session-opening')[0]!.sessionId;
}

