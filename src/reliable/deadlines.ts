/**
 * Deadlines of the Sequencer, `undefined` meaning none (rather than `Infinity`, which V8 would
 * keep boxed in every Sequencer that holds it: issue 16, memory per idle tunnel).
 * @internal
 */
/** The earlier of two deadlines (`undefined`: none). */
export function earlier(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined || a <= b ? a : b;
}

/** The later of a deadline and a time (`undefined`: none yet). */
export function later(a: number | undefined, b: number): number {
  return a === undefined || a < b ? b : a;
}
