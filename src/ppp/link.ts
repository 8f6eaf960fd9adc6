/**
 * A PPP link over one L2TP session, in either role, sans-I/O: `handle(event, now)` returns
 * actions (frames to send, phase changes, results); time is an argument and randomness is
 * injected. It runs the link phases of RFC 1661 §3.2 (Dead → Establish → Authenticate →
 * Network → Terminate) over LCP, one authentication protocol per direction, IPCP and IPV6CP,
 * each a {@link ControlProtocol} or an auth side driven from here.
 */
import { AUTH_METHODS } from './auth-method.js';
import type { AuthResult, AuthSide } from './auth-types.js';
import { ChapAuthenticator, ChapPeer } from './chap.js';
import { ControlProtocol, type CpTimers } from './control-protocol.js';
import type { PppAction, PppClientOptions, PppEvent, PppLinkInfo, PppPhase, PppRole, PppServerOptions } from './link-types.js';
import { PppError } from './errors.js';
import { encodePppFrame, parsePppFrame } from './frame.js';
import { interfaceIdToString, Ipv6cpNegotiator } from './ipv6cp.js';
import { IpcpNegotiator, ipv4FromString, ipv4ToString } from './ipcp.js';
import { LcpNegotiator } from './lcp.js';
import { CpCode, PppProtocol } from './numbers.js';
import { be32, encodeControlPacket, parseControlPacket, u16, u32, type ControlPacket } from './packet.js';
import { PapAuthenticator, PapPeer } from './pap.js';

export type { PppPhase, PppLinkInfo, PppEvent, PppAction, PppCommonOptions, PppClientOptions, PppServerOptions, PppRole } from './link-types.js';


/**
 * One PPP link, either role. Use {@link PppClient} or {@link PppServer}.
 * @example
 * ```ts
 * const link = new PppClient({ random, username: 'alice', password: 's3cret' });
 * for (const a of link.handle({ type: 'open' }, now)) if (a.type === 'send') session.send(a.frame);
 * ```
 */
export class PppLink {
  /** The link phase (RFC 1661 §3.2). */
  phase: PppPhase = 'dead';
  private readonly lcp: ControlProtocol;
  private readonly lcpOpts: LcpNegotiator;
  private readonly ipcpOpts: IpcpNegotiator;
  private readonly ipcp: ControlProtocol;
  private readonly ipv6cpOpts: Ipv6cpNegotiator | undefined;
  private readonly ipv6cp: ControlProtocol | undefined;
  private auth: AuthSide | undefined;
  private authResult: AuthResult | undefined;
  private out: PppAction[] = [];
  private now = 0;
  private reportedUp = false;
  private reportedDown = false;
  private downReason = '';
  private readonly timers: Required<CpTimers>;
  private echoes = new Map<number, number>();
  private nextEcho: number | undefined;
  /** Frames that failed to parse and were dropped (RFC 1661: silently discarded). */
  malformed = 0;

  protected constructor(private readonly role: PppRole) {
    const o = role.options;
    if (typeof o?.random !== 'function') throw new TypeError('options.random must be a function (length) => Uint8Array');
    const t = o.negotiation ?? {};
    this.timers = { restartInterval: t.restartInterval ?? 3000, maxConfigure: t.maxConfigure ?? 10, maxTerminate: t.maxTerminate ?? 2, maxFailure: t.maxFailure ?? 5 };
    const host = { send: (p: number, pkt: Uint8Array) => this.send(p, pkt), layer: (p: number, w: 'up' | 'down' | 'started' | 'finished') => this.layer(p, w) };
    const methods = o.authProtocols ?? AUTH_METHODS;
    for (const m of methods) if (!AUTH_METHODS.includes(m)) throw new TypeError(`authProtocols may hold ${AUTH_METHODS.join(', ')}; got ${String(m)}`);
    this.lcpOpts = new LcpNegotiator({
      mru: o.mru ?? 1500,
      require: role.kind === 'server' ? methods : [],
      accept: role.kind === 'client' ? methods : [],
      pfc: o.pfc ?? false,
      acfc: o.acfc ?? false,
      random: o.random,
    });
    this.lcp = new ControlProtocol(PppProtocol.LCP, this.lcpOpts, host, this.timers);
    this.lcp.extraCodes = (p) => this.lcpExtra(p);
    if (role.kind === 'server') {
      if (methods.length > 0 && typeof role.options.authenticate !== 'function') throw new TypeError('options.authenticate is required when authProtocols is not empty');
      const pa = role.options.peerAddress;
      if (typeof pa === 'string') ipv4FromString(pa);
      else if (typeof pa !== 'function') throw new TypeError('options.peerAddress must be an IPv4 address or a function of the user name');
      const dns = (role.options.dns ?? []).map(ipv4FromString);
      this.ipcpOpts = new IpcpNegotiator({
        local: ipv4FromString(role.options.localAddress ?? '10.0.0.1'),
        assign: () => ipv4FromString(typeof pa === 'string' ? pa : pa(this.authResult?.user ?? '')),
        dns,
        requestDns: false,
      });
    } else {
      if (typeof role.options.username !== 'string' || typeof role.options.password !== 'string') throw new TypeError('options.username and options.password must be strings');
      this.ipcpOpts = new IpcpNegotiator({ local: 0, requestDns: role.options.requestDns ?? true });
    }
    this.ipcp = new ControlProtocol(PppProtocol.IPCP, this.ipcpOpts, host, this.timers);
    if (o.ipv6 !== false) {
      this.ipv6cpOpts = new Ipv6cpNegotiator(o.random);
      this.ipv6cp = new ControlProtocol(PppProtocol.IPV6CP, this.ipv6cpOpts, host, this.timers);
    }
  }

  /** The LCP automaton state (RFC 1661 §4.2). */
  get lcpState(): string {
    return this.lcp.state;
  }

  /** Feed one event; returns the actions to carry out, in order. */
  handle(event: PppEvent, now: number): PppAction[] {
    this.now = now;
    this.out = [];
    switch (event.type) {
      case 'open':
        if (this.phase === 'dead') {
          this.setPhase('establish');
          this.lcp.open(now);
          this.lcp.up(now);
        }
        break;
      case 'received':
        this.receive(event.frame);
        break;
      case 'tick':
        this.tick();
        break;
      case 'close':
        this.lcp.close(now, event.reason ?? 'closed');
        break;
      case 'echo':
        this.sendEcho();
        break;
      case 'lower-down':
        if (this.lcp.reason === '') this.lcp.reason = 'lower layer down';
        this.lcp.down(now);
        this.lcp.close(now);
        this.finish(this.lcp.reason);
        break;
    }
    return this.out;
  }

  /** When {@link handle} next wants a `tick`, or undefined. */
  nextDeadline(): number | undefined {
    let d: number | undefined;
    for (const x of [this.lcp.deadline, this.ipcp.deadline, this.ipv6cp?.deadline, this.auth?.deadline, this.nextEcho]) {
      if (x !== undefined && (d === undefined || x < d)) d = x;
    }
    return d;
  }

  /** What was negotiated so far. */
  info(): PppLinkInfo {
    const l = this.lcpOpts;
    const ipUp = this.ipcp.state === 'opened';
    const v6Up = this.ipv6cp?.state === 'opened';
    return {
      authProtocol: this.authResult?.method ?? null,
      user: this.authResult?.user ?? '',
      ipAddress: ipUp ? ipv4ToString(this.ipcpOpts.local) : null,
      peerIpAddress: ipUp ? ipv4ToString(this.ipcpOpts.peer) : null,
      dns: ipUp ? this.ipcpOpts.dnsServers().map(ipv4ToString) : [],
      ipv6InterfaceId: v6Up ? interfaceIdToString(this.ipv6cpOpts!.local) : null,
      peerIpv6InterfaceId: v6Up && this.ipv6cpOpts!.peer ? interfaceIdToString(this.ipv6cpOpts!.peer) : null,
      mru: l.mru,
      peerMru: l.peerMru,
      magic: l.magic,
      peerMagic: l.peerMagic,
    };
  }

  /**
   * Frame a network-layer packet (IPv4 0x0021 or IPv6 0x0057) for the peer, once its NCP is open.
   * @throws `RangeError` when that NCP is not open.
   */
  encapsulate(protocol: number, information: Uint8Array): Uint8Array {
    const cp = protocol === PppProtocol.IPv4 ? this.ipcp : protocol === PppProtocol.IPv6 ? this.ipv6cp : undefined;
    if (cp?.state !== 'opened') throw new RangeError(`protocol 0x${protocol.toString(16)} has no open NCP on this link`);
    return this.frame(protocol, information);
  }

  private frame(protocol: number, packet: Uint8Array): Uint8Array {
    // RFC 1661 §6.5, §6.6: never compress LCP's own header.
    const lcp = protocol === PppProtocol.LCP;
    return encodePppFrame(protocol, packet, { addressControl: lcp || !this.lcpOpts.sendAcfc, compressProtocol: !lcp && this.lcpOpts.sendPfc });
  }

  private send(protocol: number, packet: Uint8Array): void {
    this.out.push({ type: 'send', frame: this.frame(protocol, packet) });
  }

  private setPhase(phase: PppPhase): void {
    if (this.phase === phase) return;
    this.phase = phase;
    this.out.push({ type: 'phase', phase });
  }

  private finish(reason: string): void {
    if (this.reportedDown) return;
    this.reportedDown = true;
    this.nextEcho = undefined;
    this.setPhase('dead');
    this.out.push({ type: 'down', reason: this.downReason || reason || 'closed' });
  }

  private ncps(): ControlProtocol[] {
    return this.ipv6cp ? [this.ipcp, this.ipv6cp] : [this.ipcp];
  }

  /** this-layer-up/down/started/finished of every control protocol (RFC 1661 §4.4). */
  private layer(protocol: number, what: 'up' | 'down' | 'started' | 'finished'): void {
    const now = this.now;
    if (protocol === PppProtocol.LCP) {
      if (what === 'up') return this.lcpUp();
      if (what === 'down') {
        // §3.2: leaving Network brings every NCP down; authentication starts over. The phase
        // changes first, so the NCPs finishing here do not read as "no network protocol".
        this.setPhase(this.lcp.state === 'closing' || this.lcp.state === 'stopping' ? 'terminate' : 'establish');
        for (const cp of this.ncps()) {
          cp.down(now);
          cp.close(now);
        }
        this.auth = undefined;
        this.nextEcho = undefined;
        return;
      }
      if (what === 'finished') return this.finish(this.lcp.reason);
      return;
    }
    if (what === 'up' || what === 'finished') this.checkNetwork();
  }

  private lcpUp(): void {
    const l = this.lcpOpts;
    this.setPhase('authenticate');
    const hostAuth = { send: (p: number, pkt: Uint8Array) => this.send(p, pkt), finish: (r: AuthResult) => this.authFinished(r) };
    const at = { restartInterval: this.timers.restartInterval, maxTries: this.timers.maxConfigure };
    const role = this.role;
    if (role.kind === 'server') {
      const required = role.options.authProtocols ?? AUTH_METHODS;
      if (required.length > 0 && !l.authWeRequire) {
        this.downReason = 'auth-refused: the client would not authenticate with any method we allow';
        this.lcp.close(this.now, this.downReason);
        return;
      }
      const m = l.authWeRequire;
      if (m === 'pap') this.auth = new PapAuthenticator(role.options.authenticate!, hostAuth, at);
      else if (m) this.auth = new ChapAuthenticator(m, role.options.authenticate!, hostAuth, at, role.options.random, role.options.name ?? 'l2tp-wire');
    } else {
      const m = l.authPeerRequires;
      if (m === 'pap') this.auth = new PapPeer(role.options.username, role.options.password, hostAuth, at);
      else if (m) this.auth = new ChapPeer(m, role.options.username, role.options.password, hostAuth, at, role.options.random);
    }
    if (this.auth) this.auth.start(this.now);
    else this.network();
  }

  private authFinished(r: AuthResult): void {
    this.authResult = r;
    this.out.push({ type: 'authenticated', result: r });
    if (r.ok) return this.network();
    this.downReason = `auth-failed: ${r.message}`;
    this.lcp.close(this.now, this.downReason);
  }

  private network(): void {
    this.setPhase('network');
    for (const cp of this.ncps()) {
      cp.open(this.now);
      cp.up(this.now);
    }
    const interval = this.role.options.echoInterval ?? 0;
    if (interval > 0) this.nextEcho = this.now + interval;
  }

  /** Report `up` once every NCP has opened or given up, and close when none opened (§3.2). */
  private checkNetwork(): void {
    if (this.phase !== 'network' || this.reportedUp) return;
    const settled = (s: string) => s === 'opened' || s === 'stopped' || s === 'closed' || s === 'initial' || s === 'starting';
    const ncps = this.ncps();
    if (!ncps.every((cp) => settled(cp.state))) return;
    if (ncps.some((cp) => cp.state === 'opened')) {
      this.reportedUp = true;
      this.out.push({ type: 'up', info: this.info() });
    } else {
      this.downReason = 'no network protocol opened (IPCP and IPV6CP both failed)';
      this.lcp.close(this.now, this.downReason);
    }
  }

  private receive(bytes: Uint8Array): void {
    try {
      this.dispatch(bytes);
    } catch (e) {
      // RFC 1661: malformed packets are silently discarded; counted for diagnosis.
      if (!(e instanceof PppError)) throw e;
      this.malformed++;
    }
  }

  private dispatch(bytes: Uint8Array): void {
    let protocol: number;
    let info: Uint8Array;
    let packet: ControlPacket | undefined;
    const f = parsePppFrame(bytes);
    protocol = f.protocol;
    info = f.information;
    // Control protocols have the 0x8000 bit set (RFC 1661 §2: 8xxx-bxxx NCPs, cxxx link-layer).
    if (protocol & 0x8000) packet = parseControlPacket(info);
    const now = this.now;
    if (protocol === PppProtocol.LCP) return this.lcp.receive(packet!, now);
    // §3.4–3.5: nothing but LCP before LCP is open; nothing but LCP and auth before Network.
    if (this.lcp.state !== 'opened') return;
    if (protocol === PppProtocol.PAP || protocol === PppProtocol.CHAP) {
      const wanted = this.auth?.method === 'pap' ? PppProtocol.PAP : this.auth ? PppProtocol.CHAP : 0;
      if (protocol === wanted) this.auth!.receive(packet!.code, packet!.identifier, packet!.data, now);
      return;
    }
    if (protocol === PppProtocol.IPCP || (protocol === PppProtocol.IPV6CP && this.ipv6cp)) {
      if (this.phase === 'network') (protocol === PppProtocol.IPCP ? this.ipcp : this.ipv6cp!).receive(packet!, now);
      return;
    }
    if (protocol === PppProtocol.IPv4 || protocol === PppProtocol.IPv6) {
      const cp = protocol === PppProtocol.IPv4 ? this.ipcp : this.ipv6cp;
      if (cp?.state === 'opened') this.out.push({ type: 'packet', protocol, information: info });
      return;
    }
    // §5.7: a protocol we do not run: Protocol-Reject, truncated to fit the peer's MRU.
    const room = Math.max(0, this.lcpOpts.peerMru - 6);
    const data = new Uint8Array(2 + Math.min(info.length, room));
    data[0] = protocol >>> 8;
    data[1] = protocol & 0xff;
    data.set(info.subarray(0, data.length - 2), 2);
    this.lcp.sendExtra(CpCode.ProtocolReject, data);
  }

  /** LCP codes 8–11 (RFC 1661 §5.7–5.9) as automaton events. */
  private lcpExtra(p: ControlPacket): 'RXJ+' | 'RXJ-' | 'RXR' | undefined {
    switch (p.code) {
      case CpCode.ProtocolReject: {
        if (p.data.length < 2) return 'RXJ+';
        const rejected = u16(p.data);
        if (rejected === PppProtocol.LCP) return 'RXJ-';
        // The rejected NCP stops (RXJ- for it); the link carries on.
        if (rejected === PppProtocol.IPCP) this.ipcp.rejected(true, this.now);
        else if (rejected === PppProtocol.IPV6CP) this.ipv6cp?.rejected(true, this.now);
        return 'RXJ+';
      }
      case CpCode.EchoRequest: {
        // §5.8: reply with our magic number; the rest of the data is echoed.
        if (p.data.length < 4 || this.lcp.state !== 'opened') return 'RXR';
        const reply = new Uint8Array(p.data.length);
        reply.set(be32(this.lcpOpts.magic));
        reply.set(p.data.subarray(4), 4);
        this.lcp.setReply(CpCode.EchoReply, p.identifier, reply);
        return 'RXR';
      }
      case CpCode.EchoReply: {
        const sent = this.echoes.get(p.identifier);
        // §5.8: our own magic number back means a looped-back link, not a reply.
        if (sent !== undefined && !(p.data.length >= 4 && u32(p.data) === this.lcpOpts.magic)) {
          this.echoes.delete(p.identifier);
          this.out.push({ type: 'echo-reply', identifier: p.identifier, rtt: this.now - sent });
        }
        return 'RXR';
      }
      case CpCode.DiscardRequest:
        return 'RXR';
      default:
        return undefined;
    }
  }

  private sendEcho(): void {
    if (this.lcp.state !== 'opened') return;
    const id = this.lcp.sendExtra(CpCode.EchoRequest, be32(this.lcpOpts.magic));
    this.echoes.set(id, this.now);
  }

  private tick(): void {
    const now = this.now;
    this.lcp.tick(now);
    for (const cp of this.ncps()) cp.tick(now);
    this.auth?.tick(now);
    if (this.nextEcho !== undefined && now >= this.nextEcho) {
      const o = this.role.options;
      if (this.echoes.size >= (o.echoFailures ?? 3)) {
        this.downReason = `echo timeout: ${this.echoes.size} Echo-Requests unanswered`;
        this.nextEcho = undefined;
        this.lcp.close(now, this.downReason);
        return;
      }
      this.sendEcho();
      this.nextEcho = now + (o.echoInterval ?? 0);
    }
  }
}

/**
 * The client end of a PPP link: authenticates to the server, asks for an address and DNS.
 * @example
 * ```ts
 * const client = new PppClient({ random, username: 'alice', password: 's3cret' });
 * const actions = client.handle({ type: 'open' }, Date.now());
 * ```
 */
export class PppClient extends PppLink {
  constructor(options: PppClientOptions) {
    super({ kind: 'client', options });
  }
}

/**
 * The server end of a PPP link: requires authentication, assigns the client's address and DNS.
 * @example
 * ```ts
 * const server = new PppServer({ random, authenticate: (m, user, proof) => proof.verify(users[user] ?? ''),
 *   peerAddress: () => pool.allocate(), dns: ['10.0.0.53'] });
 * ```
 */
export class PppServer extends PppLink {
  constructor(options: PppServerOptions) {
    super({ kind: 'server', options });
  }
}
