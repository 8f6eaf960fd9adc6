/** The one event printer: one readable line, or one JSON line, per event. */
import { describe, expect, it } from 'vitest';
import { eventJson, formatEvent, type CliEvent } from '../../src/cli/events.js';

const up: CliEvent = { time: '2026-12-06T23:14:02.017Z', event: 'tunnel-up', tunnel: 58895, peer: '[::1]:40478', transport: 'udp', hostName: 'lac', authenticated: true };
const down: CliEvent = { time: '2026-12-06T23:14:03.500Z', event: 'tunnel-down', tunnel: 58895, peer: '[::1]:40478', transport: 'udp', by: 'local', error: 'TIMEOUT: no acknowledgement' };

describe('event printer', () => {
  it('one readable line with the time of day', () => {
    expect(formatEvent(up)).toBe('23:14:02.017 tunnel 58895 up: peer [::1]:40478, host name "lac", over udp, authenticated');
    expect(formatEvent(down)).toBe('23:14:03.500 tunnel 58895 down: peer [::1]:40478, over udp, ended by us, TIMEOUT: no acknowledgement');
    expect(formatEvent({ time: up.time, event: 'session-up', tunnel: 3, session: 4, peerSession: 5, kind: 'incoming' })).toBe('23:14:02.017 session 4 on tunnel 3 up: incoming call, peer session 5');
  });

  it("a peer's StopCCN is said once, by its result", () => {
    const e: CliEvent = { time: up.time, event: 'tunnel-down', tunnel: 1, by: 'peer', said: 'StopCCN result 1 (general request to clear)', error: 'PEER_STOPPED: peer sent StopCCN (result 1)' };
    expect(formatEvent(e)).toBe('23:14:02.017 tunnel 1 down: ended by the peer, StopCCN result 1 (general request to clear)');
  });

  it('one JSON line that parses back to the same event', () => {
    const line = eventJson(up);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(up);
  });
});
