/**
 * Why a command failed, as one exit code and one line that says what to do. The distinctions a
 * user needs come from what was on the wire (the recorded messages), not from error texts:
 * who sent the StopCCN/CDN, whether the server's SCCRP carried a Challenge (it wants a secret)
 * and a Challenge Response (it has one) — RFC 2661 §5.1.1.
 */
import { L2tpError, MessageType, parseControl, type ControlMessage, type ResultCodeValue } from '../index.js';
import { ExitCode } from './exit-codes.js';
import type { Recorded } from './recording.js';

/** What went wrong, for the user. */
export interface Diagnosis {
  readonly code: number;
  /** A few words for the headline: `authentication failed`, `refused by the peer`, … */
  readonly headline: string;
  /** Who ended the exchange, when it was a StopCCN or CDN. */
  readonly endedBy?: 'us' | 'peer';
  /** One line: what happened and what to do about it. */
  readonly hint: string;
  /** The peer's StopCCN/CDN, described (`StopCCN result 4 (requester is not authorized) "…"`). */
  readonly peerSaid?: string;
}

/** Context of a client command. */
export interface ClientContext {
  readonly where: string;
  readonly host: string;
  readonly secretGiven: boolean;
  readonly timeout: number;
  readonly tcp: boolean;
}

/** RFC 2661 §4.4.2 StopCCN Result Codes, short. */
const STOPCCN_RESULTS: Record<number, string> = {
  1: 'general request to clear',
  2: 'general error',
  3: 'control channel already exists',
  4: 'requester is not authorized',
  5: 'protocol version not supported',
  6: 'requester is being shut down',
  7: 'finite state machine error',
};

/** RFC 2661 §4.4.2 CDN Result Codes, short. */
const CDN_RESULTS: Record<number, string> = {
  1: 'loss of carrier',
  2: 'general error',
  3: 'administrative reasons',
  4: 'no facilities (temporary)',
  5: 'no facilities (permanent)',
  6: 'invalid destination',
  7: 'no carrier',
  8: 'busy',
  9: 'no dial tone',
  10: 'not established in time',
  11: 'no framing detected',
};

/** `StopCCN result 4 (requester is not authorized) "text"`. */
export function describeResult(kind: 'StopCCN' | 'CDN', r: ResultCodeValue): string {
  const name = (kind === 'StopCCN' ? STOPCCN_RESULTS : CDN_RESULTS)[r.result];
  return `${kind} result ${r.result}${name ? ` (${name})` : ''}${r.error ? ` error ${r.error}` : ''}${r.message ? ` "${r.message}"` : ''}`;
}

/** The system error code (`ECONNREFUSED`, …) somewhere in `e`'s cause chain or message. */
export function errnoOf(e: unknown): string | undefined {
  for (let c: unknown = e, i = 0; c !== undefined && c !== null && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code)) return code;
  }
  return /\b(E[A-Z]{4,})\b/.exec(e instanceof Error ? e.message : '')?.[1];
}

function messages(records: readonly Recorded[], direction: Recorded['direction']): ControlMessage[] {
  const out: ControlMessage[] = [];
  for (const r of records) {
    if (r.direction !== direction || r.bytes.length === 0 || (r.bytes[0]! & 0x80) === 0) continue;
    try {
      const m = parseControl(r.bytes, { requireAvps: false });
      if (!m.isZlb) out.push(m);
    } catch {
      // Hidden AVPs without the secret, or garbage: not what the diagnosis looks at.
    }
  }
  return out;
}

/** A failure to reach the server at all (the call rejected): timeout, abort or transport. */
export function diagnoseError(e: L2tpError, ctx: ClientContext, records: readonly Recorded[]): Diagnosis {
  if (e.code === 'TIMEOUT' || e.code === 'ABORTED') {
    const heard = records.some((r) => r.direction === 'received');
    return {
      code: ExitCode.Timeout,
      headline: 'no answer',
      hint: heard
        ? `the server stopped answering within ${ctx.timeout} ms: raise --timeout, or see the exchange with --trace`
        : `nothing answered within ${ctx.timeout} ms: check the address and port (HOST:PORT or --port), that an L2TP server runs there and ${ctx.tcp ? 'TCP' : 'UDP'} is not filtered, or raise --timeout`,
    };
  }
  if (e.code === 'TRANSPORT') {
    const errno = errnoOf(e);
    const hint =
      errno === 'ECONNREFUSED'
        ? `nothing listens on ${ctx.where} (port unreachable): check the port (HOST:PORT or --port)${ctx.tcp ? ' and whether the server takes TCP (drop --tcp for UDP)' : ''}`
        : errno === 'ENOTFOUND' || errno === 'EAI_AGAIN' || errno === 'EAI_NONAME'
          ? `cannot resolve ${JSON.stringify(ctx.host)} (${errno}): check the name, or give an IP address`
          : errno === 'EHOSTUNREACH' || errno === 'ENETUNREACH'
            ? `no route to ${ctx.host} (${errno}): check the address and your network`
            : errno === 'ECONNRESET' || errno === 'EPIPE'
              ? `the connection was reset (${errno}): the server closed it; check that it speaks L2TP${ctx.tcp ? ' over TCP' : ''}`
              : `the transport failed: ${e.message}`;
    return { code: ExitCode.Transport, headline: 'transport error', hint };
  }
  return { code: ExitCode.Internal, headline: 'failed', hint: `${e.code}: ${e.message}` };
}

/** A refusal or an unacceptable answer: the exchange happened and ended early. */
export function diagnoseRefusal(error: L2tpError | undefined, result: ResultCodeValue | undefined, ctx: ClientContext, records: readonly Recorded[]): Diagnosis {
  const received = messages(records, 'received');
  const sccrp = received.find((m) => m.type === MessageType.SCCRP);
  const peerStop = received.find((m) => m.type === MessageType.StopCCN || m.type === MessageType.CDN);
  const byPeer = error?.code === 'PEER_STOPPED' || (error === undefined && peerStop !== undefined);
  const kind = peerStop?.type === MessageType.CDN ? 'CDN' : 'StopCCN';
  const said = result ? describeResult(kind, result) : kind;
  if (!byPeer) {
    if (error?.code === 'AUTH_FAILED') {
      const hint =
        sccrp?.challenge !== undefined && !ctx.secretGiven
          ? 'the server requires a tunnel secret (its SCCRP carried a Challenge) and none is configured here: pass --secret S'
          : ctx.secretGiven && sccrp !== undefined && sccrp.challengeResponse === undefined
            ? 'the server has no tunnel secret configured (its SCCRP did not answer our challenge): configure the same secret there, or drop --secret'
            : ctx.secretGiven && sccrp?.challengeResponse !== undefined
              ? "wrong secret: the server's Challenge Response does not match --secret: pass the secret configured on the server"
              : `${error.message}: check --secret`;
      return { code: ExitCode.Auth, headline: 'authentication failed (we ended it)', endedBy: 'us', hint };
    }
    return { code: ExitCode.Refused, headline: 'not acceptable (we ended it)', endedBy: 'us', hint: `the server answered, but not with acceptable L2TPv2: ${error?.message ?? 'unknown'}; see the exchange with --trace` };
  }
  if (result?.result === 4 && kind === 'StopCCN') {
    const hint =
      sccrp !== undefined && ctx.secretGiven
        ? `wrong secret: the server rejected our Challenge Response (${said}): pass the secret configured on the server`
        : ctx.secretGiven
          ? `the server refused our challenge (${said}): it probably has no tunnel secret configured; configure the same secret there, or drop --secret`
          : `the server refused us (${said}): if it requires a tunnel secret, pass --secret S; otherwise it does not accept this host (--hostname)`;
    return { code: ExitCode.Auth, headline: 'authentication failed (the server refused)', endedBy: 'peer', hint, peerSaid: said };
  }
  return { code: ExitCode.Refused, headline: 'refused by the peer', endedBy: 'peer', hint: `the server answered and refused with ${said}: its result code says why (RFC 2661 §4.4.2)`, peerSaid: said };
}

/** A failure the CLI explains in one line and maps to an exit code (main prints it). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A listener that could not bind (`lns`, `relay`), as a {@link CliFailure} (exit 4) saying which
 * flag to change. `where` is what we tried (`udp 127.0.0.1:1701`); `portFlag`/`hostFlag` the flags.
 */
export function bindFailure(e: unknown, where: string, portFlag: string, hostFlag: string): CliFailure | undefined {
  if (!(e instanceof L2tpError) || e.code !== 'TRANSPORT') return undefined;
  // The transport names the listener that failed ("TCP listener on …"): say which one.
  const which = /\b(UDP|TCP) listener on (\S+?):?\s/.exec(e.message);
  const what = which ? `${which[1]!.toLowerCase()} ${which[2]!.replace(/:$/, '')}` : where;
  const errno = errnoOf(e);
  switch (errno) {
    case 'EADDRINUSE':
      return new CliFailure(ExitCode.Transport, `port in use: ${what} is taken by another program; pick another with ${portFlag} (0 picks a free one)`);
    case 'EACCES':
      return new CliFailure(ExitCode.Transport, `permission denied: cannot listen on ${what}; ports below 1024 need root or CAP_NET_BIND_SERVICE: pick a port above 1023 with ${portFlag}`);
    case 'EADDRNOTAVAIL':
      return new CliFailure(ExitCode.Transport, `address not available: this machine has no address of ${what}; pick one it has with ${hostFlag} (127.0.0.1, 0.0.0.0, ::)`);
    default:
      return new CliFailure(ExitCode.Transport, `cannot listen on ${what}: ${e.message}`);
  }
}
