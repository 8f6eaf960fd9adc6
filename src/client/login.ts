/**
 * One call for the whole VPN login check: open a tunnel, place a call, log in over PPP (LCP,
 * authentication, IPCP/IPV6CP), optionally measure an LCP echo, tear everything down, and report
 * each stage with its timing. Failures at any stage are results, not exceptions (only an abort,
 * and misuse, throw).
 */
import { L2tpError } from '../wire/errors.js';
import type { AuthResult } from '../ppp/auth-types.js';
import type { PppClientOptions, PppLinkInfo } from '../ppp/link.js';
import { openTunnel } from './open.js';
import type { OpenTunnelOptions } from './options.js';
import { globalClock } from './platform.js';
import { connectPpp } from './ppp.js';
import type { Transport } from './transport.js';

/**
 * Options of {@link login}: the tunnel's ({@link OpenTunnelOptions}) and the PPP client's.
 * @example
 * ```ts
 * const o: LoginOptions = { hostName: 'probe', username: 'alice', password: 's3cret', secret: 'tunnel-secret' };
 * ```
 */
export interface LoginOptions extends OpenTunnelOptions, Omit<PppClientOptions, 'random'> {
  /** Time allowed for the PPP stage, ms. Default 30 000. */
  pppTimeout?: number;
  /** Measure one LCP Echo round trip once up. Default true. */
  echo?: boolean;
}

/**
 * What {@link login} found. `stage` is where it stopped: `'done'` when everything worked.
 * @example
 * ```ts
 * const r: LoginReport = await login(transport, options);
 * console.log(r.ok ? `${r.info?.ipAddress} via ${r.auth?.method}` : `${r.stage}: ${r.reason}`);
 * ```
 */
export interface LoginReport {
  readonly ok: boolean;
  readonly stage: 'tunnel' | 'session' | 'ppp' | 'done';
  /** Why it stopped (absent when ok). */
  readonly reason?: string;
  /** The authentication result, when PPP got that far. */
  readonly auth: AuthResult | null;
  /** What PPP negotiated (address, DNS, IPv6 interface identifier, MRU, magic), when up. */
  readonly info: PppLinkInfo | null;
  /** Milliseconds each stage took, and the LCP echo round trip. */
  readonly timings: {
    readonly tunnel?: number;
    readonly session?: number;
    readonly lcp?: number;
    readonly auth?: number;
    readonly network?: number;
    readonly echo?: number;
    readonly total: number;
  };
}

function reasonOf(e: unknown): string {
  if (e instanceof L2tpError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Check a VPN login end to end over `transport`: tunnel, session, PPP authentication and
 * addressing, then tear down. Resolves with a {@link LoginReport}; rejects only when aborted or
 * misused.
 * @example
 * ```ts
 * import { login } from 'l2tp-wire';
 * import { udpTransport } from 'l2tp-wire/node';
 * const report = await login(await udpTransport({ host: 'vpn.example', port: 1701 }), { username: 'alice', password });
 * console.log(report.ok, report.stage, report.reason, report.info?.ipAddress, report.info?.dns, report.timings);
 * ```
 */
export async function login(transport: Transport, options: LoginOptions): Promise<LoginReport> {
  const clock = options.clock ?? globalClock;
  const t0 = clock();
  const timings: { -readonly [K in keyof LoginReport['timings']]: LoginReport['timings'][K] } = { total: 0 };
  const report = (r: Omit<LoginReport, 'timings'>): LoginReport => ({ ...r, timings: { ...timings, total: clock() - t0 } });
  const rethrow = (e: unknown) => {
    if (e instanceof TypeError || e instanceof RangeError || (e instanceof L2tpError && e.code === 'ABORTED')) throw e;
  };
  const { username, password, authProtocols, requestDns, ipv6, mru, pfc, acfc, negotiation, echoInterval, echoFailures, pppTimeout, echo, ...tunnelOptions } = options;
  let tunnel;
  try {
    tunnel = await openTunnel(transport, tunnelOptions);
  } catch (e) {
    rethrow(e);
    return report({ ok: false, stage: 'tunnel', reason: reasonOf(e), auth: null, info: null });
  }
  timings.tunnel = clock() - t0;
  try {
    let session;
    const t1 = clock();
    try {
      session = await tunnel.openSession({ kind: 'incoming' }, { signal: options.signal });
    } catch (e) {
      rethrow(e);
      return report({ ok: false, stage: 'session', reason: reasonOf(e), auth: null, info: null });
    }
    timings.session = clock() - t1;
    const tPpp = clock();
    const r = await connectPpp(session, {
      username,
      password,
      authProtocols,
      requestDns,
      ipv6,
      mru,
      pfc,
      acfc,
      negotiation,
      echoInterval,
      echoFailures,
      timeout: pppTimeout,
      signal: options.signal,
      clock,
      timers: options.timers,
      random: options.random,
    });
    // Phase entry times → how long each phase lasted.
    const at = (p: string) => r.phases.find((x) => x.phase === p)?.at;
    const est = at('establish');
    const auth = at('authenticate');
    const net = at('network');
    if (est !== undefined && auth !== undefined) timings.lcp = auth - est;
    if (auth !== undefined && net !== undefined) timings.auth = net - auth;
    if (!r.ok) {
      await session.close().catch(() => {});
      return report({ ok: false, stage: 'ppp', reason: r.reason, auth: r.auth, info: null });
    }
    // Phases are timed from the start of connectPpp; "network" lasts until the link is up (now).
    if (net !== undefined) timings.network = clock() - tPpp - net;
    if (echo !== false) {
      try {
        timings.echo = await r.connection.echo();
      } catch {
        // A missing echo reply is not a failed login; the timing is simply absent.
      }
    }
    await r.connection.close('login check done');
    await session.close().catch(() => {});
    return report({ ok: true, stage: 'done', auth: r.auth, info: r.info });
  } finally {
    await tunnel.close().catch(() => {});
  }
}
