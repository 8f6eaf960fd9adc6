/**
 * The HTML ladder renderer without a browser: what a hostile capture can put in the page (a Host
 * Name AVP holding markup) is escaped, and `ladderFromBytes` (for `probe`/`session`, which record
 * bytes and endpoints) labels messages as a capture would. Messages are written byte by byte from
 * RFC 2661 §3.1 / §4.4.
 */
import { describe, expect, it } from 'vitest';
import { endpointName, ladderFromBytes, ladderFromRecorded, renderLadderHtml } from '../../src/cli/html.js';
import { hex } from '../support/hex.js';

/** An SCCRQ whose only other AVP is a Host Name of `<script>alert(1)</script>`. */
const HOSTILE_SCCRQ = hex('c802 0033 0000 0000 0000 0000 8008 0000 0000 0001 001f 0000 0007 3c7363726970743e616c6572742831293c2f7363726970743e');
/** ZLB to tunnel 7, Ns 0, Nr 1. */
const ZLB = hex('c802 000c 0007 0000 0000 0001');

describe('renderLadderHtml', () => {
  const msgs = ladderFromBytes([
    { timestampUs: 1_000, src: { address: '::1', port: 40000 }, dst: { address: '::1', port: 1701 }, bytes: HOSTILE_SCCRQ },
    { timestampUs: 1_420, src: { address: '::1', port: 1701 }, dst: { address: '::1', port: 40000 }, bytes: ZLB },
  ]);

  it('labels messages from bytes, IPv6 endpoints in brackets, with the decoded AVPs attached', () => {
    expect(msgs.map((m) => [m.from, m.to, m.label])).toEqual([
      ['[::1]:40000', '[::1]:1701', 'SCCRQ tid=0 ns=0 nr=0'],
      ['[::1]:1701', '[::1]:40000', 'ZLB tid=7 ns=0 nr=1'],
    ]);
    expect(msgs[0]!.detail?.avps?.[1]).toMatchObject({ name: 'Host Name', decoded: '<script>alert(1)</script>' });
    expect(endpointName({ address: '192.0.2.1' })).toBe('192.0.2.1');
  });

  it('escapes what the peer sent: the page has exactly one script (its own) and the name as text', () => {
    const page = renderLadderHtml(msgs, { title: 'x <b>y</b>' });
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page).not.toContain('<b>y</b>');
    expect(page).toContain('+0.420 ms');
  });

  it('an empty exchange still renders a valid page', () => {
    const page = renderLadderHtml([]);
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('0 messages, 0 endpoints');
  });

  it('ladderFromRecorded: what probe/session record, sent and received, with the peer as fallback', () => {
    const m = ladderFromRecorded(
      [
        { direction: 'sent', wallMicros: 5_000, local: { address: '127.0.0.1', port: 40000 }, remote: undefined, bytes: HOSTILE_SCCRQ },
        { direction: 'received', wallMicros: 5_250, local: { address: '127.0.0.1', port: 40000 }, remote: { address: '127.0.0.1', port: 1701 }, bytes: ZLB },
      ],
      { host: '127.0.0.1', port: 1701 },
    );
    expect(m.map((x) => [x.from, x.to, x.label, x.timestampUs])).toEqual([
      ['127.0.0.1:40000', '127.0.0.1:1701', 'SCCRQ tid=0 ns=0 nr=0', 5_000],
      ['127.0.0.1:1701', '127.0.0.1:40000', 'ZLB tid=7 ns=0 nr=1', 5_250],
    ]);
  });
});
