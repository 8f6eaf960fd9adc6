/**
 * Tests that cannot run here (a tool is missing and the environment says so knowingly) are
 * reported skipped by the runner, with the reason in their title — never passed vacuously.
 *
 * @example
 * const noTshark = tsharkProblem();
 * it.skipIf(noTshark !== undefined)(titled('decodes …', noTshark), () => { … });
 */
export function titled(title: string, problem: string | undefined): string {
  return problem === undefined ? title : `${title} [skipped: ${problem}]`;
}
