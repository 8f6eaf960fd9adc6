/**
 * Grouping messages into tunnels (control connections) and sessions, the way the peers do:
 * each end picks its own ID and announces it (Assigned Tunnel ID, RFC 2661 §4.4.3; Assigned
 * Session ID, §4.4.4; RFC 3931 §5.4.3 Assigned Control Connection ID and §5.4.4 Local/Remote
 * Session ID), and every message carries the *receiver's* ID. So an ID is keyed by the end that
 * chose it: (receiver address, port, ID). v3 data sessions also learn their cookie size (Assigned
 * Cookie AVP) and sublayer (L2-Specific Sublayer AVP) from the end that will receive the data.
 */
import type { ControlMessage } from '../wire/control.js';
import type { DataLayout } from './message.js';

/**
 * An address, and the UDP port (absent for L2TPv3 over IP).
 * @example
 * ```ts
 * const { address, port } = record.src; // '127.0.0.1', 1701
 * ```
 */
export interface Endpoint {
  readonly address: string;
  readonly port?: number;
}

/**
 * One end of a tunnel or session and the ID it chose.
 * @example
 * ```ts
 * for (const e of capture.tunnels[0]!.ends) console.log(`${e.address}:${e.port} chose Tunnel ID ${e.id}`);
 * ```
 */
export interface EndId extends Endpoint {
  readonly id: number;
}

/**
 * A control connection found in the capture.
 * @example
 * ```ts
 * const t = capture.tunnels[0]!;
 * const types = t.records.map((i) => capture.records[i]!.control?.typeName);
 * ```
 */
export interface TunnelGroup {
  /** Index in `DecodedCapture.tunnels`. */
  readonly index: number;
  readonly version: 2 | 3;
  readonly encapsulation: 'udp' | 'ip';
  /** The IDs each end chose (usually two), in the order they were seen. */
  readonly ends: EndId[];
  /** Indexes in `DecodedCapture.sessions`. */
  readonly sessions: number[];
  /** Indexes in `DecodedCapture.records` (control and data). */
  readonly records: number[];
}

/**
 * A session found in the capture.
 * @example
 * ```ts
 * const s = capture.sessions[0]!;
 * console.log('tunnel', s.tunnel, 'cookie sizes', s.ends.map((e) => e.cookieLength));
 * ```
 */
export interface SessionGroup {
  readonly index: number;
  /** Index of its tunnel, when a control message tied it to one. */
  tunnel: number | undefined;
  /** The IDs each end chose, with what that end asked to receive (v3). */
  readonly ends: Array<EndId & { cookieLength?: 0 | 4 | 8; l2SpecificSublayer?: number }>;
  readonly records: number[];
}

const SCCRQ = 1;
const OCRQ = 7;
const ICRQ = 10;

const epKey = (e: Endpoint): string => `${e.address}|${e.port ?? ''}`;

/** @internal Stateful grouping over one capture, in file order. */
export class Conversations {
  readonly tunnels: TunnelGroup[] = [];
  readonly sessions: SessionGroup[] = [];
  private readonly tunnelByKey = new Map<string, TunnelGroup>();
  private readonly sessionByKey = new Map<string, SessionGroup>();

  constructor(private readonly defaults: DataLayout) {}

  private tKey(version: number, at: Endpoint, id: number): string {
    return `${version}|${epKey(at)}|${id}`;
  }
  /** v2 session IDs are scoped by tunnel; v3 session IDs by the LCCE that chose them (RFC 3931 §4.1). */
  private sKey(version: number, tunnel: TunnelGroup | undefined, at: Endpoint, id: number): string {
    return version === 2 ? `2|${tunnel?.index ?? ''}|${epKey(at)}|${id}` : `3|${epKey(at)}|${id}`;
  }

  private newTunnel(version: 2 | 3, encapsulation: 'udp' | 'ip'): TunnelGroup {
    const t: TunnelGroup = { index: this.tunnels.length, version, encapsulation, ends: [], sessions: [], records: [] };
    this.tunnels.push(t);
    return t;
  }

  private newSession(tunnel: TunnelGroup | undefined): SessionGroup {
    const s: SessionGroup = { index: this.sessions.length, tunnel: tunnel?.index, ends: [], records: [] };
    this.sessions.push(s);
    tunnel?.sessions.push(s.index);
    return s;
  }

  private nameTunnel(t: TunnelGroup, at: Endpoint, id: number): void {
    if (id === 0) return;
    const key = this.tKey(t.version, at, id);
    if (this.tunnelByKey.has(key)) return;
    this.tunnelByKey.set(key, t);
    t.ends.push({ ...at, id });
  }

  private nameSession(s: SessionGroup, version: number, tunnel: TunnelGroup | undefined, at: Endpoint, id: number): SessionGroup['ends'][number] | undefined {
    if (id === 0) return undefined;
    const key = this.sKey(version, tunnel, at, id);
    if (!this.sessionByKey.has(key)) {
      this.sessionByKey.set(key, s);
      s.ends.push({ ...at, id });
    }
    return s.ends.find((e) => e.id === id && epKey(e) === epKey(at));
  }

  /** The tunnel and session of a control message from `src` to `dst`; learns the IDs it announces. */
  control(m: ControlMessage, src: Endpoint, dst: Endpoint, encapsulation: 'udp' | 'ip'): { tunnel: TunnelGroup; session?: SessionGroup } {
    const v = m.version;
    const announced = v === 2 ? m.assignedTunnelId : m.assignedControlConnectionId;
    let t = m.tunnelId !== 0 ? this.tunnelByKey.get(this.tKey(v, dst, m.tunnelId)) : undefined;
    // A retransmitted SCCRQ (still to ID 0) names the tunnel its first copy opened.
    if (t === undefined && announced !== undefined) t = this.tunnelByKey.get(this.tKey(v, src, announced));
    // A reply to ID 0 (a StopCCN refusing an SCCRQ): the newest tunnel `dst` opened to `src`.
    if (t === undefined && m.tunnelId === 0 && m.type !== SCCRQ) {
      for (let i = this.tunnels.length - 1; i >= 0 && t === undefined; i--) {
        const x = this.tunnels[i]!;
        if (x.version === v && x.ends.length === 1 && epKey(x.ends[0]!) === epKey(dst)) t = x;
      }
    }
    // v3 session IDs are unique per LCCE, not per tunnel: a session already seen names its tunnel
    // even when the capture missed the SCCRQ/SCCRP that announced the Control Connection IDs.
    if (t === undefined && v === 3) {
      const s = (m.remoteSessionId ? this.sessionByKey.get(this.sKey(3, undefined, dst, m.remoteSessionId)) : undefined) ?? (m.localSessionId ? this.sessionByKey.get(this.sKey(3, undefined, src, m.localSessionId)) : undefined);
      if (s?.tunnel !== undefined) t = this.tunnels[s.tunnel];
    }
    t ??= this.newTunnel(v, encapsulation);
    this.nameTunnel(t, dst, m.tunnelId);
    if (announced !== undefined) this.nameTunnel(t, src, announced);
    const session = v === 2 ? this.sessionV2(m, t, src, dst) : this.sessionV3(m, t, src, dst);
    return { tunnel: t, session };
  }

  private sessionV2(m: ControlMessage, t: TunnelGroup, src: Endpoint, dst: Endpoint): SessionGroup | undefined {
    const announced = m.assignedSessionId;
    let s = m.sessionId !== 0 ? this.sessionByKey.get(this.sKey(2, t, dst, m.sessionId)) : undefined;
    if (s === undefined && announced !== undefined) s = this.sessionByKey.get(this.sKey(2, t, src, announced));
    // An ICRQ whose Assigned Session ID was hidden (and no secret given) opened a session with no
    // known ID: the first message to an unknown Session ID in that tunnel is its reply.
    if (s === undefined && m.sessionId !== 0) {
      for (let i = t.sessions.length - 1; i >= 0 && s === undefined; i--) {
        const x = this.sessions[t.sessions[i]!]!;
        if (x.ends.length === 0) s = x;
      }
    }
    if (s === undefined && (m.sessionId !== 0 || m.type === ICRQ || m.type === OCRQ)) s = this.newSession(t);
    if (s === undefined) return undefined;
    this.nameSession(s, 2, t, dst, m.sessionId);
    if (announced !== undefined) this.nameSession(s, 2, t, src, announced);
    return s;
  }

  private sessionV3(m: ControlMessage, t: TunnelGroup, src: Endpoint, dst: Endpoint): SessionGroup | undefined {
    const local = m.localSessionId;
    const remote = m.remoteSessionId;
    let s = remote ? this.sessionByKey.get(this.sKey(3, t, dst, remote)) : undefined;
    if (s === undefined && local) s = this.sessionByKey.get(this.sKey(3, t, src, local));
    if (s === undefined && local) s = this.newSession(t);
    if (s === undefined) return undefined;
    if (s.tunnel === undefined) {
      s.tunnel = t.index;
      t.sessions.push(s.index);
    }
    if (remote) this.nameSession(s, 3, t, dst, remote);
    const mine = local ? this.nameSession(s, 3, t, src, local) : undefined;
    if (mine) {
      // RFC 3931 §5.4.4: the cookie and sublayer an end assigns are the ones it expects to receive.
      const cookie = m.assignedCookie;
      if (cookie !== undefined) mine.cookieLength = cookie.length as 4 | 8;
      const l2ss = m.l2SpecificSublayer;
      if (l2ss !== undefined) mine.l2SpecificSublayer = l2ss;
    }
    return s;
  }

  /** How to read v3 data to session `id` at `dst`: learned, else the defaults. */
  layout(dst: Endpoint, id: number): DataLayout {
    const s = this.sessionByKey.get(this.sKey(3, undefined, dst, id));
    const end = s?.ends.find((e) => e.id === id && epKey(e) === epKey(dst));
    return { cookieLength: end?.cookieLength ?? this.defaults.cookieLength, l2SpecificSublayer: end?.l2SpecificSublayer ?? this.defaults.l2SpecificSublayer };
  }

  /** The tunnel and session of a data message to (v2) tunnel `tunnelId` / session `sessionId` at `dst`. */
  data(version: 2 | 3, dst: Endpoint, tunnelId: number, sessionId: number, encapsulation: 'udp' | 'ip'): { tunnel?: TunnelGroup; session?: SessionGroup } {
    if (version === 2) {
      let t = this.tunnelByKey.get(this.tKey(2, dst, tunnelId));
      if (t === undefined) {
        t = this.newTunnel(2, encapsulation);
        this.nameTunnel(t, dst, tunnelId);
      }
      let s = this.sessionByKey.get(this.sKey(2, t, dst, sessionId));
      if (s === undefined && sessionId !== 0) {
        s = this.newSession(t);
        this.nameSession(s, 2, t, dst, sessionId);
      }
      return { tunnel: t, session: s };
    }
    let s = this.sessionByKey.get(this.sKey(3, undefined, dst, sessionId));
    if (s === undefined) {
      s = this.newSession(undefined);
      this.nameSession(s, 3, undefined, dst, sessionId);
    }
    return { tunnel: s.tunnel === undefined ? undefined : this.tunnels[s.tunnel], session: s };
  }
}
