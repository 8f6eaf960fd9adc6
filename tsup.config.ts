import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

const common = {
  format: ['esm', 'cjs'] as ('esm' | 'cjs')[],
  sourcemap: true,
  target: 'es2022' as const,
  platform: 'neutral' as const,
  treeshake: true,
  // Shared chunks in both formats, so `l2tp-wire` and `l2tp-wire/node` share one L2tpError class
  // (without it CJS copies the class and `instanceof` fails across entries).
  splitting: true,
  // Keep `node:dgram` etc. as written (Deno needs the prefix) and leave them to the runtime.
  removeNodeProtocol: false,
  external: [/^node:/, /^cloudflare:/, 'fast-check'],
};

export default defineConfig([
  {
    ...common,
    entry: {
      index: 'src/index.ts',
      node: 'src/node.ts',
      workers: 'src/workers.ts',
      testing: 'src/testing/index.ts',
      arbitraries: 'src/arbitraries.ts',
      pcap: 'src/pcap.ts',
    },
    dts: true,
    clean: true,
  },
  {
    // The CLI: one self-contained ESM file with a shebang.
    ...common,
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    splitting: false,
    platform: 'node',
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
    define: { __VERSION__: JSON.stringify(version) },
  },
]);
