import { describe, expect, it } from 'vitest';
import { Sequencer } from '../../src/reliable/sequencer.js';
import { resolveOptions } from '../../src/reliable/options.js';
import { TunnelFsm } from '../../src/fsm/tunnel.js';
import { resolveTunnelOptions } from '../../src/fsm/options.js';

describe('options shared among many tunnels (issue 16: nothing per tunnel)', () => {
  it('resolveOptions returns a frozen object, and returns it as is when given it back', () => {
    const r = resolveOptions({ receiveWindow: 8 });
    expect(Object.isFrozen(r)).toBe(true);
    expect(resolveOptions(r)).toBe(r);
    expect(resolveOptions({ receiveWindow: 8 })).not.toBe(r); // a plain object is resolved afresh
  });

  it('Sequencer(options, initialNr): the second argument sets Nr, the options stay shared', () => {
    const r = resolveOptions(undefined);
    const a = new Sequencer(r, 7);
    const b = new Sequencer(r, 0xffff);
    expect([a.nextNr, b.nextNr, new Sequencer(r).nextNr]).toEqual([7, 0xffff, 0]);
    expect(() => new Sequencer(r, 65536)).toThrow(RangeError);
    expect(() => new Sequencer(r, -1)).toThrow(/initialNr/);
  });

  it('TunnelFsm(options, localTunnelId): the ID overrides the options; resolved options are reused', () => {
    const o = resolveTunnelOptions({ hostName: 'lns', random: (n) => new Uint8Array(n).fill(1) });
    expect(resolveTunnelOptions(o)).toBe(o);
    expect(Object.isFrozen(o)).toBe(true);
    expect(new TunnelFsm(o, 4242).localTunnelId).toBe(4242);
    expect(new TunnelFsm({ hostName: 'x', random: () => new Uint8Array([0, 9]), localTunnelId: 5 }, 6).localTunnelId).toBe(6);
    expect(() => new TunnelFsm(o, 0)).toThrow(RangeError);
  });
});
