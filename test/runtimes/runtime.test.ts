/**
 * Which runtime is running the suite. test/scripts/test-runtimes.mjs runs the core tests under Deno and
 * Bun with L2TP_WIRE_EXPECT_RUNTIME set; this file fails if the runner quietly ran them in Node
 * instead (vitest's worker pools spawn processes, and a runner could spawn the wrong binary).
 * Under plain `vitest run` the variable is unset and the suite must be running in Node.
 */
import { describe, expect, it } from 'vitest';

type Runtime = 'node' | 'deno' | 'bun' | 'unknown';

/** Decide by the runtime's own global first: Deno and Bun both also fill in `process.versions.node`. */
function detect(): Runtime {
  const g = globalThis as { Deno?: unknown; Bun?: unknown; process?: { versions?: Record<string, string> } };
  if (g.Deno !== undefined) return 'deno';
  if (g.Bun !== undefined) return 'bun';
  if (g.process?.versions?.node !== undefined) return 'node';
  return 'unknown';
}

describe('runtime under test', () => {
  it('is the runtime the runner was asked for', () => {
    const expected = process.env.L2TP_WIRE_EXPECT_RUNTIME ?? 'node';
    expect(detect()).toBe(expected);
  });

  it('has the Web APIs the core relies on (TextEncoder/TextDecoder, Uint8Array.subarray)', () => {
    expect(new TextDecoder().decode(new TextEncoder().encode('l2tp'))).toBe('l2tp');
    expect(Uint8Array.of(1, 2, 3).subarray(1)).toEqual(Uint8Array.of(2, 3));
  });
});
