/**
 * The `decode --html` page in headless Chromium, opened from a file with every network request
 * refused (it must work offline): one arrow and one expandable entry per message, clicking an
 * arrow opens that message's AVPs, nothing logs an error. The screenshot is kept as a test
 * artifact in test/.artifacts/ (gitignored). A missing Chromium FAILS this test (repo policy: no
 * skipped browser test); L2TP_WIRE_CHROMIUM overrides /usr/bin/chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createLns } from '../../src/node.js';
import { readCaptureFile } from '../../src/pcap/container.js';

const CHROMIUM = process.env.L2TP_WIRE_CHROMIUM ?? '/usr/bin/chromium';
const DIR = join(__dirname, '../vectors/pcap');
const ARTIFACTS = join(__dirname, '../.artifacts');
const META = JSON.parse(readFileSync(join(DIR, 'meta.json'), 'utf8')) as { lnsPort: number; secret: string };
const tmp = mkdtempSync(join(tmpdir(), 'l2tp-html-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('decode --html in headless Chromium', () => {
  it('shows every message, expands one to its AVPs on click, logs no error, offline', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} not found: apt-get install -y chromium (or set L2TP_WIRE_CHROMIUM)`).toBe(true);
    const html = join(tmp, 'ladder.html');
    const code = await main(['decode', join(DIR, 'xl2tpd-tshark.pcapng'), '--port', String(META.lnsPort), '--secret', META.secret, '--html', html, '--json'], { out: () => {}, err: () => {} });
    expect(code).toBe(0);
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'l2tp-html-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: 60_000,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      const outside: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
        outside.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(html).href);
      // Page code as strings: the repo's tsconfig has no DOM types (tests run in Node).
      const counts = (await page.evaluate(`({
        arrows: document.querySelectorAll('svg g.msg').length,
        entries: document.querySelectorAll('details.msg').length,
        open: document.querySelectorAll('details.msg[open]').length,
        labels: Array.from(document.querySelectorAll('svg g.msg text.label'), (t) => t.textContent).slice(0, 3),
      })`)) as { arrows: number; entries: number; open: number; labels: string[] };
      expect(counts).toEqual({ arrows: 25, entries: 25, open: 0, labels: [expect.stringMatching(/^SCCRQ tid=0/), expect.stringMatching(/^SCCRP tid=\d+/), expect.stringMatching(/^SCCCN/)] });
      await page.click('svg g.msg[data-i="1"] text.label', { timeout: 10_000 });
      const expanded = (await page.evaluate(`(() => {
        const d = document.getElementById('m1');
        return { open: d.open, avps: d.querySelectorAll('tr.avp').length, text: d.textContent };
      })()`)) as { open: boolean; avps: number; text: string };
      expect(expanded.open).toBe(true);
      expect(expanded.avps).toBe(12); // xl2tpd's SCCRP: 12 AVPs (tshark shows the same)
      expect(expanded.text).toContain('lns-pcap');
      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = join(ARTIFACTS, 'decode-ladder.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect({ errors, outside }).toEqual({ errors: [], outside: [] });
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('session --html: one arrow per datagram the same run wrote to --pcap, SCCRQ first, StopCCN among them, no error', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} not found: apt-get install -y chromium (or set L2TP_WIRE_CHROMIUM)`).toBe(true);
    const lns = await createLns({ host: '127.0.0.1', port: 0, hostName: 'html-lns', closeTimeout: 0 });
    const html = join(tmp, 'session.html');
    const pcap = join(tmp, 'session.pcap');
    let code: number;
    try {
      code = await main(['session', `127.0.0.1:${lns.address().port}`, '--html', html, '--pcap', pcap, '--json'], { out: () => {}, err: () => {} });
    } finally {
      await lns.close();
    }
    expect(code).toBe(0);
    // The count comes from the pcap, read by the capture reader (not by the page's renderer).
    const datagrams = readCaptureFile(new Uint8Array(readFileSync(pcap))).frames.length;
    expect(datagrams).toBeGreaterThanOrEqual(8); // SCCRQ SCCRP SCCCN ICRQ ICRP ICCN StopCCN + acks
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'l2tp-html-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'], timeout: 60_000 });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(pathToFileURL(html).href);
      const labels = (await page.evaluate(`Array.from(document.querySelectorAll('svg g.msg text.label'), (t) => t.textContent)`)) as string[];
      expect(labels).toHaveLength(datagrams);
      expect(labels[0]).toMatch(/^SCCRQ tid=0/);
      expect(labels.some((l) => /^StopCCN/.test(l))).toBe(true);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'session-ladder.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
