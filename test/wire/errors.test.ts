import { describe, expect, it } from 'vitest';
import { L2tpError } from '../../src/wire/errors.js';
import { parseControl } from '../../src/wire/control.js';

const limitOf = () => (Error as { stackTraceLimit?: number }).stackTraceLimit;

describe('L2tpError: ordinary outcomes are cheap (issue 16)', () => {
  it('an outcome (PEER_STOPPED, TIMEOUT, …) has no stack frames; the global limit is left as it was', () => {
    const before = limitOf();
    for (const code of ['PEER_STOPPED', 'TIMEOUT', 'PROTOCOL', 'AUTH_FAILED', 'ABORTED', 'TRANSPORT'] as const) {
      const e = new L2tpError(code, 'the peer sent StopCCN');
      // V8 keeps the header line; JavaScriptCore (Bun) leaves no stack at all. No frames either way.
      expect([undefined, 'L2tpError: the peer sent StopCCN']).toContain(e.stack);
      expect(e).toBeInstanceOf(L2tpError);
      expect(e).toBeInstanceOf(Error);
      expect(e.code).toBe(code);
    }
    expect(limitOf()).toBe(before);
  });

  it('a parse error (made with a stack) leaves the global limit as it was too', () => {
    const before = limitOf();
    expect(typeof before).toBe('number');
    const e = new L2tpError('BAD_LENGTH', 'Length 106 exceeds the 12 bytes received', 2);
    expect(e.stack).toMatch(/\n\s+at /);
    expect(limitOf()).toBe(before);
  });

  it('when someone has set Error.stackTraceLimit to a non-number, an outcome leaves it alone', () => {
    const ctor = Error as { stackTraceLimit?: number };
    const before = ctor.stackTraceLimit;
    try {
      ctor.stackTraceLimit = undefined;
      const e = new L2tpError('TIMEOUT', 'no ack');
      expect(e.code).toBe('TIMEOUT');
      expect(ctor.stackTraceLimit).toBeUndefined();
    } finally {
      ctor.stackTraceLimit = before;
    }
  });

  it('in a realm where Error.stackTraceLimit is read-only (a frozen realm), outcomes are still made', async () => {
    const desc = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
    expect(desc?.configurable).toBe(true);
    Object.defineProperty(Error, 'stackTraceLimit', { ...desc, writable: false });
    try {
      // A fresh copy of the module, which looks at the property once, when it loads.
      const specifier = '../../src/wire/errors.js?read-only-stack-trace-limit';
      const fresh = (await import(/* @vite-ignore */ specifier)) as typeof import('../../src/wire/errors.js');
      expect(fresh.L2tpError).not.toBe(L2tpError);
      const e = new fresh.L2tpError('TIMEOUT', 'no ack');
      expect([e.name, e.code, e.message]).toEqual(['L2tpError', 'TIMEOUT', 'no ack']);
      expect(limitOf()).toBe(desc!.value);
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', desc!);
    }
  });

  it('a parse error keeps its stack (it points at the caller) and its code, offset and message', () => {
    let caught: unknown;
    try {
      parseControl(new Uint8Array([0xc8, 0x02, 0x00, 0x20]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(L2tpError);
    const e = caught as L2tpError;
    expect(e.stack).toMatch(/\n\s+at /);
    expect(typeof e.offset).toBe('number');
    expect(e.message).toContain(`(at byte ${e.offset})`);
  });

  it('JSON shape is unchanged: name, code, offset (and nothing about the stack)', () => {
    expect(JSON.parse(JSON.stringify(new L2tpError('TIMEOUT', 'no ack')))).toEqual({ name: 'L2tpError', code: 'TIMEOUT' });
    expect(JSON.parse(JSON.stringify(new L2tpError('BAD_LENGTH', 'short', 4)))).toEqual({ name: 'L2tpError', code: 'BAD_LENGTH', offset: 4 });
    const withCause = new L2tpError('PROTOCOL', 'inner', undefined, { cause: 'x' });
    expect(withCause.cause).toBe('x');
  });
});
