// Seed the fuzz corpora from the real captures: one file per datagram of test/vectors/*.hex
// (two xl2tpd 1.3.18 peers; see that folder's README.md). Run from the repository root:
//   node test/fuzz/seed-corpus.mjs
// Files are named by content hash, so re-running adds nothing twice.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const vectors = join(here, '../vectors');
const corpus = join(here, 'corpus');

const messages = [];
for (const f of readdirSync(vectors).filter((n) => n.endsWith('.hex')).sort()) {
  for (const line of readFileSync(join(vectors, f), 'utf8').split('\n')) {
    const hex = line.trim().split(/\s+/).at(-1);
    if (!line.startsWith('#') || !hex || !/^[0-9a-f]+$/i.test(hex)) continue;
    messages.push(Uint8Array.from(hex.match(/../g), (h) => parseInt(h, 16)));
  }
}

function put(target, bytes) {
  const dir = join(corpus, target);
  mkdirSync(dir, { recursive: true });
  const name = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  writeFileSync(join(dir, name), bytes);
}

const u16 = (b, o) => (b[o] << 8) | b[o + 1];
const isControl = (b) => b.length >= 2 && (b[0] & 0x80) !== 0;

/** Hidden AVPs with the Random Vector before them (RFC 2661 §4.3), in the unhide target's layout. */
function hiddenSeeds(b) {
  const out = [];
  if (!isControl(b) || b.length < 12) return out;
  const end = Math.min(u16(b, 2), b.length);
  let rv;
  for (let o = 12; o + 6 <= end; ) {
    const w = u16(b, o);
    const len = w & 0x3ff;
    if (len < 6 || o + len > end) break;
    const vendor = u16(b, o + 2);
    const type = u16(b, o + 4);
    const value = b.subarray(o + 6, o + len);
    if (vendor === 0 && type === 36 && !(w & 0x4000)) rv = value;
    else if (w & 0x4000 && rv && rv.length < 256) out.push(Uint8Array.from([type >> 8, type & 255, rv.length, ...rv, ...value]));
    o += len;
  }
  return out;
}

let n = 0;
for (const m of messages) {
  put('parse-control', m);
  put('parse-header', m);
  put('tunnel-fsm', m);
  if (!isControl(m) || m.length === 12) put('parse-data', m);
  for (const h of hiddenSeeds(m)) put('unhide', h);
  n++;
}
console.log(`${n} datagrams from ${vectors}`);
for (const t of readdirSync(corpus)) console.log(`${t}: ${readdirSync(join(corpus, t)).length} files`);
