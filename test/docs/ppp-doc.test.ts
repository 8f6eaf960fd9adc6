import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, render } from '../scripts/ppp-diagram.js';
import { AUTOMATON_TRANSITIONS } from '../../src/ppp/automaton.js';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'ppp.md'), 'utf8');

describe('docs/ppp.md', () => {
  it('has the automaton section test/scripts/ppp-diagram.ts renders from src/ppp/automaton.ts (run npm run docs:ppp)', () => {
    const section = doc.slice(doc.indexOf(BEGIN), doc.indexOf(END) + END.length);
    expect(section).toBe(render());
  });
  it('the table reads like the RFC\'s: cells as RFC 1661 §4.1 prints them', () => {
    const cells = (event: string) => doc.split('\n').find((l) => l.startsWith(`| ${event} |`))!.split('|').slice(2, 12).map((c) => c.trim());
    expect(cells('RCR+')).toEqual(['–', '–', 'sta/2', 'irc,scr,sca/8', '4', '5', 'sca/8', 'sca,tlu/9', 'sca/8', 'tld,scr,sca/8']);
    expect(cells('RTR')).toEqual(['–', '–', 'sta/2', 'sta/3', 'sta/4', 'sta/5', 'sta/6', 'sta/6', 'sta/6', 'tld,zrc,sta/5']);
    expect(cells('TO-')).toEqual(['–', '–', '–', '–', 'tlf/2', 'tlf/3', 'tlf/3p', 'tlf/3p', 'tlf/3p', '–']);
    expect(AUTOMATON_TRANSITIONS.length).toBe(120);
  });
});
