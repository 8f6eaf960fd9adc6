/**
 * The conformance observer on L2TPv3 peers (RFC 3931): `avp.missing-required` reads the v3 column
 * of MESSAGE_RULES (the rows the state machines refuse by), so a v3 message is held to RFC 3931
 * §6's lists, not RFC 2661's. Messages are written by hand from §3.2.1's header and §5.4's AVPs.
 */
import { describe, expect, it } from 'vitest';
import { ConformanceObserver } from '../../src/conformance/index.js';
import { MESSAGE_RULES } from '../../src/fsm/index.js';
import { encodeControl } from '../../src/wire/control.js';

/** A v3 SCCRQ with the four AVPs §6.1 requires (Host Name, Router ID, Assigned CCID, PW Capabilities List). */
const sccrq = (o: { routerId?: number } = { routerId: 0xc0000201 }) =>
  encodeControl({ version: 3, type: 1, hostName: 'lcce-a', ...o, assignedControlConnectionId: 0x01020304, pseudowireCapabilitiesList: [5] });

describe('conformance observer, L2TPv3 peers', () => {
  it('a v3 SCCRQ with every AVP RFC 3931 §6.1 requires breaks no rule (no v2 AVP is asked of it)', () => {
    const obs = new ConformanceObserver();
    expect(obs.received(sccrq(), 0)).toEqual([]);
  });

  it('a v3 SCCRQ without Router ID: avp.missing-required, citing RFC 3931 §6.1', () => {
    const obs = new ConformanceObserver();
    const d = obs.received(sccrq({}), 0);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ rule: 'avp.missing-required', severity: 'MUST', section: 'RFC 3931 §6.1', avp: 'Router ID', messageType: 'SCCRQ' });
  });

  it('a v3 ICRQ without Circuit Status (required by §6.6 in v3, not in v2): found; a v2 ICRQ is not asked for it', () => {
    const obs = new ConformanceObserver();
    obs.received(sccrq(), 0);
    const icrq = encodeControl({ version: 3, type: 10, controlConnectionId: 7, ns: 1, localSessionId: 0x11, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, remoteEndId: new Uint8Array([0x65]) });
    const d = obs.received(icrq, 1).filter((x) => x.rule === 'avp.missing-required');
    expect(d.map((x) => [x.avp, x.section])).toEqual([['Circuit Status', 'RFC 3931 §6.6']]);
    // The same rows drive the state machines (rows, not copies).
    expect(MESSAGE_RULES.find((r) => r.type === 10)!.v3!.required).toContain(71);
    expect(MESSAGE_RULES.find((r) => r.type === 10)!.v2!.required).not.toContain(71);
  });
});
