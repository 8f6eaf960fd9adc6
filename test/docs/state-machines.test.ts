import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../scripts/state-diagrams.js';
import { TUNNEL_TRANSITIONS } from '../../src/fsm/table.js';

describe('docs/state-machines.md', () => {
  it('is what test/scripts/state-diagrams.ts renders from the FSM tables (run npm run docs:state)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'state-machines.md'), 'utf8');
    expect(committed).toBe(render());
  });
  it('draws every transition of the tunnel table', () => {
    const doc = render();
    for (const r of TUNNEL_TRANSITIONS) for (const f of r.from) expect(doc).toContain(`${f.replace(/-/g, '_')} --> ${r.next.replace(/-/g, '_')}: ${r.event}`);
  });
});
