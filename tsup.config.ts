import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    workers: 'src/workers.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
  // Shared chunks in both formats, so `l2tp-wire` and `l2tp-wire/node` share one L2tpError class
  // (without it CJS copies the class and `instanceof` fails across entries).
  splitting: true,
  // Keep `node:dgram` etc. as written (Deno needs the prefix) and leave them to the runtime.
  removeNodeProtocol: false,
  external: [/^node:/, /^cloudflare:/],
});
