import { it } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import { memoryTransportPair } from '../../src/transports/memory.js';
import { seededRandom } from '../fsm/harness.js';
it('dbg', async () => {
  const link = memoryTransportPair();
  let now = 0;
  const timers = new Map<number, { at: number; cb: () => void }>();
  let id = 1;
  const vt = { setTimeout: (cb: () => void, ms: number) => { timers.set(id, { at: now + ms, cb }); return id++; }, clearTimeout: (h: unknown) => void timers.delete(h as number) };
  const flush = async () => { for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r)); };
  let settled = '';
  openTunnel(link.a, { localTunnelId: 0xaffa, random: seededRandom(3), clock: () => now, timers: vt, timeout: 10002 }).then(
    () => (settled = `resolved at ${now}`), (e) => (settled = `rejected at ${now}: ${e.code} ${e.message}`));
  await flush();
  await link.b.send(Uint8Array.from([200,2,0,56,175,250,0,0,0,0,0,1,128,8,0,0,0,0,0,2,128,10,0,0,0,3,0,0,0,3,128,10,0,0,0,7,98,105,110,100,128,8,0,0,0,9,255,251,128,8,0,0,0,10,0,4]));
  await flush();
  while (!settled && timers.size) {
    const [k, t] = [...timers].sort((a, b) => a[1].at - b[1].at)[0]!;
    timers.delete(k); now = t.at; t.cb(); await flush();
  }
  console.log(settled, 'timers left', timers.size, 'closed', link.a.closed);
  console.log(link.log.map((r) => `${r.from}:${r.message.length}@${r.message[9]}`).join(' '));
});
