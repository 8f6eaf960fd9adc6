/**
 * A driven tunnel's hold on its transport: sending (a failed control send is reported, not
 * thrown: the Sequencer retransmits), the transport's callbacks, and letting go of it at the
 * end (closing it, or detaching when the caller keeps it).
 * @internal
 * @module
 */
import type { L2tpError } from '../wire/errors.js';
import { transportFailure } from './driver-errors.js';
import type { Transport } from './transport.js';

const noop = (): void => {};

/** What the link reports to its tunnel. @internal */
export interface LinkEvents {
  message(m: Uint8Array): void;
  /** A control message could not be sent (`TRANSPORT`). */
  sendFailed(error: L2tpError): void;
  /** The transport reported an error (`TRANSPORT`). */
  error(error: L2tpError): void;
  /** The transport closed under us (`TRANSPORT`). */
  closed(error: L2tpError): void;
}

/** @internal */
export class TunnelLink {
  private released = false;

  constructor(
    readonly transport: Transport,
    private readonly ev: LinkEvents,
  ) {
    transport.onMessage((m) => this.released || ev.message(m));
    transport.onError((e) => this.released || ev.error(transportFailure('transport', e)));
    transport.onClose((e) => this.released || ev.closed(transportFailure('transport closed', e ?? new Error('the transport closed'))));
  }

  /**
   * Put one message on the wire. A data frame's promise is the caller's (it may reject); a
   * control message's never rejects: a failure goes to `sendFailed`.
   */
  send(bytes: Uint8Array, control: boolean): Promise<void> {
    let sent: Promise<void>;
    try {
      sent = this.transport.send(bytes);
    } catch (e) {
      sent = Promise.reject(e);
    }
    if (!control) return sent;
    sent.catch((e: unknown) => this.released || this.ev.sendFailed(transportFailure('send', e)));
    return sent.catch(noop);
  }

  /** Let go: close the transport, or (`keep`) only stop listening to it. */
  async release(keep: boolean): Promise<void> {
    this.released = true;
    const t = this.transport;
    if (keep) {
      t.onMessage(noop);
      t.onError(noop);
      t.onClose(noop);
      return;
    }
    try {
      await t.close();
    } catch {
      // close() is documented never to fail; a broken adapter must not keep us from finishing.
    }
  }
}
