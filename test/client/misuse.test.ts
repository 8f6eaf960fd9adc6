/**
 * The driver takes the transport over: options it refuses (a local error) still close it, so
 * `openTunnel(await udpTransport(…), badOptions)` leaks no socket — unless `keepTransport`.
 */
import { describe, expect, it } from 'vitest';
import { establishSession, openTunnel, probe } from '../../src/index.js';
import { memoryTransportPair } from '../../src/testing/index.js';

describe('driver misuse closes the transport it was handed', () => {
  it.each([
    ['openTunnel', (t: Parameters<typeof openTunnel>[0]) => openTunnel(t, { hideAvps: true })],
    ['establishSession', (t: Parameters<typeof openTunnel>[0]) => establishSession(t, { hideAvps: true })],
    ['probe', (t: Parameters<typeof openTunnel>[0]) => probe(t, { stopResult: -1 })],
  ] as const)('%s with invalid options rejects with a local error and closes the transport', async (_name, call) => {
    const { a } = memoryTransportPair();
    const error = await call(a).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
    expect(a.closed).toBe(true);
  });

  it('keepTransport: the transport stays the caller’s', async () => {
    const { a } = memoryTransportPair();
    await expect(openTunnel(a, { hideAvps: true, keepTransport: true })).rejects.toBeInstanceOf(TypeError);
    expect(a.closed).toBe(false);
    await a.close();
  });
});
