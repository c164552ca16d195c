/**
 * The HTML report in a real browser: Debian's headless Chromium (/usr/bin/chromium, which .ci/run
 * installs when missing) driven by playwright-core opens the file offline. No console errors, no
 * request beyond the file itself, the chart elements present, and screenshots of the charts show
 * each candidate's colour (the pixels are counted by the browser's own PNG decoder).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startChatUpstream, type ChatUpstream } from '../fakes/openai/chat.js';
import { memoryIo } from '../helpers/io.js';

const KEY = 'sk-test-eval-html-0123456789';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Runs in the page (the test's TypeScript has no DOM types): decodes a PNG and counts pixels near each candidate colour. */
const COUNT_COLOURS = `(async () => {
  const img = new Image();
  img.src = 'data:image/png;base64,PNG';
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const px = g.getImageData(0, 0, img.width, img.height).data;
  const near = (i, r, gg, b) => Math.abs(px[i] - r) < 40 && Math.abs(px[i + 1] - gg) < 40 && Math.abs(px[i + 2] - b) < 40;
  let blue = 0, red = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (near(i, 37, 99, 235)) blue++;
    if (near(i, 220, 38, 38)) red++;
  }
  return { blue, red };
})()`;
let up: ChatUpstream;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  const rows = (right: (i: number) => boolean, delay: number) => Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`q${i + 1}`, { text: right(i) ? `a${i + 1}` : `<b>wrong</b> & ${i}`, ttftMs: delay + i * 3, usage: { input: 400, output: 40 } }]));
  up = await startChatUpstream({ apiKey: KEY, table: { fast: rows((i) => i !== 3, 5), slow: rows((i) => i % 3 === 0, 25) } });
  dir = mkdtempSync(join(tmpdir(), 'llmgw-e2e-html-'));
  writeFileSync(join(dir, 'held.jsonl'), Array.from({ length: 8 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `q${i + 1}` }, { role: 'assistant', content: `a${i + 1}` }] })).join('\n') + '\n');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS });
});

afterAll(async () => {
  await browser?.close();
  await up?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('llmgw eval --html', () => {
  it('writes one offline page that Chromium renders without errors, charts included', async () => {
    const io = memoryIo({ cwd: dir, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: up.baseURL, LLMGW_CONFIG_DIR: join(dir, '.config'), NO_COLOR: '1' } });
    const code = await main(['eval', '--data', 'held.jsonl', 'openai:fast', 'openai:slow', '--score', 'exact', '--price', 'openai:fast=0.4,1.6', '--price', 'openai:slow=2,8', '--html', 'report.html'], io);
    expect(code, io.err()).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain('&lt;b&gt;wrong&lt;/b&gt; &amp; 3');

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await page.goto(url);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);

    expect(await page.locator('#chart-scores circle.score-dot').count()).toBe(2);
    expect(await page.locator('#chart-scores line.ci').count()).toBe(2);
    expect(await page.locator('#chart-cost circle.cost-dot').count()).toBe(2);
    expect(await page.locator('#chart-latency rect.latency-box').count()).toBe(4);
    expect(await page.locator('table.worst').count()).toBe(2);
    expect(await page.locator('#figures tr').count()).toBe(3);

    const shot = await page.screenshot({ fullPage: true });
    writeFileSync(join(dir, 'report.png'), shot);
    expect(shot.readUInt32BE(16)).toBe(1200); // PNG IHDR width

    // Each chart's screenshot holds both candidates' colours (#2563eb, #dc2626), decoded by the browser.
    for (const id of ['#chart-scores', '#chart-cost', '#chart-latency']) {
      const png = (await page.locator(id).screenshot()).toString('base64');
      const counts = (await page.evaluate(COUNT_COLOURS.replace('PNG', png))) as { blue: number; red: number };
      expect(counts.blue, id).toBeGreaterThan(20);
      expect(counts.red, id).toBeGreaterThan(20);
    }
    await page.close();
  });
});
