/**
 * Local misuse of the Sequencer and its options is a TypeError/RangeError whose message says what
 * to change (project rule; the Sequencer is public API). Each case pins the error class and the
 * whole message, so a guard that stops firing, or one that names the wrong thing, fails here.
 * The edge values come from the RFC: a peer Receive Window Size of 1 is legal (one message in flight;
 * only 0 is invalid, RFC 2661 §5.8), a linger of 0 ends closing at once, and only v2 (RFC 2661
 * §3.1) and v3 (RFC 3931 §3.2.1) control headers carry Ns/Nr at bytes 8–11.
 */
import { describe, expect, it } from 'vitest';
import { Sequencer, type SequencerOptions } from '../../src/reliable/index.js';

/** Runs `fn`, expecting exactly this error class and message. */
function throwsExactly(fn: () => unknown, type: typeof TypeError | typeof RangeError, message: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as Error).message).toBe(message);
}

/** A v2 control message (T, L, S, version 2), tunnel 1, 8-byte body; Ns/Nr zero. */
function ctl(flags = 0xc802, length = 20): Uint8Array {
  const b = new Uint8Array(Math.max(length, 12));
  b[0] = flags >>> 8;
  b[1] = flags & 0xff;
  b[3] = length;
  b[5] = 1;
  return b;
}

describe('options that are not options', () => {
  it('null and non-objects are a TypeError naming what was given', () => {
    throwsExactly(() => new Sequencer(null as never), TypeError, 'options must be an object or undefined, got null');
    throwsExactly(() => new Sequencer(5 as never), TypeError, 'options must be an object or undefined, got number');
    throwsExactly(() => new Sequencer('fast' as never), TypeError, 'options must be an object or undefined, got string');
  });

  it('a time given as a string is refused, not coerced', () => {
    throwsExactly(() => new Sequencer({ initialTimeout: '1000' as never }), RangeError, 'initialTimeout must be a finite number of milliseconds ≥ 1, got 1000');
    throwsExactly(() => new Sequencer({ backoff: '2' as never }), RangeError, 'backoff must be a finite number ≥ 1, got 2');
  });

  const cases: [SequencerOptions, string][] = [
    [{ ackDelay: -1 }, 'ackDelay must be a finite number of milliseconds ≥ 0, got -1'],
    [{ initialNr: 65536 }, 'initialNr must be an integer from 0 to 65535, got 65536'],
    [{ congestion: 'reno' as never }, "congestion must be one of 'rfc', 'fixed', 'stop-and-wait', got reno"],
  ];
  it.each(cases)('%o: a RangeError naming the option and its range', (options, message) => {
    throwsExactly(() => new Sequencer(options), RangeError, message);
  });

  it('the congestion mode chosen is the one in use (Appendix A slow start by default)', () => {
    expect(new Sequencer().congestion).toBe('rfc');
    expect(new Sequencer({ congestion: 'stop-and-wait' }).congestion).toBe('stop-and-wait');
    expect(new Sequencer({ congestion: 'fixed' }).congestion).toBe('fixed');
  });
});

describe('send: only a sequenced v2/v3 control message', () => {
  it('a data header (T=0) or another version is a TypeError showing the flags, as 4 hex digits', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    const what = 'bytes must start with a v2 or v3 control header (T, L, S set; O, P clear), got flags 0x';
    throwsExactly(() => seq.send(ctl(0x0002), 0), TypeError, `${what}0002`);
    throwsExactly(() => seq.send(ctl(0xc801), 0), TypeError, `${what}c801`); // L2F (RFC 2341)
    throwsExactly(() => seq.send(ctl(0xc804), 0), TypeError, `${what}c804`);
    expect(seq.send(ctl(0xc803), 0).transmit).toHaveLength(1); // v3 (RFC 3931 §3.2.1)
    expect(seq.send(ctl(0xc802), 0).transmit).toHaveLength(1);
  });

  it('a ZLB is a RangeError: it is never sequenced (§5.8), the owner sends it on out.ack', () => {
    throwsExactly(() => new Sequencer().send(ctl(0xc802, 12), 0), RangeError, 'a ZLB is not sequenced (RFC 2661 §5.8): send it yourself when an output has ack set, with its ackNs and ackNr');
  });
});

describe('receive, abandon, setPeerWindow, the clock', () => {
  it('receive: a non-object message is a TypeError saying what a message must be', () => {
    const seq = new Sequencer();
    throwsExactly(() => seq.receive(null as never, 0), TypeError, 'message must be a parsed control message with ns, nr and isZlb, got null');
    throwsExactly(() => seq.receive(7 as never, 0), TypeError, 'message must be a parsed control message with ns, nr and isZlb, got number');
  });

  it('abandon: linger must be a finite time ≥ 0; 0 closes at once', () => {
    throwsExactly(() => new Sequencer().abandon(0, Number.NaN), RangeError, 'linger must be a finite number of milliseconds ≥ 0, got NaN');
    throwsExactly(() => new Sequencer().abandon(0, '5' as never), RangeError, 'linger must be a finite number of milliseconds ≥ 0, got 5');
    const seq = new Sequencer();
    expect(seq.abandon(100, 0).closed).toBe(true);
    expect(seq.state).toBe('closed');
  });

  it('setPeerWindow: 1 is a legal Receive Window Size (one message in flight), 0 and non-integers are not', () => {
    const seq = new Sequencer({ congestion: 'fixed' });
    seq.setPeerWindow(1);
    expect(seq.peerWindow).toBe(1);
    expect(seq.send(ctl(), 0).transmit).toHaveLength(1);
    expect(seq.send(ctl(), 0).transmit).toHaveLength(0);
    expect(seq.inFlight).toBe(1);
    expect(() => seq.setPeerWindow('4' as never)).toThrow(RangeError);
    expect(() => seq.setPeerWindow(0)).toThrow(RangeError);
  });

  it('now given as a string is refused', () => {
    throwsExactly(() => new Sequencer().tick('5' as never), RangeError, 'now must be a finite number of milliseconds, got 5');
  });
});
