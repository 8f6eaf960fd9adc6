/**
 * LCP's options (RFC 1661 §6): Maximum-Receive-Unit, Authentication-Protocol, Magic-Number (with
 * loop detection, §6.4), Protocol-Field-Compression and Address-and-Control-Field-Compression.
 * What we learn is kept here for the link to read; the automaton is the shared engine's.
 */
import { authMethodOf, authOptionData, type AuthMethod } from './auth-method.js';
import type { OptionNegotiator, OptionVerdict } from './control-protocol.js';
import { LcpOption } from './numbers.js';
import { be16, be32, u16, u32, type PppOption } from './packet.js';

/** Random bytes, injected (the PPP layer has no randomness of its own). */
export type RandomSource = (length: number) => Uint8Array;

/** What LCP asks for and accepts. */
export interface LcpConfig {
  /** Our MRU; requested only when not the default 1500 (§6.1). */
  readonly mru: number;
  /** Methods we make the peer use, in order of preference (authenticator); empty: none. */
  readonly require: readonly AuthMethod[];
  /** Methods we agree to authenticate ourselves with (peer); empty: refuse to authenticate. */
  readonly accept: readonly AuthMethod[];
  /** Ask the peer to compress protocol fields / omit address and control towards us. */
  readonly pfc: boolean;
  readonly acfc: boolean;
  readonly random: RandomSource;
}

/** @internal LCP option negotiation; state read by the link. */
export class LcpNegotiator implements OptionNegotiator {
  /** Our Magic-Number (never 0, §6.4). */
  magic: number;
  /** The peer's Magic-Number, once acked. */
  peerMagic = 0;
  /** The MRU we asked for (the peer acked or nak'd it). */
  mru: number;
  /** The peer's MRU: the largest frame we may send. */
  peerMru = 1500;
  /** Index into `require` of the method we currently ask for; `require.length` when none is left. */
  private wanted = 0;
  private askAuth: boolean;
  /** The method the peer acked us requiring. */
  authWeRequire: AuthMethod | undefined;
  /** The method the peer requires of us (we acked it). */
  authPeerRequires: AuthMethod | undefined;
  /** The peer refused every method we require (rejected or nak'd to one we do not allow). */
  authRefused = false;
  private askPfc: boolean;
  private askAcfc: boolean;
  /** We may send compressed protocol fields / omit address and control (the peer asked). */
  sendPfc = false;
  sendAcfc = false;
  /** Configure-Requests seen carrying our own magic number: a looped-back link (§6.4). */
  loops = 0;

  constructor(private readonly config: LcpConfig) {
    this.magic = this.newMagic();
    this.mru = config.mru;
    this.askAuth = config.require.length > 0;
    this.askPfc = config.pfc;
    this.askAcfc = config.acfc;
  }

  private newMagic(): number {
    for (;;) {
      const m = u32(this.config.random(4));
      if (m !== 0 && m !== this.magic) return m;
    }
  }

  request(): PppOption[] {
    const out: PppOption[] = [];
    if (this.mru !== 1500) out.push({ type: LcpOption.MaximumReceiveUnit, data: be16(this.mru) });
    if (this.askAuth && this.wanted < this.config.require.length) {
      out.push({ type: LcpOption.AuthenticationProtocol, data: authOptionData(this.config.require[this.wanted]!) });
    }
    out.push({ type: LcpOption.MagicNumber, data: be32(this.magic) });
    if (this.askPfc) out.push({ type: LcpOption.ProtocolFieldCompression, data: new Uint8Array() });
    if (this.askAcfc) out.push({ type: LcpOption.AddressControlFieldCompression, data: new Uint8Array() });
    return out;
  }

  judge(o: PppOption): OptionVerdict {
    switch (o.type) {
      case LcpOption.MaximumReceiveUnit:
        // Any MRU we can honour; below 64 is useless for LCP itself, ask for the default.
        if (o.data.length !== 2) return { verdict: 'reject' };
        return u16(o.data) >= 64 ? { verdict: 'ack' } : { verdict: 'nak', data: be16(1500) };
      case LcpOption.AuthenticationProtocol: {
        if (this.config.accept.length === 0) return { verdict: 'reject' };
        const m = authMethodOf(o.data);
        if (m && this.config.accept.includes(m)) return { verdict: 'ack' };
        // §6.2: nak with the protocol we would rather use.
        return { verdict: 'nak', data: authOptionData(this.config.accept[0]!) };
      }
      case LcpOption.MagicNumber: {
        if (o.data.length !== 4) return { verdict: 'reject' };
        const m = u32(o.data);
        // §6.4: our own number back (probably a loop) or zero: nak with a fresh random one.
        if (m === 0 || m === this.magic) return { verdict: 'nak', data: be32(this.newMagic()) };
        return { verdict: 'ack' };
      }
      case LcpOption.ProtocolFieldCompression:
      case LcpOption.AddressControlFieldCompression:
        return o.data.length === 0 ? { verdict: 'ack' } : { verdict: 'reject' };
      default:
        return { verdict: 'reject' };
    }
  }

  accepted(options: readonly PppOption[]): void {
    this.authPeerRequires = undefined;
    for (const o of options) {
      if (o.type === LcpOption.MaximumReceiveUnit) this.peerMru = u16(o.data);
      else if (o.type === LcpOption.AuthenticationProtocol) this.authPeerRequires = authMethodOf(o.data);
      else if (o.type === LcpOption.MagicNumber) this.peerMagic = u32(o.data);
      else if (o.type === LcpOption.ProtocolFieldCompression) this.sendPfc = true;
      else if (o.type === LcpOption.AddressControlFieldCompression) this.sendAcfc = true;
    }
  }

  acked(options: readonly PppOption[]): void {
    this.authWeRequire = undefined;
    for (const o of options) if (o.type === LcpOption.AuthenticationProtocol) this.authWeRequire = authMethodOf(o.data);
  }

  naked(options: readonly PppOption[]): void {
    for (const o of options) {
      if (o.type === LcpOption.MaximumReceiveUnit && o.data.length === 2 && u16(o.data) >= 64) this.mru = u16(o.data);
      else if (o.type === LcpOption.MagicNumber) {
        // §6.4: a nak of our magic may mean a loop; choose another either way.
        this.loops++;
        this.magic = this.newMagic();
      } else if (o.type === LcpOption.AuthenticationProtocol) {
        const suggested = authMethodOf(o.data);
        const i = suggested ? this.config.require.indexOf(suggested) : -1;
        if (i >= 0) this.wanted = i;
        else if (++this.wanted >= this.config.require.length) this.authRefused = true;
      }
    }
  }

  rejected(options: readonly PppOption[]): void {
    for (const o of options) {
      if (o.type === LcpOption.AuthenticationProtocol) {
        this.askAuth = false;
        this.authRefused = true;
      } else if (o.type === LcpOption.MaximumReceiveUnit) this.mru = 1500;
      else if (o.type === LcpOption.ProtocolFieldCompression) this.askPfc = false;
      else if (o.type === LcpOption.AddressControlFieldCompression) this.askAcfc = false;
      // A rejected Magic-Number: the peer has none; we still send ours (harmless).
    }
  }

  reset(): void {
    this.sendPfc = false;
    this.sendAcfc = false;
    this.authPeerRequires = undefined;
    this.authWeRequire = undefined;
  }
}
