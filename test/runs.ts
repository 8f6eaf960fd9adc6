/**
 * How many runs a property (or a seeded loop) makes. `npm test` makes the full count. The mutation
 * run (`npm run mutate`, test/vitest.mutate.config.ts) sets L2TP_MUTATE_SCALE to divide it, because
 * it runs the covering tests once per mutant: fewer runs can only let more mutants survive, so the
 * mutation score it reports is a lower bound on what the full suite would give. Tests that compare a
 * count with the run total compare it with this value, so they hold at either scale.
 */
export function runs(full: number, floor = 25): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const scale = Number(env?.L2TP_MUTATE_SCALE ?? 1);
  if (!(scale > 1)) return full;
  return Math.max(Math.min(full, floor), Math.ceil(full / scale));
}
