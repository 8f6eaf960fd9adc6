/// <reference types="node" />
/**
 * Proof that a test left no handle open, in-process: the kinds of libuv resources sockets and
 * timers create, counted with `process.getActiveResourcesInfo()` before and after. Limits: a
 * closed handle leaves that list only in libuv's close phase (so the check polls briefly), and a
 * handle that is open but idle (a TCP socket that stopped reading after EOF) is not listed — so
 * node-exit.test.ts also proves, in a child process, that Node exits by itself.
 */
const KINDS = new Set(['UDPWrap', 'TCPSocketWrap', 'TCPServerWrap', 'TCPConnectWrap', 'Timeout', 'ProcessWrap', 'PipeWrap', 'GetAddrInfoReqWrap']);

export type HandleCounts = Record<string, number>;

export function snapshot(): HandleCounts {
  const counts: HandleCounts = {};
  for (const r of process.getActiveResourcesInfo()) if (KINDS.has(r)) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/** Take the baseline once the handles earlier tests closed have left libuv's close phase. */
export async function baseline(): Promise<HandleCounts> {
  let prev = snapshot();
  for (let i = 0; i < 50; i++) {
    await new Promise<void>((r) => setTimeout(r, 2));
    const now = snapshot();
    if (JSON.stringify(now) === JSON.stringify(prev)) return now;
    prev = now;
  }
  return prev;
}

function extra(before: HandleCounts, now: HandleCounts): HandleCounts {
  const out: HandleCounts = {};
  for (const [k, n] of Object.entries(now)) if (n > (before[k] ?? 0)) out[k] = n - (before[k] ?? 0);
  return out;
}

/** Handles open now that were not open at `before`, waiting up to `ms` for closes to finish; `{}` when none. */
export async function leakedSince(before: HandleCounts, ms = 1000): Promise<HandleCounts> {
  const deadline = Date.now() + ms;
  for (;;) {
    const more = extra(before, snapshot());
    if (Object.keys(more).length === 0 || Date.now() > deadline) return more;
    await new Promise<void>((r) => setImmediate(r));
  }
}
