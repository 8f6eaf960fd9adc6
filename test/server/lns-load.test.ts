/**
 * Many tunnels and sessions at once against one LNS over loopback UDP: 200 tunnels × 5 sessions
 * opened, used and closed concurrently, with nothing left open afterwards (LNS gauges, timers,
 * and the process's socket/timer handles).
 */
import { describe, expect, it } from 'vitest';
import { createLns, udpTransport } from '../../src/node.js';
import { baseline, leakedSince } from '../transports/handles.js';
import { RawLac } from './raw-lac.js';

const TUNNELS = 200;
const SESSIONS = 5;

describe('createLns under load', () => {
  it(`${TUNNELS} tunnels × ${SESSIONS} sessions opened, echoing a frame each, and closed concurrently; nothing left open`, async () => {
    const before = await baseline();
    const lns = await createLns({ hostName: 'lns.load', port: 0, echo: true, limits: { maxHalfOpen: TUNNELS, maxHalfOpenPerSource: TUNNELS, maxTunnels: TUNNELS }, sequencer: { closeLinger: 200 } });
    const { port } = lns.address();
    let peakTimers = 0;
    let peakDeadlines = 0;
    const sample = setInterval(() => {
      peakTimers = Math.max(peakTimers, lns.stats.timers);
      peakDeadlines = Math.max(peakDeadlines, lns.stats.deadlines);
    }, 5);
    const t0 = performance.now();
    const lacs = await Promise.all(
      Array.from({ length: TUNNELS }, async () => {
        const lac = new RawLac(await udpTransport({ host: '127.0.0.1', port }), { sequencer: { closeLinger: 100 } });
        await lac.open();
        return lac;
      }),
    );
    // The LAC is up once its SCCCN is out; the LNS once that SCCCN is in.
    await expect.poll(() => lns.stats.established, { timeout: 10_000 }).toBe(TUNNELS);
    const tUp = performance.now();
    expect(lns.stats).toMatchObject({ tunnels: TUNNELS, established: TUNNELS, halfOpen: 0 });
    // Our Tunnel IDs are unique across the LNS.
    expect(new Set(lns.tunnels().map((t) => t.id)).size).toBe(TUNNELS);

    const sids = await Promise.all(lacs.map((lac) => Promise.all(Array.from({ length: SESSIONS }, () => lac.call()))));
    await expect.poll(() => lns.stats.sessions, { timeout: 10_000 }).toBe(TUNNELS * SESSIONS);
    const tSessions = performance.now();
    expect(lns.stats).toMatchObject({ sessions: TUNNELS * SESSIONS, sessionsOpened: TUNNELS * SESSIONS });

    // Data messages are not retransmitted (RFC 2661 §5.8 covers control only): send in waves the
    // loopback socket buffer can hold, so a kernel drop does not read as an LNS fault.
    const echoed = () => lacs.reduce((n, lac) => n + [...lac.frames.values()].reduce((m, f) => m + f.length, 0), 0);
    for (let w = 0; w < TUNNELS; w += 20) {
      lacs.slice(w, w + 20).forEach((lac, k) => sids[w + k]!.forEach((sid, j) => lac.send(sid, Uint8Array.of(0xc0, 0x21, (w + k) & 0xff, j))));
      await expect.poll(echoed, { timeout: 10_000 }).toBe(Math.min(w + 20, TUNNELS) * SESSIONS);
    }
    // Each frame came back on its own session.
    lacs.forEach((lac, i) => sids[i]!.forEach((sid, j) => expect([...lac.frames.get(sid)![0]!]).toEqual([0xc0, 0x21, i & 0xff, j])));

    // Hang up half of the calls by CDN; the rest go down with their tunnel's StopCCN.
    lacs.forEach((lac, i) => sids[i]!.slice(0, 2 + (i % 2)).forEach((sid) => lac.hangUp(sid)));
    await Promise.all(lacs.map((lac) => lac.close()));
    const tDown = performance.now();
    clearInterval(sample);
    await expect.poll(() => lns.stats.tunnels, { timeout: 10_000 }).toBe(0);
    expect(lns.stats).toMatchObject({ tunnels: 0, established: 0, halfOpen: 0, sessions: 0, timers: 0, deadlines: 0, tunnelsOpened: TUNNELS, sessionsOpened: TUNNELS * SESSIONS });
    expect(lns.stats).toMatchObject({ unknownTunnel: 0, malformed: 0, protocolErrors: 0, sccrqOverSourceQuota: 0, halfOpenEvicted: 0, sccrqOverTunnels: 0 });
    // One timer for the whole LNS, whatever the number of tunnels.
    expect(peakTimers).toBe(1);
    expect(peakDeadlines).toBeLessThanOrEqual(2 * TUNNELS + 64);
    await lns.close();
    expect(await leakedSince(before, 2000)).toEqual({});
    console.log(
      `[lns-load] ${TUNNELS} tunnels up in ${(tUp - t0).toFixed(0)} ms, ${TUNNELS * SESSIONS} sessions in ${(tSessions - tUp).toFixed(0)} ms, ` +
        `all down in ${(tDown - tSessions).toFixed(0)} ms (rough: shared 2-core machine); peak deadline entries ${peakDeadlines}`,
    );
  }, 60_000);
});
