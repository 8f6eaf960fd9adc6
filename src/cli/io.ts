/** Where the CLI writes (injectable for tests) and how a long-running command waits for Ctrl-C. */

/** Line-oriented output: `out` is stdout (results), `err` is stderr (diagnostics, traces). */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Set when stderr is a terminal: live status lines are drawn there, and only then. */
  errTty?: { write(text: string): void };
}

/** The process's stdout and stderr. */
export const processIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  ...(process.stderr.isTTY ? { errTty: { write: (t: string) => process.stderr.write(t) } } : {}),
};

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
