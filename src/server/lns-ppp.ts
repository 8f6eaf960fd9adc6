/**
 * PPP termination on the embedded LNS: every session that comes up is served by a PPP server
 * (authentication through your callback, an address from a pool, DNS), so `createLns` becomes a
 * complete L2TP/PPP server for tests and honeypots. Built on the LNS's public events and the
 * core's `servePpp`; nothing in the LNS itself changes.
 */
import { servePpp, type PppDriverOptions, type PppOutcome, type PppPort } from '../client/ppp.js';
import type { AddressPool } from '../ppp/address-pool.js';
import type { PppServerOptions } from '../ppp/link.js';
import type { Lns, LnsSession } from './lns-types.js';

/**
 * Options of {@link servePppOnLns}: the PPP server's, plus where addresses come from.
 * @example
 * ```ts
 * const o: LnsPppOptions = { authenticate: (m, u, p) => p.verify(users[u] ?? ''), addressPool: new AddressPool('10.0.0.2', 100), dns: ['10.0.0.53'] };
 * ```
 */
export interface LnsPppOptions extends Omit<PppServerOptions, 'random' | 'peerAddress'>, PppDriverOptions {
  /** Addresses for clients, one per session, released when it ends. */
  readonly addressPool?: AddressPool;
  /** Or a fixed address / a function of the user (when there is no pool). */
  readonly peerAddress?: PppServerOptions['peerAddress'];
  /** Called once per session with how the login went. */
  readonly onLogin?: (session: LnsSession, outcome: PppOutcome) => void;
}

/** A session of the LNS as a PPP port: its frames in, `send` out, closed when its CDN goes either way. */
function sessionPort(lns: Lns, session: LnsSession): PppPort {
  const closed = new Promise<void>((resolve) => {
    if (session.closed) return resolve();
    const off = lns.on('session-down', (s) => {
      if (s === session) {
        off();
        resolve();
      }
    });
  });
  return {
    send: (frame) => session.send(frame),
    onFrame(listener) {
      let stopped = false;
      void (async () => {
        // The LNS queues a session's frames from the start, so the client's first LCP packet waits here.
        for await (const f of session.frames()) {
          if (stopped) break;
          listener(f);
        }
      })();
      return () => {
        stopped = true;
      };
    },
    closed,
  };
}

/**
 * Serve PPP on every session of `lns` from now on. Returns a function that stops serving new
 * sessions. A session whose login fails, or whose link goes down, is hung up (CDN).
 * @throws `TypeError` when neither `addressPool` nor `peerAddress` is given.
 * @example
 * ```ts
 * const lns = await createLns({ hostName: 'lns', port: 1701 });
 * servePppOnLns(lns, {
 *   authProtocols: ['mschapv2', 'chap-md5', 'pap'],
 *   authenticate: (method, user, proof) => proof.verify(users[user] ?? ''),
 *   addressPool: new AddressPool('10.0.0.2', 100),
 *   dns: ['10.0.0.53'],
 * });
 * ```
 */
export function servePppOnLns(lns: Lns, options: LnsPppOptions): () => void {
  const { addressPool, peerAddress, onLogin, ...rest } = options;
  if (!addressPool && peerAddress === undefined) throw new TypeError('servePppOnLns needs addressPool or peerAddress');
  return lns.on('session-up', (session) => {
    let given: string | undefined;
    const assign = addressPool ? () => (given ??= addressPool.allocate()) : peerAddress!;
    void servePpp(sessionPort(lns, session), { ...rest, peerAddress: assign }).then(
      async (outcome) => {
        onLogin?.(session, outcome);
        await (outcome.ok ? outcome.connection.closed : outcome.closed);
        addressPool?.release(given);
        session.close();
      },
      () => {
        addressPool?.release(given);
        session.close();
      },
    );
  });
}
