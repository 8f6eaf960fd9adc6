/**
 * One control protocol (LCP or an NCP) run by the RFC 1661 automaton: this file turns received
 * packets into automaton events (§4.3) and carries out the actions (§4.4) — the Restart timer
 * and counter (§4.6), identifiers, Max-Configure, Max-Terminate and Max-Failure. What the options
 * *mean* is the {@link OptionNegotiator}'s business, one small module per protocol, so LCP,
 * IPCP and IPV6CP share this engine instead of copying it. Sans-I/O: time comes in as `now`,
 * packets go out through the {@link CpHost}.
 */
import { Automaton, type AutomatonAction, type AutomatonEvent, type AutomatonState } from './automaton.js';
import { CpCode } from './numbers.js';
import { encodeControlPacket, encodeOptions, parseOptions, sameBytes, type ControlPacket, type PppOption } from './packet.js';

/**
 * How one option of a peer's Configure-Request is judged (RFC 1661 §5.1–5.4).
 * @example
 * ```ts
 * const v: OptionVerdict = { verdict: 'nak', data: Uint8Array.of(0x05, 0xdc) };
 * ```
 */
export type OptionVerdict = { readonly verdict: 'ack' } | { readonly verdict: 'nak'; readonly data: Uint8Array } | { readonly verdict: 'reject' };

/**
 * The protocol-specific half of a control protocol: which options we ask for, how we judge the
 * peer's, and what we learn from its Ack/Nak/Reject.
 * @example
 * ```ts
 * const mine: OptionNegotiator = { request: () => [], judge: () => ({ verdict: 'reject' }),
 *   accepted() {}, acked() {}, naked() {}, rejected() {}, reset() {} };
 * ```
 */
export interface OptionNegotiator {
  /** The options of our next Configure-Request. */
  request(): PppOption[];
  /** Judge one option of the peer's Configure-Request (pure: no state change). */
  judge(option: PppOption): OptionVerdict;
  /** We are acking the peer's request: remember what it will use. */
  accepted(options: readonly PppOption[]): void;
  /** The peer acked our request. */
  acked(options: readonly PppOption[]): void;
  /** The peer nak'd these options with the values it wants. */
  naked(options: readonly PppOption[]): void;
  /** The peer rejected these options: do not ask for them again. */
  rejected(options: readonly PppOption[]): void;
  /** Forget what was negotiated (the layer went down). */
  reset(): void;
}

/**
 * What a {@link ControlProtocol} needs from its owner.
 * @example
 * ```ts
 * const host: CpHost = { send: (proto, pkt) => out.push(pkt), layer: (proto, what) => console.log(what) };
 * ```
 */
export interface CpHost {
  send(protocol: number, packet: Uint8Array): void;
  /** this-layer-up/down/started/finished (RFC 1661 §4.4). */
  layer(protocol: number, what: 'up' | 'down' | 'started' | 'finished'): void;
}

/**
 * Restart timer and counters (RFC 1661 §4.6), in milliseconds and counts.
 * @example
 * ```ts
 * const t: CpTimers = { restartInterval: 1000, maxConfigure: 5 };
 * ```
 */
export interface CpTimers {
  /** Restart timer. Default 3000 ms (§4.6). */
  readonly restartInterval?: number;
  /** Configure-Requests without an answer before giving up. Default 10. */
  readonly maxConfigure?: number;
  /** Terminate-Requests without an answer. Default 2. */
  readonly maxTerminate?: number;
  /** Configure-Naks sent before Naks become Rejects (convergence). Default 5. */
  readonly maxFailure?: number;
}

/** Codes other than 1–7 a protocol knows (LCP: 8–11); returns the automaton event, or undefined for RUC. */
export type ExtraCodes = (packet: ControlPacket, now: number) => AutomatonEvent | undefined;

/**
 * A control protocol instance (RFC 1661 §5 packets, §4 automaton). Create one per protocol per link.
 * @example
 * ```ts
 * const ipcp = new ControlProtocol(PppProtocol.IPCP, negotiator, host);
 * ipcp.open(now); ipcp.up(now);              // sends a Configure-Request
 * ipcp.receive(parseControlPacket(info), now);
 * if (ipcp.deadline !== undefined && now >= ipcp.deadline) ipcp.tick(now);
 * ```
 */
export class ControlProtocol {
  private readonly automaton = new Automaton();
  private readonly restartInterval: number;
  private readonly maxConfigure: number;
  private readonly maxTerminate: number;
  private readonly maxFailure: number;
  private counter = 0;
  private failures = 0;
  private nextId = 1;
  /** Identifier and bytes of our outstanding Configure-Request. */
  private request: { id: number; options: Uint8Array } | undefined;
  /** The reply an sca/scn/sta/scj/ser action sends, prepared by the event's classification. */
  private reply: { code: number; identifier: number; data: Uint8Array } | undefined;
  /** When the Restart timer fires, or undefined when it is stopped. */
  deadline: number | undefined;
  /** Why the layer finished, for reports ('timeout', 'peer-terminated', 'rejected', …). */
  reason = '';
  /** Hook for codes beyond 1–7 (LCP's Protocol-Reject, Echo, Discard). */
  extraCodes: ExtraCodes | undefined;

  constructor(
    readonly protocol: number,
    readonly negotiator: OptionNegotiator,
    private readonly host: CpHost,
    timers: CpTimers = {},
  ) {
    this.restartInterval = timers.restartInterval ?? 3000;
    this.maxConfigure = timers.maxConfigure ?? 10;
    this.maxTerminate = timers.maxTerminate ?? 2;
    this.maxFailure = timers.maxFailure ?? 5;
  }

  /** The automaton state (RFC 1661 §4.2). */
  get state(): AutomatonState {
    return this.automaton.state;
  }

  /** The lower layer is up (§4.3 Up). */
  up(now: number): void {
    this.event('Up', now);
  }
  /** The lower layer went down (§4.3 Down). */
  down(now: number): void {
    this.event('Down', now);
  }
  /** Administrative Open (§4.3). */
  open(now: number): void {
    this.event('Open', now);
  }
  /** Administrative Close (§4.3): Terminate-Request when open. */
  close(now: number, reason = 'closed'): void {
    if (this.reason === '') this.reason = reason;
    this.event('Close', now);
  }
  /** Time passed: fires the Restart timer when due (§4.6). */
  tick(now: number): void {
    if (this.deadline === undefined || now < this.deadline) return;
    this.deadline = undefined;
    if (this.counter <= 0 && this.reason === '') this.reason = 'timeout';
    this.event(this.counter > 0 ? 'TO+' : 'TO-', now);
  }
  /** Send the peer a packet of an extra code (LCP Echo-Request, Protocol-Reject). Returns the identifier used. */
  sendExtra(code: number, data: Uint8Array, identifier = this.takeId()): number {
    this.host.send(this.protocol, encodeControlPacket({ code, identifier, data }));
    return identifier;
  }
  /** A peer's catastrophic (RXJ-) or permitted (RXJ+) reject of something of ours (§5.6, §5.7). */
  rejected(catastrophic: boolean, now: number): void {
    if (catastrophic && this.reason === '') this.reason = 'rejected by peer';
    this.event(catastrophic ? 'RXJ-' : 'RXJ+', now);
  }

  /** Classify a received packet of this protocol into an automaton event (§4.3) and run it. */
  receive(p: ControlPacket, now: number): void {
    this.reply = undefined;
    switch (p.code) {
      case CpCode.ConfigureRequest:
        return this.event(this.judge(p), now);
      case CpCode.ConfigureAck:
      case CpCode.ConfigureNak:
      case CpCode.ConfigureReject: {
        // §5.2–5.4: an answer to anything but our latest request is silently discarded.
        if (!this.request || p.identifier !== this.request.id) return;
        if (p.code === CpCode.ConfigureAck) {
          if (!sameBytes(p.data, this.request.options)) return;
          // Answered: a duplicate of this answer (a lossy, duplicating link) must not count again.
          this.request = undefined;
          this.negotiator.acked(parseOptions(p.data));
          return this.event('RCA', now);
        }
        const options = parseOptions(p.data);
        this.request = undefined;
        if (p.code === CpCode.ConfigureNak) this.negotiator.naked(options);
        else this.negotiator.rejected(options);
        return this.event('RCN', now);
      }
      case CpCode.TerminateRequest:
        this.reply = { code: CpCode.TerminateAck, identifier: p.identifier, data: new Uint8Array() };
        if (this.reason === '') this.reason = 'peer-terminated';
        return this.event('RTR', now);
      case CpCode.TerminateAck:
        return this.event('RTA', now);
      case CpCode.CodeReject: {
        // §5.6: a reject of a code the protocol cannot work without is catastrophic.
        const rejected = p.data[0] ?? 0;
        return this.rejected(rejected >= CpCode.ConfigureRequest && rejected <= CpCode.CodeReject, now);
      }
      default: {
        const e = this.extraCodes?.(p, now);
        if (e) return this.event(e, now);
        // §5.6: Code-Reject carries the rejected packet.
        this.reply = { code: CpCode.CodeReject, identifier: this.takeId(), data: encodeControlPacket(p) };
        return this.event('RUC', now);
      }
    }
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) & 0xff;
    return id;
  }

  /** RCR+ or RCR-, with the Ack, Nak or Reject prepared (§5.1–5.4). */
  private judge(p: ControlPacket): AutomatonEvent {
    const options = parseOptions(p.data);
    const naks: PppOption[] = [];
    const rejects: PppOption[] = [];
    for (const opt of options) {
      const v = this.negotiator.judge(opt);
      if (v.verdict === 'reject') rejects.push(opt);
      else if (v.verdict === 'nak') naks.push({ type: opt.type, data: v.data });
    }
    if (rejects.length > 0) {
      this.reply = { code: CpCode.ConfigureReject, identifier: p.identifier, data: encodeOptions(rejects) };
      return 'RCR-';
    }
    if (naks.length > 0) {
      // §4.6 Max-Failure: after that many Naks, reject the options instead so negotiation ends.
      const asReject = this.failures >= this.maxFailure;
      const sent = asReject ? options.filter((o) => naks.some((n) => n.type === o.type)) : naks;
      this.reply = { code: asReject ? CpCode.ConfigureReject : CpCode.ConfigureNak, identifier: p.identifier, data: encodeOptions(sent) };
      return 'RCR-';
    }
    this.reply = { code: CpCode.ConfigureAck, identifier: p.identifier, data: p.data };
    this.pendingAccept = options;
    return 'RCR+';
  }
  private pendingAccept: PppOption[] | undefined;

  private event(e: AutomatonEvent, now: number): void {
    const actions = this.automaton.handle(e);
    for (const a of actions) this.act(a, actions, now);
    // The Restart timer runs only while a Configure- or Terminate-Request awaits its answer.
    const s = this.automaton.state;
    if (s !== 'closing' && s !== 'stopping' && s !== 'req-sent' && s !== 'ack-rcvd' && s !== 'ack-sent') this.deadline = undefined;
    this.pendingAccept = undefined;
  }

  private act(a: AutomatonAction, all: readonly AutomatonAction[], now: number): void {
    switch (a) {
      case 'tlu':
        this.reason = '';
        return this.host.layer(this.protocol, 'up');
      case 'tld':
        this.negotiator.reset();
        return this.host.layer(this.protocol, 'down');
      case 'tls':
        this.reason = '';
        return this.host.layer(this.protocol, 'started');
      case 'tlf':
        return this.host.layer(this.protocol, 'finished');
      case 'irc':
        this.counter = all.includes('str') ? this.maxTerminate : this.maxConfigure;
        this.failures = 0;
        return;
      case 'zrc':
        this.counter = 0;
        this.deadline = now + this.restartInterval;
        return;
      case 'scr': {
        const options = encodeOptions(this.negotiator.request());
        const id = this.takeId();
        this.request = { id, options };
        this.counter--;
        this.deadline = now + this.restartInterval;
        this.host.send(this.protocol, encodeControlPacket({ code: CpCode.ConfigureRequest, identifier: id, data: options }));
        return;
      }
      case 'sca':
        if (this.pendingAccept) this.negotiator.accepted(this.pendingAccept);
        return this.sendReply();
      case 'scn':
        this.failures++;
        return this.sendReply();
      case 'str':
        this.counter--;
        this.deadline = now + this.restartInterval;
        this.request = undefined;
        this.host.send(this.protocol, encodeControlPacket({ code: CpCode.TerminateRequest, identifier: this.takeId(), data: new Uint8Array() }));
        return;
      case 'sta':
        // A Terminate-Ack answers the request's identifier; outside one (an RCR in Closed) a fresh one.
        if (!this.reply || this.reply.code !== CpCode.TerminateAck) this.reply = { code: CpCode.TerminateAck, identifier: this.takeId(), data: new Uint8Array() };
        return this.sendReply();
      case 'scj':
      case 'ser':
        return this.sendReply();
    }
  }

  private sendReply(): void {
    if (!this.reply) return;
    this.host.send(this.protocol, encodeControlPacket(this.reply));
    this.reply = undefined;
  }

  /** @internal For LCP's Echo-Reply: set the reply the `ser` action sends. */
  setReply(code: number, identifier: number, data: Uint8Array): void {
    this.reply = { code, identifier, data };
  }
}
