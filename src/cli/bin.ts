/** The `l2tp-wire` executable. */
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`l2tp-wire: internal error: ${String(e)}\n`);
    process.exitCode = 70;
  },
);
