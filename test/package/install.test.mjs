/**
 * The package as users get it: `npm pack` the project, install the tarball into a fresh project
 * in a temp folder (offline: the package has no runtime dependencies), and load every subpath of
 * its `exports` map from ESM and from CJS, in separate Node processes that resolve through the
 * consumer's node_modules (never this repository); the ESM probe runs under Deno and Bun too.
 * The package is ESM only: the CJS probe proves `require()` works through Node's require(esm)
 * (on by default since Node 20.19, the "engines" floor). publint and attw check the same tarball.
 *
 * New subpaths in package.json "exports" are covered without touching this file. A subpath whose
 * built file imports a `cloudflare:` module (l2tp-wire/workers) cannot load in Node: it must
 * resolve, and fail to load only for that module; workerd tests load it for real.
 *
 * Run: `npm run build && node --test test/package/install.test.mjs` (test/scripts/test-runtimes.mjs
 * does both).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const NAME = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).name;
const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

/** Exports the public API promises, by subpath (a spot check; the full lists are compared ESM vs CJS). */
const EXPECTED = {
  '.': ['L2tpError', 'parseHeader', 'encodeHeader', 'parseControl', 'encodeControl', 'sccrq', 'zlb', 'md5', 'hideAvpValue', 'unhideAvpValue', 'Sequencer', 'StreamFramer', 'TunnelFsm'],
  './node': ['udpTransport', 'tcpTransport', 'createLns'],
  './testing': ['memoryTransportPair', 'Simulation', 'Prng'],
  './pcap': ['decodeCapture', 'readCaptureFile', 'recordToJson', 'writePcap', 'LinkType'],
};

/**
 * The probe run in the consumer project, once as ESM and once as CJS: it loads every specifier
 * and reports plain JSON (export names, errors, instanceof results) for the test to assert on.
 */
function probeSource(format) {
  const load = format === 'esm' ? '(s) => import(s)' : '(s) => Promise.resolve(require(s))';
  const loadJson = format === 'esm' ? "(s) => import(s, { with: { type: 'json' } }).then((m) => m.default)" : '(s) => Promise.resolve(require(s))';
  const resolveSpec = format === 'esm' ? '(s) => import.meta.resolve(s)' : '(s) => require.resolve(s)';
  return `
const load = ${load};
const loadJson = ${loadJson};
const resolveSpec = ${resolveSpec};
const specs = JSON.parse(process.env.PROBE_SPECS);
const run = async () => {
  const out = { modules: {}, checks: {} };
  const mods = {};
  for (const s of specs) {
    let resolved;
    try { resolved = resolveSpec(s); } catch (e) { out.modules[s] = { resolveError: String(e) }; continue; }
    try {
      if (s.endsWith('.json')) { out.modules[s] = { resolved, json: { name: (await loadJson(s)).name } }; continue; }
      const m = await load(s);
      mods[s] = m;
      out.modules[s] = { resolved, names: Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort() };
    } catch (e) {
      out.modules[s] = { resolved, loadError: String(e && e.message || e), code: e && e.code };
    }
  }
  const root = mods['${NAME}'];
  const L2tpError = root.L2tpError;
  const caught = async (f) => { try { await f(); return { threw: false }; } catch (e) {
    return { threw: true, isL2tpError: e instanceof L2tpError, isError: e instanceof Error, code: e.code, name: e.name }; } };
  // A codec error from the root entry.
  out.checks.root = await caught(() => root.parseControl(Uint8Array.of(0xc8, 0x02, 0x00)));
  // Errors made by code in other entries must be the root's class (one shared chunk per format).
  const testing = mods['${NAME}/testing'];
  if (testing) out.checks.testing = await caught(async () => {
    const { a } = testing.memoryTransportPair();
    await a.close();
    await a.send(Uint8Array.of(1));
  });
  const node = mods['${NAME}/node'];
  if (node) out.checks.node = await caught(() => node.tcpTransport({ host: '127.0.0.1', port: 9, signal: AbortSignal.abort() }));
  // Every name exported by two entries is the same value (the same class, not a copy).
  const seen = new Map();
  out.checks.sameValue = [];
  for (const [s, m] of Object.entries(mods)) for (const k of Object.keys(m)) {
    if (k === 'default' || k === '__esModule') continue;
    if (seen.has(k)) out.checks.sameValue.push({ name: k, from: [seen.get(k).s, s], same: seen.get(k).v === m[k] });
    else seen.set(k, { s, v: m[k] });
  }
  process.stdout.write(JSON.stringify(out));
};
run().catch((e) => { console.error(e); process.exit(1); });
`;
}

describe('the packed tarball, installed into a fresh project', { timeout: 240_000 }, () => {
  let work;
  let tarball;
  let packedFiles;
  let consumer;
  let installed;
  let pkg;
  let specs;
  const probes = {};

  before(() => {
    assert.ok(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/ is missing: run `npm run build` first');
    work = mkdtempSync(join(tmpdir(), 'l2tp-wire-pack-'));
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work, ...NPM_QUIET], { cwd: ROOT, encoding: 'utf8' }));
    tarball = join(work, packed[0].filename);
    packedFiles = packed[0].files.map((f) => f.path);
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }));
    // Offline: a package with no runtime dependencies installs from its tarball alone.
    execFileSync('npm', ['install', '--offline', '--ignore-scripts', ...NPM_QUIET, tarball], { cwd: consumer, stdio: 'pipe' });
    // fast-check is the optional peer of l2tp-wire/arbitraries: a user of that subpath installs it.
    // Copied from this repo's dev install (the consumer stays offline).
    for (const dep of ['fast-check', 'pure-rand']) cpSync(join(ROOT, 'node_modules', dep), join(consumer, 'node_modules', dep), { recursive: true });
    installed = join(consumer, 'node_modules', NAME);
    pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    specs = Object.keys(pkg.exports).map((k) => (k === '.' ? NAME : `${NAME}/${k.slice(2)}`));
    for (const format of ['esm', 'cjs']) {
      const file = join(consumer, format === 'esm' ? 'probe.mjs' : 'probe.cjs');
      writeFileSync(file, probeSource(format));
      const r = spawnSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8', env: { ...process.env, PROBE_SPECS: JSON.stringify(specs) }, timeout: 60_000 });
      assert.equal(r.status, 0, `${format} probe failed:\n${r.stderr}`);
      probes[format] = JSON.parse(r.stdout);
    }
    // The same ESM probe under Deno and Bun, resolving through the consumer's node_modules too.
    for (const [runtime, args] of [['deno', ['run', '-A', 'probe.mjs']], ['bun', ['probe.mjs']]]) {
      const r = spawnSync(join(BIN, runtime), args, {
        cwd: consumer,
        encoding: 'utf8',
        env: { ...process.env, PROBE_SPECS: JSON.stringify(specs), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', DO_NOT_TRACK: '1' },
        timeout: 60_000,
      });
      assert.equal(r.status, 0, `${runtime} probe failed:\n${r.stderr}`);
      probes[runtime] = JSON.parse(r.stdout);
    }
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs dist, README and LICENSE, and no tests or dependencies', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) {
      assert.ok(packedFiles.includes(f), `tarball lacks ${f}`);
    }
    // ESM only: a second (CommonJS) build doubled the package (488 KB packed).
    assert.deepEqual(packedFiles.filter((f) => /\.(cjs|d\.cts)$/.test(f)), [], 'CommonJS builds in the tarball');
    assert.deepEqual(packedFiles.filter((f) => /^(test|node_modules|bench|scripts)\//.test(f)), []);
    assert.equal(pkg.dependencies, undefined, 'no runtime dependencies (the offline install relies on it)');
  });

  // Packed size: 1.07 MB before issue 14 (2.5 MB of source maps unpacked); 286 KB without maps and
  // src/ when this check was written; 437 KB after the pcap reader, HTML ladder, PPP and
  // conformance entries were added (unminified, names kept); 488 KB with crypto, v3 digests, data
  // sequencing and the LNS's PPP option, as a dual ESM + CJS build; 256 KB ESM only. The goal of
  // issue 14 is < 300 KB.
  const PACKED_CEILING = 300_000;
  it(`npm pack --dry-run: no source maps, no sources or tests, under ${PACKED_CEILING / 1000} KB packed, the same files as the real pack`, () => {
    const [dry] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', ...NPM_QUIET], { cwd: ROOT, encoding: 'utf8' }));
    const files = dry.files.map((f) => f.path);
    assert.deepEqual(files.filter((f) => f.endsWith('.map')), [], 'source maps in the tarball');
    assert.deepEqual(files.filter((f) => /^(src|test|docs)\//.test(f)), [], 'sources, tests or docs in the tarball');
    assert.ok(dry.size < PACKED_CEILING, `packed size ${dry.size} bytes (ceiling ${PACKED_CEILING})`);
    assert.ok(dry.size > 50_000, `packed size ${dry.size} bytes: is dist/ built?`);
    assert.deepEqual([...files].sort(), [...packedFiles].sort());
  });

  it("the README's first example runs from the installed tarball on this Node: as .mjs, and as .ts bundled by esbuild (the README's two ways)", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const code = /^```ts\n([\s\S]*?)^```/m.exec(readme)?.[1];
    assert.ok(code, 'README has no ```ts block');
    const expected = [...code.matchAll(/console\.log\(.*\);\s*\/\/ → (.*)$/gm)].map((m) => m[1].trim());
    assert.ok(expected.length >= 2, 'the first README example checks no output');
    writeFileSync(join(consumer, 'example.mjs'), code);
    writeFileSync(join(consumer, 'example.ts'), code);
    const asMjs = spawnSync(process.execPath, ['example.mjs'], { cwd: consumer, encoding: 'utf8', timeout: 30_000 });
    assert.equal(asMjs.status, 0, asMjs.stderr);
    assert.deepEqual(asMjs.stdout.trim().split('\n'), expected);
    execFileSync(join(BIN, 'esbuild'), ['example.ts', '--bundle', '--platform=node', '--format=esm', '--outfile=bundled.mjs', '--log-level=warning'], { cwd: consumer });
    const bundled = spawnSync(process.execPath, ['bundled.mjs'], { cwd: consumer, encoding: 'utf8', timeout: 30_000 });
    assert.equal(bundled.status, 0, bundled.stderr);
    assert.deepEqual(bundled.stdout.trim().split('\n'), expected);
  });

  it('has "exports" for the root, ./node and ./testing, each with types and an ESM file that exist', () => {
    for (const k of Object.keys(EXPECTED)) assert.ok(k in pkg.exports, `exports has no "${k}"`);
    for (const [k, v] of Object.entries(pkg.exports)) {
      if (typeof v === 'string') {
        assert.ok(existsSync(join(installed, v)), `${k} → ${v} missing`);
        continue;
      }
      // One file serves import and require() (require(esm)), so no per-condition split.
      assert.deepEqual(Object.keys(v), ['types', 'default'], `exports["${k}"]: "types" first, then "default"`);
      for (const file of Object.values(v)) assert.ok(existsSync(join(installed, file)), `exports["${k}"] → ${file} missing`);
      assert.match(v.default, /\.js$/, `exports["${k}"].default is not the ESM build`);
    }
  });

  for (const format of ['esm', 'cjs']) {
    it(`${format}: every subpath resolves inside the installed package and loads (or needs only a cloudflare: module)`, () => {
      const { modules } = probes[format];
      assert.deepEqual(Object.keys(modules).sort(), [...specs].sort());
      for (const s of specs) {
        const m = modules[s];
        assert.equal(m.resolveError, undefined, `${s}: ${m.resolveError}`);
        assert.ok(m.resolved.includes(`node_modules/${NAME}/`), `${s} resolved outside the installed package: ${m.resolved}`);
        if (s.endsWith('.json')) {
          assert.equal(m.json.name, NAME);
        } else if (m.loadError !== undefined) {
          const file = m.resolved.replace(/^file:\/\//, '');
          assert.ok(existsSync(file), `${s} resolves to ${relative(installed, file)}, which is not in the package`);
          const needsWorkerd = /["']cloudflare:/.test(readFileSync(file, 'utf8'));
          // Node 20's require(esm) reports a `cloudflare:` import as an internal assertion rather
          // than naming the scheme; import() names it.
          const named = /cloudflare:/.test(m.loadError) || (format === 'cjs' && /bug in Node\.js/.test(m.loadError));
          assert.ok(needsWorkerd && named, `${s} failed to load: ${m.loadError}`);
        } else {
          assert.ok(m.names.length > 0, `${s} exports nothing`);
        }
      }
    });

    it(`${format}: the public names are there`, () => {
      for (const [sub, names] of Object.entries(EXPECTED)) {
        const s = sub === '.' ? NAME : `${NAME}/${sub.slice(2)}`;
        const have = probes[format].modules[s].names ?? [];
        for (const n of names) assert.ok(have.includes(n), `${s} (${format}) lacks ${n}`);
      }
    });

    it(`${format}: errors from every entry are instanceof the root's L2tpError`, () => {
      const { checks } = probes[format];
      assert.deepEqual(checks.root, { threw: true, isL2tpError: true, isError: true, code: 'TRUNCATED', name: checks.root.name });
      assert.deepEqual(checks.testing, { threw: true, isL2tpError: true, isError: true, code: 'TRANSPORT', name: checks.testing.name });
      assert.deepEqual(checks.node, { threw: true, isL2tpError: true, isError: true, code: 'ABORTED', name: checks.node.name });
      for (const c of checks.sameValue) assert.ok(c.same, `${c.name} differs between ${c.from.join(' and ')}`);
    });
  }

  for (const runtime of ['deno', 'bun']) {
    it(`${runtime}: importing every subpath from the tarball gives what Node's ESM import gives`, () => {
      const ours = probes[runtime];
      const node = probes.esm;
      for (const s of specs) {
        const a = ours.modules[s];
        const b = node.modules[s];
        assert.ok(a.resolved.includes(`node_modules/${NAME}/`), `${s} resolved outside the installed package under ${runtime}: ${a.resolved}`);
        if (b.loadError !== undefined) assert.match(a.loadError ?? '', /cloudflare/, `${s} loaded under ${runtime} but not in Node`);
        else assert.deepEqual({ names: a.names, json: a.json, loadError: a.loadError }, { names: b.names, json: b.json, loadError: undefined }, s);
      }
      assert.deepEqual(ours.checks, node.checks);
    });
  }

  it('ESM and CJS export the same names from every subpath', () => {
    for (const s of specs) {
      assert.deepEqual(probes.cjs.modules[s].names, probes.esm.modules[s].names, `${s}: ESM and CJS differ`);
    }
  });

  it('defines L2tpError once in the files the exports of each format load (shared chunks, so instanceof holds across entries)', () => {
    // Walk the relative imports from every exports entry; other files (a bundled CLI, say) may
    // carry their own copy without harm.
    const reachable = (cond) => {
      const seen = new Set();
      const queue = Object.values(pkg.exports)
        .filter((v) => typeof v === 'object')
        .map((v) => join(installed, v.default));
      while (queue.length > 0) {
        const file = queue.pop();
        if (seen.has(file) || !existsSync(file)) continue;
        seen.add(file);
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:from\s*|import\s*|require\()["'](\.\.?\/[^"']+)["']/g)) queue.push(join(file, '..', m[1]));
      }
      return [...seen];
    };
    for (const cond of ['default']) {
      const files = reachable(cond);
      assert.ok(files.length >= Object.keys(pkg.exports).length - 1, `${cond}: found only ${files.length} files`);
      const defining = files.filter((f) => /\bclass L2tpError\b|\bL2tpError = class\b/.test(readFileSync(f, 'utf8')));
      assert.equal(defining.length, 1, `${cond}: files defining L2tpError: ${defining.map((f) => relative(installed, f))}`);
    }
  });

  it('installs every "bin" as an executable that answers --help', () => {
    const bins = typeof pkg.bin === 'string' ? { [NAME]: pkg.bin } : (pkg.bin ?? {});
    for (const [name, file] of Object.entries(bins)) {
      assert.ok(existsSync(join(installed, file)), `bin ${name} → ${file} is not in the package`);
      assert.match(readFileSync(join(installed, file), 'utf8'), /^#!\/usr\/bin\/env node\n/, `${file} lacks a node shebang`);
      const r = spawnSync(join(consumer, 'node_modules', '.bin', name), ['--help'], { cwd: consumer, encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 0, `${name} --help exited ${r.status}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(name));
    }
  });

  it('publint --strict finds nothing in the installed package', () => {
    const r = spawnSync(join(BIN, 'publint'), ['--strict', '--pack', 'false', installed], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `publint:\n${r.stdout}\n${r.stderr}`);
  });

  // The esm-only profile: attw's "node16 (from CJS): ESM (dynamic import only)" describes TypeScript
  // before 5.8; Node itself loads the package with require() (the CJS probe above proves it).
  it('attw (are the types wrong) finds no problems in the tarball (esm-only profile)', () => {
    const r = spawnSync(join(BIN, 'attw'), ['--profile', 'esm-only', '--format', 'ascii', tarball], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `attw:\n${r.stdout}\n${r.stderr}`);
  });
});
