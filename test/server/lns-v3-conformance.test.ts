/**
 * The LNS's conformance observer judges L2TPv3 peers too (docs/conformance.md), by the v3 column
 * of the message rules (RFC 3931 §6): our own client, authenticated and hiding, breaks no rule;
 * a hand-built v3 SCCRQ without Router ID is reported citing RFC 3931 §6.1.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { openTunnel, type ConformanceReport, type Deviation } from '../../src/index.js';
import { createLns, udpTransport, type Lns } from '../../src/node.js';
import { encodeControl } from '../../src/wire/control.js';

let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});

async function until(f: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(f()).toBe(true);
}

describe('LNS conformance observer on v3 control connections', () => {
  it('our v3 client (authentication and hiding on): a report card for the tunnel, no deviation', async () => {
    lns = await createLns({ hostName: 'lns.test', port: 0, versions: [3], secret: 's3cret', hideAvps: true, conformance: 'strict', closeTimeout: 300, sequencer: { closeLinger: 150 } });
    const deviations: Deviation[] = [];
    const reports: ConformanceReport[] = [];
    lns.on('deviation', (_t, d) => deviations.push(d));
    lns.on('conformance-report', (_t, r) => reports.push(r));
    const tunnel = await openTunnel(await udpTransport({ host: '127.0.0.1', port: lns.address().port }), { version: 3, hostName: 'lcce.test', secret: 's3cret', hideAvps: true });
    const session = await tunnel.openSession({ kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 5 });
    await session.close();
    await tunnel.close();
    await until(() => reports.length === 1);
    expect(deviations).toEqual([]);
    expect(reports[0]!.verdict).toBe('pass');
    expect(reports[0]!.peerMessages).toMatchObject({ SCCRQ: 1, SCCCN: 1, ICRQ: 1, ICCN: 1, CDN: 1, StopCCN: 1 });
    // The v3-only rule rows were exercised on it (kept), not skipped.
    expect(reports[0]!.rules.find((r) => r.rule === 'avp.missing-required')).toMatchObject({ status: 'kept' });
  });

  it('a v3 SCCRQ without Router ID: a deviation naming RFC 3931 §6.1', async () => {
    lns = await createLns({ hostName: 'lns.test', port: 0, versions: [3], conformance: 'report' });
    const deviations: Deviation[] = [];
    lns.on('deviation', (_t, d) => deviations.push(d));
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const rq = encodeControl({ version: 3, type: 1, hostName: 'bad', assignedControlConnectionId: 0x01020304, pseudowireCapabilitiesList: [5] });
    sock.send(rq, lns.address().port, '127.0.0.1');
    await until(() => deviations.length > 0);
    sock.close();
    expect(deviations.find((d) => d.rule === 'avp.missing-required')).toMatchObject({ section: 'RFC 3931 §6.1', avp: 'Router ID' });
  });
});
