/**
 * Responses: JSON, and the prober's error shapes and HTTP statuses (`success: false`, `error`),
 * plus our `code`: the library's `L2tpError` code, or `BAD_REQUEST` / `CLOUDFLARE` / `NOT_JSON` / `INTERNAL`.
 */
import { L2tpError } from 'l2tp-wire';
import { CloudflareTarget } from './cloudflare.js';
import { BadRequest, NotJson } from './request.js';

export const json = (body: unknown, status = 200): Response => Response.json(body, { status });

/** Whole milliseconds, as the prober's `Date.now()` differences are (0 when unknown). */
export const wholeMs = (x: number): number => (Number.isFinite(x) ? Math.max(0, Math.round(x)) : 0);

/** Our finer times: two decimals, `null` when unknown (NaN does not survive JSON). */
export const ms = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);

/**
 * The prober's answer to what went wrong: 400 for the request, 403 for a Cloudflare target, 500 for everything else (no
 * answer, a timeout, a refusal in /session), as it does. `echo` adds fields its shape has
 * (/connect echoes `host` and `port` even in errors).
 */
export function failure(e: unknown, echo: Record<string, unknown> = {}): Response {
  if (e instanceof BadRequest) return json({ success: false, ...echo, error: e.message, code: 'BAD_REQUEST' }, 400);
  if (e instanceof CloudflareTarget) return json({ success: false, ...echo, error: e.message, isCloudflare: true, code: 'CLOUDFLARE' }, 403);
  if (e instanceof NotJson) return json({ success: false, ...echo, error: e.message, code: 'NOT_JSON' }, 500);
  if (e instanceof L2tpError) {
    // The prober says "Connection timeout" for any timeout; ours says which wait ran out.
    const error = e.code === 'TIMEOUT' ? `Connection timeout: ${e.message}` : e.message;
    return json({ success: false, ...echo, error, code: e.code }, 500);
  }
  return json({ success: false, ...echo, error: e instanceof Error ? e.message : String(e), code: 'INTERNAL' }, 500);
}

/** A refusal by the peer (StopCCN or CDN) or of its answer, in our fields; `error` led by the prober's words. */
export function refusal(r: { result?: { result: number; error?: number; message?: string }; error?: { message: string; code: string } }, proberText?: string) {
  const why = r.error?.message ?? 'refused';
  return {
    ...(r.result ? { resultCode: r.result.result, errorCode: r.result.error, resultMessage: r.result.message } : {}),
    error: proberText ? `${proberText}: ${why}` : why,
    ...(r.error ? { code: r.error.code } : {}),
  };
}
