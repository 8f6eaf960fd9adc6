/**
 * An L2TP prober as a Cloudflare Worker, built on l2tp-wire: a drop-in for the Worker prober this
 * library grew from. Every request body its clients send is accepted with its defaults, and
 * every field they read comes back with the same name, type and meaning; our own fields sit
 * beside them (docs/workers.md has the table). One module per endpoint:
 *
 *   POST /api/l2tp/connect        connect.ts        probe: SCCRQ → SCCRP → SCCCN → StopCCN
 *   POST /api/l2tp/session        session.ts        tunnel + one incoming call, then StopCCN
 *   POST /api/l2tp/start-control  start-control.ts  open a tunnel, report the reply, StopCCN;
 *                                 tunnel-object.ts  with `keep: true`: keep it, return a `handle`
 *   POST /api/l2tp/hello          hello.ts          { host, port, tunnelId }: tunnel, HELLO + ack, StopCCN
 *                                 tunnel-object.ts  { handle }: HELLO on the kept tunnel
 *   POST /api/l2tp/stop-control   tunnel-object.ts  { handle }: StopCCN, release (ours)
 *
 * No endpoint leaves a tunnel on the peer unless asked to (`keep`): each ends its own with a
 * StopCCN and waits for the acknowledgement (RFC 2661 §5.7), where the prober just hung up.
 *
 * Workers open only TCP (`cloudflare:sockets`); L2TP over TCP is not in any RFC (see
 * docs/workers.md). Point `host` at an l2tp-wire LNS with TCP on, or at a `createRelay` relay in
 * front of a UDP LNS such as xl2tpd.
 */
import { connect } from './connect.js';
import { hello } from './hello.js';
import { failure, json } from './reply.js';
import { readFields, readHandle, readKeep, readTarget, readTunnelId, type Route } from './request.js';
import { session } from './session.js';
import { startControl } from './start-control.js';

export { L2tpTunnel } from './tunnel-object.js';

export interface Env {
  TUNNELS: DurableObjectNamespace;
}

export default {
  // As the prober: routing by path only, whatever the method.
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const route = /^\/api\/l2tp\/(connect|session|start-control|hello|stop-control)$/.exec(pathname)?.[1] as Route | undefined;
    if (!route) return json({ success: false, error: `no route ${pathname}`, code: 'NO_ROUTE' }, 404);
    // /connect's error shape echoes host and port too ("" and 1701 until the body is read).
    let echo: Record<string, unknown> = route === 'connect' ? { host: '', port: 1701 } : {};
    try {
      const fields = await readFields(request);
      if (route === 'connect') {
        echo = { host: typeof fields.host === 'string' ? fields.host : '', port: fields.port ?? 1701 };
        return await connect(readTarget('connect', fields));
      }
      if (route === 'session') return await session(readTarget('session', fields));
      if (route === 'start-control') {
        const target = readTarget('start-control', fields); // checked here, so a bad request never creates an object
        if (!readKeep(fields)) return await startControl(target);
        return await kept(env, env.TUNNELS.newUniqueId(), route, fields);
      }
      if (route === 'hello' && fields.handle === undefined) return await hello(readTarget('hello', fields), readTunnelId(fields));
      return await kept(env, env.TUNNELS.idFromString(readHandle(fields)), route, fields);
    } catch (e) {
      return failure(e, echo);
    }
  },
};

/** Pass the request to the Durable Object that holds (or will hold) the tunnel. */
function kept(env: Env, id: DurableObjectId, route: Route, fields: Record<string, unknown>): Promise<Response> {
  return env.TUNNELS.get(id).fetch(`https://tunnel/${route}`, { method: 'POST', body: JSON.stringify({ ...fields, handle: id.toString() }) });
}
