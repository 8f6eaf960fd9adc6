/**
 * A message with Tunnel ID 0 (RFC 2661 §3.1): an SCCRQ, its retransmission, or a stray. An SCCRQ
 * is keyed by where it came from and the LAC's Assigned Tunnel ID (§4.4.3), admitted under the
 * half-open and per-source limits, and given a new tunnel with a fresh Tunnel ID of ours.
 * @internal
 * @module
 */
import { TunnelFsm } from '../fsm/index.js';
import { randomId16, randomId32 } from '../fsm/checks.js';
import { resolveTunnelOptions, type ResolvedTunnelOptions } from '../fsm/options.js';
import { MessageType } from '../wire/message-catalog.js';
import { admit, sourceOf } from './lns-admission.js';
import { flatKey, readTunnelZero, sccrqKey } from './demux.js';
import { LnsDriver } from './lns-drive.js';
import { TunnelEntry, viaKey, type Via } from './lns-handles.js';

/** SCCRQ admission and tunnel creation. @internal */
export abstract class LnsAdmission extends LnsDriver {
  /** Free a half-open tunnel without a word: the oldest, to admit a newer SCCRQ. */
  protected evict(t: TunnelEntry): void {
    this.report.halfOpen('oldest', t, this.timer.now());
    this.forget(t);
  }

  /** A message with Tunnel ID 0: an SCCRQ (or its retransmission), or a stray. */
  protected onTunnelZero(bytes: Uint8Array, via: Via, control: boolean): void {
    if (!control) {
      this.c.unknownTunnel++;
      return;
    }
    const m = readTunnelZero(bytes, this.fsmOptions.secret);
    if (m === undefined) {
      // Does not parse, or no Assigned Tunnel ID: no one to answer (RFC 2661 §6.1 requires it).
      this.c.malformed++;
      return;
    }
    const { type, assigned, version } = m;
    const key = sccrqKey(viaKey(via), assigned, version);
    const known = this.table.bySccrqKey(key);
    if (known !== undefined) {
      // A retransmitted SCCRQ, or a StopCCN sent before the LAC learnt our Tunnel ID.
      this.receive(known, bytes);
      return;
    }
    if (type !== MessageType.SCCRQ) {
      this.c.unknownTunnel++;
      return;
    }
    if (this.closing !== undefined) return this.report.refused('closing', via);
    const source = sourceOf(via);
    const a = admit(this.table.halfOpenSet, this.table.size, source, this.r);
    if (!a.admit) return this.report.refused(a.reason, via);
    if (a.evict !== undefined) this.evict(a.evict);
    // Our Tunnel IDs are unique across the LNS: they are the routing key. v3 Control Connection
    // IDs are drawn above 0xffff, so no v2 header's Tunnel ID ever names a v3 tunnel.
    const id = version === 2 ? randomId16(this.fsmOptions.random, (n) => this.table.has(n)) : randomId32(this.fsmOptions.random, (n) => n <= 0xffff || this.table.has(n));
    const fsm = new TunnelFsm(this.sharedFsmOptions(via.kind === 'tcp', version), id);
    const t = new TunnelEntry(this, fsm, via, flatKey(key), source, this.timer.now());
    this.table.add(t);
    // v3 peers are judged too: the observer reads the v3 column of the message rules for them.
    this.conformance.attach(t, version);
    this.receive(t, bytes);
  }

  /** The tunnels' FSM options, resolved once per transport and shared by all (issue 16: no per-tunnel copy). */
  protected readonly fsmShared: (ResolvedTunnelOptions | undefined)[] = [undefined, undefined, undefined, undefined];
  protected sharedFsmOptions(tcp: boolean, version: 2 | 3 = 2): ResolvedTunnelOptions {
    // v3 data names only the session (RFC 3931 §4.1): our Session IDs are unique across the LNS.
    const sessionIdTaken = version === 3 ? (id: number) => this.pseudowires.has(id) : undefined;
    return (this.fsmShared[(tcp ? 1 : 0) + (version === 3 ? 2 : 0)] ??= resolveTunnelOptions({ ...this.fsmOptions, dataWithLength: tcp, version, sessionIdTaken }));
  }
}
