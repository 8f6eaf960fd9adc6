/**
 * An L2TP prober as a Cloudflare Worker, built on l2tp-wire. Four endpoints, JSON in and out:
 *
 *   POST /api/l2tp/connect        probe: SCCRQ → SCCRP → SCCCN → StopCCN; what the LNS says about itself
 *   POST /api/l2tp/session        tunnel + one incoming call (ICRQ → ICRP → ICCN), then tear down
 *   POST /api/l2tp/start-control  open a tunnel and keep it (in a Durable Object); returns a `handle`
 *   POST /api/l2tp/hello          { handle }: HELLO on that same tunnel, timed until the peer acks it
 *   POST /api/l2tp/stop-control   { handle }: StopCCN, release it
 *
 * Request fields: `host` (required), `port` (1701), `timeout` (ms, 10 000), `hostname` (our Host
 * Name AVP), `secret` (tunnel secret, optional). Bad requests get 400 and `{ success: false, error }`.
 *
 * Workers open only TCP (`cloudflare:sockets`); L2TP over TCP is not in any RFC (see
 * docs/workers.md). Point `host` at an l2tp-wire LNS with TCP on, or at a `createRelay` relay in
 * front of a UDP LNS such as xl2tpd.
 *
 * Why a Durable Object: a socket belongs to the request that opened it — another request may not
 * touch it ("Cannot perform I/O on behalf of a different request"). A Durable Object outlives
 * requests, so the tunnel opened by /start-control is the one /hello talks on (its own HELLO timer
 * keeps running too, RFC 2661 §6.5).
 */
import { establishSession, L2tpError, MessageType, openTunnel, parseControl, parseHeader, probe, type Transport, type Tunnel } from 'l2tp-wire';
import { workersTransport } from 'l2tp-wire/workers';

export interface Env {
  TUNNELS: DurableObjectNamespace;
}

interface Target {
  host: string;
  port: number;
  timeout: number;
  hostname: string;
  secret?: string;
}

/** 400 for what the caller got wrong; the message says what to change. */
class BadRequest extends Error {}

const json = (body: unknown, status = 200) => Response.json(body, { status });
const ms = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);

function target(body: Record<string, unknown>): Target {
  const { host, port = 1701, timeout = 10_000, hostname = 'l2tp-wire-worker', secret } = body;
  if (typeof host !== 'string' || !/^[A-Za-z0-9.:_-]{1,253}$/.test(host)) throw new BadRequest('"host" must be a host name or IP address');
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) throw new BadRequest('"port" must be an integer from 1 to 65535');
  if (!Number.isInteger(timeout) || (timeout as number) < 100 || (timeout as number) > 30_000) throw new BadRequest('"timeout" must be an integer number of milliseconds from 100 to 30000');
  if (typeof hostname !== 'string' || hostname.length < 1 || hostname.length > 255) throw new BadRequest('"hostname" must be a string of 1 to 255 characters');
  if (secret !== undefined && (typeof secret !== 'string' || secret === '')) throw new BadRequest('"secret" must be a non-empty string');
  return { host, port: port as number, timeout: timeout as number, hostname, ...(secret !== undefined ? { secret } : {}) };
}

function connect(t: Target): Promise<Transport> {
  return workersTransport({ hostname: t.host, port: t.port, timeout: t.timeout });
}

const tunnelOptions = (t: Target) => ({ hostName: t.hostname, timeout: t.timeout, ...(t.secret ? { secret: t.secret } : {}) });

/** The peer's refusal, as the seed reported it: result code, error code, message. */
const refusal = (r: { result?: { result: number; error?: number; message?: string }; error?: Error }) =>
  r.result ? { resultCode: r.result.result, errorCode: r.result.error, resultMessage: r.result.message, error: r.error?.message } : r.error ? { error: r.error.message } : {};

async function handleConnect(t: Target): Promise<Response> {
  const r = await probe(await connect(t), tunnelOptions(t));
  const { success, tunnelId, assignedTunnelId, peerHostname, vendorName, protocolVersion, firmwareRevision, challenged } = r;
  return json({ success, tunnelId, assignedTunnelId, peerHostname, vendorName, protocolVersion, firmwareRevision, challenged, rtt: ms(r.rtt), ...refusal(r) });
}

async function handleSession(t: Target): Promise<Response> {
  const r = await establishSession(await connect(t), tunnelOptions(t));
  await r.tunnel?.close(undefined, { timeout: t.timeout });
  const { success, localTunnelId, peerTunnelId, localSessionId, peerSessionId, peerHostname, vendorName } = r;
  return json({ success, localTunnelId, peerTunnelId, localSessionId, peerSessionId, peerHostname, vendorName, rtt: ms(r.rtt), latencyMs: ms(r.latencyMs), ...refusal(r) });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const route = /^\/api\/l2tp\/(connect|session|start-control|hello|stop-control)$/.exec(pathname)?.[1];
    if (!route) return json({ success: false, error: `no route ${pathname}` }, 404);
    if (request.method !== 'POST') return json({ success: false, error: 'use POST with a JSON body' }, 405);
    try {
      const body = await request.json().catch(() => undefined);
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('the body must be a JSON object');
      const fields = body as Record<string, unknown>;
      if (route === 'connect') return await handleConnect(target(fields));
      if (route === 'session') return await handleSession(target(fields));
      // The tunnel lives in a Durable Object: a new one per /start-control, found again by handle.
      let id: DurableObjectId;
      if (route === 'start-control') {
        target(fields); // validate here, so a bad request never creates an object
        id = env.TUNNELS.newUniqueId();
      } else {
        if (typeof fields.handle !== 'string' || !/^[0-9a-f]{64}$/.test(fields.handle)) throw new BadRequest('"handle" must be the handle /start-control returned');
        id = env.TUNNELS.idFromString(fields.handle);
      }
      return await env.TUNNELS.get(id).fetch(`https://tunnel/${route}`, { method: 'POST', body: JSON.stringify({ ...fields, handle: id.toString() }) });
    } catch (e) {
      return failure(e);
    }
  },
};

function failure(e: unknown): Response {
  if (e instanceof BadRequest) return json({ success: false, error: e.message }, 400);
  // No answer at all (no connection, silence): a gateway error, with the library's code.
  if (e instanceof L2tpError) return json({ success: false, code: e.code, error: e.message }, e.code === 'TIMEOUT' ? 504 : 502);
  return json({ success: false, error: String(e) }, 500);
}

/** One kept tunnel: /start-control opens it, /hello and /stop-control use it. */
export class L2tpTunnel {
  private tunnel: Tunnel | undefined;
  private acks: AckClock | undefined;

  async fetch(request: Request): Promise<Response> {
    const route = new URL(request.url).pathname.slice(1);
    const fields = (await request.json()) as Record<string, unknown>;
    const handle = fields.handle as string;
    try {
      if (route === 'start-control') {
        const t = target(fields);
        if (this.tunnel) throw new BadRequest('this handle already has a tunnel');
        this.acks = new AckClock(await connect(t));
        const tunnel = (this.tunnel = await openTunnel(this.acks, tunnelOptions(t)));
        const { hostName: peerHostname, vendorName, protocolVersion: v } = tunnel.peer;
        return json({ success: true, handle, tunnelId: tunnel.localTunnelId, assignedTunnelId: tunnel.peerTunnelId, peerHostname, vendorName, protocolVersion: `${v.version}.${v.revision}`, rtt: ms(tunnel.rtt) });
      }
      const tunnel = this.tunnel;
      if (!tunnel || tunnel.state !== 'established') {
        return json({ success: false, handle, error: tunnel ? `the tunnel is ${tunnel.state}${tunnel.stop?.error ? `: ${tunnel.stop.error.message}` : ''}` : 'no tunnel for this handle' }, 404);
      }
      if (route === 'stop-control') {
        await tunnel.close(undefined, { timeout: 5000 });
        this.tunnel = undefined;
        return json({ success: true, handle, tunnelId: tunnel.localTunnelId });
      }
      const { timeout = 10_000 } = fields;
      if (!Number.isInteger(timeout) || (timeout as number) < 100 || (timeout as number) > 30_000) throw new BadRequest('"timeout" must be an integer number of milliseconds from 100 to 30000');
      const acked = this.acks!.nextHello(timeout as number);
      await tunnel.hello();
      const rtt = await acked;
      return json({ success: true, handle, tunnelId: tunnel.localTunnelId, assignedTunnelId: tunnel.peerTunnelId, rtt: ms(rtt), latencyMs: ms(rtt) });
    } catch (e) {
      return failure(e);
    }
  }
}

/**
 * The transport, passed through, timing our HELLO until the peer acknowledges it (a message
 * whose Nr passes the HELLO's Ns, RFC 2661 §5.8): `tunnel.hello()` resolves once it is queued.
 */
class AckClock implements Transport {
  private wait: { ns?: number; at: number; done: (rtt: number) => void } | undefined;
  constructor(private readonly inner: Transport) {}
  get kind() { return this.inner.kind; }
  get remote() { return this.inner.remote; }
  get local() { return this.inner.local; }
  get closed() { return this.inner.closed; }
  onError(h: (e: Error) => void) { this.inner.onError(h); }
  onClose(h: (e?: Error) => void) { this.inner.onClose(h); }
  close() { return this.inner.close(); }

  nextHello(timeout: number): Promise<number> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new L2tpError('TIMEOUT', `HELLO not acknowledged within ${timeout} ms`)), timeout);
      this.wait = { at: 0, done: (rtt) => (clearTimeout(timer), done(rtt)) };
    });
  }

  send(m: Uint8Array): Promise<void> {
    const w = this.wait;
    if (w && w.ns === undefined && (m[0]! & 0x80) !== 0 && m.length > 12 && parseControl(m).type === MessageType.HELLO) {
      const h = parseHeader(m);
      w.ns = 'ns' in h ? h.ns : undefined;
      w.at = performance.now();
    }
    return this.inner.send(m);
  }

  onMessage(h: (m: Uint8Array) => void) {
    this.inner.onMessage((m) => {
      const w = this.wait;
      if (w?.ns !== undefined && (m[0]! & 0x80) !== 0) {
        // A control message (T=1) has Nr (RFC 2661 §3.1); a malformed one is the tunnel's to judge.
        const nr = (() => {
          try {
            const h = parseHeader(m);
            return 'nr' in h ? h.nr : undefined;
          } catch {
            return undefined;
          }
        })();
        // Nr counts modulo 2^16: the HELLO is acked once Nr is past its Ns.
        if (nr !== undefined && ((nr - w.ns - 1) & 0xffff) < 0x8000) {
          this.wait = undefined;
          w.done(performance.now() - w.at);
        }
      }
      h(m);
    });
  }
}
