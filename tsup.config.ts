import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

const entry = {
  index: 'src/index.ts',
  node: 'src/node.ts',
  workers: 'src/workers.ts',
  testing: 'src/testing/index.ts',
  arbitraries: 'src/arbitraries.ts',
  pcap: 'src/pcap.ts',
};

const common = {
  // No source maps in the package: they were 2.5 MB of a 4.4 MB install (issue 14). The output is
  // unminified, with the original names, so stack traces read without them.
  sourcemap: false,
  target: 'es2022' as const,
  platform: 'neutral' as const,
  treeshake: true,
  // Shared chunks, so `l2tp-wire` and `l2tp-wire/node` share one L2tpError class and the package
  // carries the codec once.
  splitting: true,
  // Keep `node:dgram` etc. as written (Deno needs the prefix) and leave them to the runtime.
  removeNodeProtocol: false,
  external: [/^node:/, /^cloudflare:/, 'fast-check'],
  define: { __VERSION__: JSON.stringify(version) },
  dts: true,
};

// ESM only (issue 14: the dual build doubled the package to 488 KB packed). CommonJS callers
// `require('l2tp-wire')` through Node's require(esm), on by default since Node 20.19 and 22.12.
export default defineConfig([
  {
    // ESM, with the CLI as one more entry: it shares the library's chunks instead of carrying its
    // own copy of the codec (266 KB), so the package stays small.
    ...common,
    entry: { ...entry, cli: 'src/cli/bin.ts' },
    format: ['esm'],
    clean: true,
    dts: { entry },
    // esbuild's banner would go on every chunk: give only the executable its shebang.
    onSuccess: async () => {
      const cli = 'dist/cli.js';
      const text = readFileSync(cli, 'utf8');
      if (!text.startsWith('#!')) writeFileSync(cli, `#!/usr/bin/env node\n${text}`);
      chmodSync(cli, 0o755);
    },
  },
]);
