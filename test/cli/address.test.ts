/** HOST, HOST:PORT, [IPV6], [IPV6]:PORT on the command line, and how they are printed back. */
import { describe, expect, it } from 'vitest';
import { formatEndpoint, parseEndpoint } from '../../src/cli/address.js';
import { UsageError } from '../../src/cli/args.js';

describe('parseEndpoint', () => {
  it.each([
    ['127.0.0.1', { host: '127.0.0.1' }],
    ['127.0.0.1:1701', { host: '127.0.0.1', port: 1701 }],
    ['lns.example', { host: 'lns.example' }],
    ['lns.example:1702', { host: 'lns.example', port: 1702 }],
    ['[::1]', { host: '::1' }],
    ['[::1]:22010', { host: '::1', port: 22010 }],
    ['::1', { host: '::1' }],
    ['2001:db8::7', { host: '2001:db8::7' }],
  ])('%s', (text, want) => {
    expect(parseEndpoint(text, 'host')).toEqual(want);
  });

  it.each([
    ['bad host!', 'bad host "bad host!": give HOST, HOST:PORT, [IPV6] or [IPV6]:PORT'],
    ['[lns.example]:1701', 'brackets hold an IPv6 address'],
    ['127.0.0.1:0', 'bad port in host "127.0.0.1:0": a whole number from 1 to 65535'],
    ['127.0.0.1:65536', 'a whole number from 1 to 65535'],
    ['127.0.0.1:x', 'bad port'],
    ['[::1]:', 'bad port'],
    ['', 'bad host'],
  ])('%j is refused with a UsageError saying which forms work', (text, message) => {
    expect(() => parseEndpoint(text, 'host')).toThrow(UsageError);
    expect(() => parseEndpoint(text, 'host')).toThrow(message);
  });

  it('a listener may ask for port 0', () => {
    expect(parseEndpoint('127.0.0.1:0', '--listen', 0)).toEqual({ host: '127.0.0.1', port: 0 });
  });
});

describe('formatEndpoint', () => {
  it('brackets IPv6 (RFC 3986 §3.2.2) and nothing else', () => {
    expect(formatEndpoint('::1', 22010)).toBe('[::1]:22010');
    expect(formatEndpoint('127.0.0.1', 1701)).toBe('127.0.0.1:1701');
    expect(formatEndpoint('lns.example', 1701)).toBe('lns.example:1701');
  });
});
