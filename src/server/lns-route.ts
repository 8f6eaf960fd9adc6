/**
 * Routing what arrives (RFC 2661 §3.1, §7.2; RFC 3931 §3.2.1, §4.1.2.1): the version nibble
 * tells v2 from v3, a v3 data message goes by Session ID, every other message by *our* Tunnel ID
 * in its header — following the peer to wherever it now sends from (see the `lns` module).
 * @internal
 * @module
 */
import { L2tpError } from '../wire/errors.js';
import { isV3DataMessage } from '../client/pseudowire-session.js';
import { peekHeader, peekHeaderV3, serialAtOrAfter } from './demux.js';
import { sameVia, type TcpConn, type TunnelEntry, type Via } from './lns-handles.js';
import { LnsAdmission } from './lns-sccrq.js';

/** The datagram demultiplexing of an embedded LNS. @internal */
export abstract class LnsRouter extends LnsAdmission {
  protected onConnectionClosed(conn: TcpConn): void {
    this.idle.closed(conn);
    if (this.table.size === 0 && this.idle.size === 0) this.timer.clear();
    // The connection was the only way to the peer: its tunnels cannot be reached any more.
    for (const tun of [...conn.tunnels]) if (tun.via.kind === 'tcp' && tun.via.conn === conn) this.discard(tun, new L2tpError('TRANSPORT', 'the TCP connection closed'));
  }

  protected onMessage(bytes: Uint8Array, via: Via): void {
    this.c.messagesIn++;
    if (this.closing !== undefined && this.table.size === 0) return;
    // The version nibble (RFC 3931 §3.2.1) tells v2 and v3 apart; a version we were not asked to
    // serve (createLns({ versions })) is as good as garbage here.
    const version = bytes.length >= 2 ? bytes[1]! & 0x0f : 0;
    if (version === 3 && this.r.versions.includes(3) && isV3DataMessage(bytes)) return this.onPseudowireData(bytes);
    const h = version === 2 || (version === 3 && this.r.versions.includes(3)) ? (version === 2 ? peekHeader(bytes) : peekHeaderV3(bytes)) : undefined;
    if (h === undefined || (version === 2 && !this.r.versions.includes(2))) {
      this.c.malformed++;
      return;
    }
    if (h.tunnelId !== 0) {
      const t = this.table.get(h.tunnelId);
      if (t === undefined) {
        // RFC 2661 leaves it open; xl2tpd drops these silently, and answering would help a scanner.
        this.c.unknownTunnel++;
        return;
      }
      if (!sameVia(t.via, via)) this.rebind(t, via);
      if (h.control && t.stopNs !== undefined && !t.stopAcked && serialAtOrAfter(h.nr, (t.stopNs + 1) & 0xffff)) {
        t.stopAcked = true;
        this.ackWaiter?.();
      }
      if (h.control) this.receive(t, bytes);
      else this.feed(t, { type: 'received', bytes });
    } else {
      this.onTunnelZero(bytes, via, h.control);
    }
    if (via.kind === 'tcp') this.idle.watch(via.conn);
  }

  /** The peer now sends from elsewhere (NAT rebinding, or a new TCP connection): reply there. */
  protected rebind(t: TunnelEntry, via: Via): void {
    this.c.rebinds++;
    const was = t.via;
    if (was.kind === 'tcp') was.conn.tunnels.delete(t);
    if (via.kind === 'tcp') via.conn.tunnels.add(t);
    t.via = via;
    if (was.kind === 'tcp') this.idle.watch(was.conn);
  }

  /** v3 data (RFC 3931 §4.1.2.1): routed by Session ID; drops are counted, never thrown. */
  protected onPseudowireData(bytes: Uint8Array): void {
    const got = this.pseudowires.receive(bytes);
    if (got === 'unknown') {
      this.c.unknownTunnel++;
      return;
    }
    // RFC 3931 §4.4: data from the peer restarts its control connection's Hello timer, as v2
    // data does inside the FSM (the LNS timer fires at the old deadline and re-arms).
    if (got.heard) got.session.tunnel.fsm.noteActivity(this.timer.now());
    if (got.frame !== undefined) this.onFrame(got.session.tunnel, got.session.id, got.frame);
  }
}
