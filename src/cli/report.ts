/** The outcome of `probe` / `session`: human lines on stdout, or one JSON object with `--json`. */
import type { L2tpError, ProbeResult, SessionEstablishment } from '../index.js';
import { ExitCode } from './exit-codes.js';
import type { Diagnosis } from './failure.js';
import type { Io } from './io.js';
import { dottedRouterId } from './v3-options.js';

/** What a client command ended with. */
export interface Outcome {
  code: number;
  result?: ProbeResult | SessionEstablishment;
  error?: L2tpError;
  /** Set unless ok: the exit code's reason and what to do. */
  diagnosis?: Diagnosis;
}

export function report(command: string, where: string, host: string, port: number, started: number, o: Outcome, json: boolean, io: Io): void {
  const r = o.result as Record<string, unknown> | undefined;
  const error = o.error ?? (r?.error as L2tpError | undefined);
  if (json) {
    const body: Record<string, unknown> = { command, host, port, exitCode: o.code, success: o.code === ExitCode.Ok, elapsedMs: Date.now() - started };
    if (r) {
      for (const [k, v] of Object.entries(r)) {
        if (k === 'tunnel' || k === 'session' || k === 'error' || v === undefined) continue;
        body[k] = typeof v !== 'number' ? v : Number.isFinite(v) ? (Number.isInteger(v) ? v : Math.round(v * 1000) / 1000) : null;
      }
    }
    if (error) body.error = { code: error.code, message: error.message };
    if (o.diagnosis) {
      body.failure = o.diagnosis.headline;
      if (o.diagnosis.endedBy) body.endedBy = o.diagnosis.endedBy;
      body.hint = o.diagnosis.hint;
    }
    io.out(JSON.stringify(body, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('') : v)));
    return;
  }
  const d = o.diagnosis;
  if (!r) {
    io.err(`l2tp-wire: ${command} ${where}: ${d?.headline ?? 'failed'} (${error?.code ?? 'ERROR'}): ${d?.hint ?? error?.message ?? ''}`);
    return;
  }
  const lines: string[] = [];
  const row = (k: string, v: unknown) => {
    if (v !== undefined) lines.push(`  ${k.padEnd(20)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  };
  lines.push(`${command} ${where}: ${o.code === ExitCode.Ok ? 'ok' : (d?.headline ?? 'failed')}`);
  if (command === 'probe') {
    const pr = r as unknown as ProbeResult;
    row('peer host name', pr.peerHostname);
    row('vendor', pr.vendorName);
    row('protocol version', pr.protocolVersion);
    row('firmware revision', pr.firmwareRevision === undefined ? undefined : `0x${pr.firmwareRevision.toString(16).padStart(4, '0')}`);
    row('framing caps', pr.framingCapabilities);
    row('bearer caps', pr.bearerCapabilities);
    row('receive window', pr.receiveWindowSize);
    if (pr.routerId !== undefined) row('router id', dottedRouterId(pr.routerId));
    row('pseudowire caps', pr.pseudowireCapabilities?.join(', '));
    row('challenged', pr.challenged);
    row('our tunnel id', pr.tunnelId);
    row(pr.assignedControlConnectionId !== undefined ? 'peer ctrl conn id' : 'peer tunnel id', pr.assignedTunnelId);
    row('rtt', `${pr.rtt.toFixed(1)} ms`);
  } else {
    const s = r as unknown as SessionEstablishment;
    row('peer host name', s.peerHostname);
    row('vendor', s.vendorName);
    row('tunnel ids', `${s.localTunnelId} (ours) / ${s.peerTunnelId} (peer)`);
    row('session ids', s.localSessionId === undefined ? undefined : `${s.localSessionId} (ours) / ${s.peerSessionId} (peer)`);
    const pw = (r as { pseudowire?: Record<string, unknown> }).pseudowire;
    if (pw) {
      row('pseudowire', `type ${String(pw.type)}, remote end id ${JSON.stringify(pw.remoteEndId)}`);
      row('cookies', `${String(pw.localCookie) || '(none)'} (ours) / ${String(pw.remoteCookie) || '(none)'} (peer)`);
    }
    row('setup', Number.isFinite(s.latencyMs) ? `${s.latencyMs.toFixed(1)} ms` : undefined);
  }
  // Say whose words these are: a server's "no secret configured here" means there, not here.
  if (d?.peerSaid !== undefined) row('server said', d.peerSaid);
  else if (error && o.code !== ExitCode.Ok) row(d?.endedBy === 'us' ? 'we ended it' : 'error', `${error.code}: ${error.message}`);
  io.out(lines.join('\n'));
  if (d) io.err(`l2tp-wire: ${command} ${where}: ${d.hint}`);
}
