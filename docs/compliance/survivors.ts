/**
 * Why each mutant that survives `npm run mutate` is accepted (issue 13). docs/compliance.md lists
 * every survivor with the first rule here that matches it; test/compliance/matrix.test.ts fails
 * when a survivor has no rule. A rule is either "equivalent" (no input can tell the mutant from
 * the original) or "accepted" (observable, but not worth a test: say why).
 */
export interface SurvivorReason {
  /** The source file, as Stryker names it (`src/fsm/checks.ts`). */
  file: string;
  /** 1-based lines the rule covers; all lines of the file when absent. */
  lines?: readonly number[];
  /** Stryker mutator names (`StringLiteral`, `ConditionalExpression`, …); any when absent. */
  mutators?: readonly string[];
  /** Matches the original source line (trimmed). */
  original?: RegExp;
  reason: string;
}

export const SURVIVOR_REASONS: readonly SurvivorReason[] = [];
