/// <reference lib="dom" />
// Renderer measurement: the built renderer in Chromium through the e2e host (tests/e2e/host.ts)
// on a generated 100k-lot inventory. A scripted scroll (smooth wheel-like steps, then jumps
// across the whole list) and a typed search; counts long tasks (> 50 ms, PerformanceObserver
// 'longtask') and measures keystroke to echo and keystroke to updated rows. A Chromium trace of
// the same phases gives each main-thread task's CPU time: on a shared machine a task's wall time
// includes the time the thread waited for a core, its CPU time is the page's own work.
//   npm run bench:renderer [-- --size=100000]      (builds the renderer first)
import { copyFileSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { startHost } from '../tests/e2e/host';
import { MIGRATIONS_DIR, REPO_ROOT, generatedDb } from './generate';
import { summarize } from './stats';

const sizeArg = process.argv.find((a) => a.startsWith('--size='));
const SIZE = sizeArg ? Number(sizeArg.slice(7)) : 100_000;
const log = (s: string) => process.stderr.write(`${s}\n`);
try {
  os.setPriority(10);
} catch {
  // normal priority
}

/** Main-thread tasks over 50 ms wall time in a Chromium trace: their wall and CPU times. */
interface TraceTasks {
  wallMs: number[];
  cpuMs: number[];
  /** CPU time of every main-thread task (ms), long or not. */
  allCpuMs: number[];
}

async function startTrace(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  });
  return cdp;
}

async function stopTrace(cdp: CDPSession): Promise<TraceTasks> {
  type Ev = { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } };
  const events: Ev[] = [];
  cdp.on('Tracing.dataCollected', (e: { value: unknown[] }) => events.push(...(e.value as Ev[])));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tasks = events.filter(
    (e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.name === 'RunTask' && e.dur !== undefined,
  );
  const long = tasks.filter((e) => e.dur! > 50_000);
  return {
    wallMs: long.map((e) => e.dur! / 1000),
    cpuMs: long.map((e) => (e.tdur ?? e.dur!) / 1000),
    allCpuMs: tasks.map((e) => (e.tdur ?? e.dur!) / 1000),
  };
}

declare global {
  interface Window {
    __longtasks: { start: number; duration: number }[];
  }
}

async function main() {
  const gen = generatedDb(SIZE, log);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'blockshelf-renderer-'));
  copyFileSync(gen.file, path.join(dataDir, 'blockshelf.db'));
  const host = await startHost({ dataDir, migrationsDir: MIGRATIONS_DIR, logToFile: false });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      // Every inventory.list answer, with its search text and when it arrived.
      const w = window as unknown as { __lists: { search: string; t: number }[] };
      w.__lists = [];
      const realFetch = window.fetch.bind(window);
      window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const res = await realFetch(input, init);
        try {
          const body =
            typeof init?.body === 'string' ? (JSON.parse(init.body) as { channel?: string; input?: { search?: string } }) : null;
          if (body?.channel === 'inventory.list') {
            const clone = res.clone();
            void clone.text().then(() => w.__lists.push({ search: body.input?.search ?? '', t: performance.now() }));
          }
        } catch {
          // not a bridge call
        }
        return res;
      };
      window.__longtasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const t0 = Date.now();
    await page.goto(host.url);
    const count = page.getByTestId('lot-count');
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid=lot-count]')?.textContent ?? ''));
    const firstRows = Date.now() - t0;
    log(`first rows after ${firstRows} ms: ${await count.textContent()}`);
    const longBefore = await page.evaluate(() => window.__longtasks.length);
    const scrollTrace = await startTrace(page);
    const loadBefore = os.loadavg()[0] ?? 0;

    // 1. Smooth scrolling: 400 frames of 1,200 px (about 35 rows a frame).
    const smooth = await page.evaluate(async () => {
      const el = document.querySelector('.grid') as HTMLElement;
      const frames: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 400; i++) {
        el.scrollTop += 1200;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        frames.push(now - last);
        last = now;
      }
      return { frames, rows: Math.round(el.scrollTop / 34) };
    });
    // 2. Jumps across the whole list (scrollbar drags): 40 positions, wait for real rows.
    const jumps = await page.evaluate(async () => {
      const el = document.querySelector('.grid') as HTMLElement;
      const times: number[] = [];
      for (let i = 1; i <= 40; i++) {
        const t = performance.now();
        el.scrollTop = ((el.scrollHeight - el.clientHeight) * i) / 40;
        for (;;) {
          await new Promise((r) => requestAnimationFrame(() => r(null)));
          const busy = el.querySelectorAll('[role=row][aria-busy=true]').length;
          const rows = el.querySelectorAll('[role=row]').length;
          if ((rows > 0 && busy === 0) || performance.now() - t > 5000) break;
        }
        times.push(performance.now() - t);
      }
      return times;
    });
    const scrollLong = await page.evaluate((n) => window.__longtasks.slice(n), longBefore);
    const scrollTasks = await stopTrace(scrollTrace);

    // 3. Typed search: keystroke -> echo in the box (next frame) and -> rows updated.
    await page.evaluate(() => ((document.querySelector('.grid') as HTMLElement).scrollTop = 0));
    const box = page.getByRole('searchbox', { name: 'Search inventory' });
    await box.click();
    const longBeforeSearch = await page.evaluate(() => window.__longtasks.length);
    const searchTrace = await startTrace(page);
    const perKey: { key: string; echo: number; rows: number }[] = [];
    for (const word of ['technic', 'brick 2 x 4', '3001']) {
      await box.fill('');
      await page.waitForFunction(() => !/Loading/.test(document.querySelector('[data-testid=lot-count]')?.textContent ?? ''));
      await page.waitForTimeout(400);
      for (const ch of word) {
        const echo = await page.evaluate(async (c) => {
          const input = document.querySelector('input[type=search]') as HTMLInputElement;
          const t = performance.now();
          input.focus();
          // as a typed key: keydown, the value change React listens to, keyup
          input.dispatchEvent(new KeyboardEvent('keydown', { key: c, bubbles: true }));
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
          setter.call(input, input.value + c);
          input.dispatchEvent(new InputEvent('input', { bubbles: true, data: c, inputType: 'insertText' }));
          input.dispatchEvent(new KeyboardEvent('keyup', { key: c, bubbles: true }));
          (window as unknown as { __keyAt: number }).__keyAt = t;
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          return performance.now() - t;
        }, ch);
        // rows updated: the answer for the box's text has arrived and the next frame is painted
        const rows = await page.evaluate(async () => {
          const w = window as unknown as { __keyAt: number; __lists: { search: string; t: number }[] };
          const t = w.__keyAt;
          const text = (document.querySelector('input[type=search]') as HTMLInputElement).value;
          for (;;) {
            await new Promise((r) => requestAnimationFrame(() => r(null)));
            const done = w.__lists.some((l) => l.t >= t && l.search.trim() === text.trim());
            if (done) {
              await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
              return performance.now() - t;
            }
            if (performance.now() - t > 3000) return NaN;
          }
        });
        perKey.push({ key: ch, echo, rows });
      }
    }
    const searchLong = await page.evaluate((n) => window.__longtasks.slice(n), longBeforeSearch);
    const searchTasks = await stopTrace(searchTrace);
    const loadAfter = os.loadavg()[0] ?? 0;

    const result = {
      date: new Date().toISOString(),
      size: SIZE,
      firstRowsMs: firstRows,
      smoothScroll: { frames: 400, rowsScrolled: smooth.rows, frameMs: summarize(smooth.frames) },
      jumps: { count: jumps.length, toRowsMs: summarize(jumps) },
      loadAverage: [loadBefore, loadAfter].map((l) => Math.round(l * 10) / 10),
      scrollLongTasks: longTasks(scrollLong, scrollTasks),
      typing: {
        echoMs: summarize(perKey.map((k) => k.echo)),
        rowsMs: summarize(perKey.filter((k) => !Number.isNaN(k.rows)).map((k) => k.rows)),
        keysWithoutChange: perKey.filter((k) => Number.isNaN(k.rows)).length,
        keys: perKey,
      },
      searchLongTasks: longTasks(searchLong, searchTasks),
    };
    log(JSON.stringify({ ...result, typing: { ...result.typing, keys: undefined } }, null, 1));
    const t = (x: LongTasks) =>
      `${x.count} long tasks, wall p95 ${x.p95Ms.toFixed(0)} max ${x.maxMs.toFixed(0)} ms; main-thread CPU per task p95 ${x.cpuP95Ms.toFixed(1)} max ${x.cpuMaxMs.toFixed(1)} ms`;
    log(`scrolling: ${t(result.scrollLongTasks)}`);
    log(
      `typing: ${t(result.searchLongTasks)}; keystroke to rows p50 ${result.typing.rowsMs.p50.toFixed(0)} p95 ${result.typing.rowsMs.p95.toFixed(0)} ms`,
    );
    log(`load average ${result.loadAverage.join(' -> ')}`);
    const dir = path.join(REPO_ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `renderer-${result.date.slice(0, 10)}.json`), `${JSON.stringify(result, null, 1)}\n`);
    writeRendererSection(result);
  } finally {
    await browser.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Long tasks as the page saw them (wall time) and the CPU time of the main thread's tasks. */
function longTasks(observed: { duration: number }[], traced: TraceTasks) {
  const wall = summarize(observed.map((l) => l.duration));
  const cpu = summarize(traced.allCpuMs);
  return {
    count: observed.length,
    maxMs: observed.length ? wall.max : 0,
    p95Ms: observed.length ? wall.p95 : 0,
    /** CPU time of the main thread's tasks: p95 and max over all tasks, and over 50 ms of CPU. */
    cpuP95Ms: cpu.p95,
    cpuMaxMs: cpu.max,
    cpuOver50: traced.allCpuMs.filter((c) => c > 50).length,
    /** CPU time inside the tasks that were long by the wall clock (the rest was waiting for a core). */
    cpuOfLongMs: summarize(traced.cpuMs),
  };
}

type LongTasks = ReturnType<typeof longTasks>;

function writeRendererSection(r: {
  date: string;
  size: number;
  firstRowsMs: number;
  smoothScroll: { rowsScrolled: number; frameMs: ReturnType<typeof summarize> };
  jumps: { count: number; toRowsMs: ReturnType<typeof summarize> };
  loadAverage: number[];
  scrollLongTasks: LongTasks;
  typing: { echoMs: ReturnType<typeof summarize>; rowsMs: ReturnType<typeof summarize>; keysWithoutChange: number };
  searchLongTasks: LongTasks;
}) {
  const file = path.join(REPO_ROOT, 'docs', 'PERFORMANCE.md');
  const START = '<!-- renderer:start (written by npm run bench:renderer) -->';
  const END = '<!-- renderer:end -->';
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
  const block = [
    START,
    `Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC, Chromium ${'(/usr/bin/chromium)'}, ${r.size.toLocaleString('en')} lots, viewport 1280×800, same machine as above, load average ${r.loadAverage.join(' → ')} on 2 cores.`,
    '',
    '| measurement | p50 | p95 | max | target |',
    '|---|---|---|---|---|',
    `| first rows after opening (ms) | ${r.firstRowsMs} | | | |`,
    `| smooth scroll: frame time over 400 frames, ${r.smoothScroll.rowsScrolled.toLocaleString('en')} rows (ms) | ${f(r.smoothScroll.frameMs.p50)} | ${f(r.smoothScroll.frameMs.p95)} | ${f(r.smoothScroll.frameMs.max)} | |`,
    `| scrollbar jump to real rows, ${r.jumps.count} jumps across the list (ms) | ${f(r.jumps.toRowsMs.p50)} | ${f(r.jumps.toRowsMs.p95)} | ${f(r.jumps.toRowsMs.max)} | |`,
    `| long tasks (> 50 ms wall) while scrolling: count, then duration (ms) | ${r.scrollLongTasks.count} | ${f(r.scrollLongTasks.p95Ms)} | ${f(r.scrollLongTasks.maxMs)} | none |`,
    `| main-thread CPU per task while scrolling (ms; tasks over 50 ms of CPU: ${r.scrollLongTasks.cpuOver50}) | | ${f(r.scrollLongTasks.cpuP95Ms)} | ${f(r.scrollLongTasks.cpuMaxMs)} | < 50 |`,
    `| keystroke to echo in the search box (ms) | ${f(r.typing.echoMs.p50)} | ${f(r.typing.echoMs.p95)} | ${f(r.typing.echoMs.max)} | < 100 |`,
    `| keystroke to updated rows (answer arrived, next frames painted), keys typed after the previous answer (ms) | ${f(r.typing.rowsMs.p50)} | ${f(r.typing.rowsMs.p95)} | ${f(r.typing.rowsMs.max)} | p50 ≤ 100 |`,
    `| long tasks (> 50 ms wall) while typing: count, then duration (ms) | ${r.searchLongTasks.count} | ${f(r.searchLongTasks.p95Ms)} | ${f(r.searchLongTasks.maxMs)} | none |`,
    `| main-thread CPU per task while typing (ms; tasks over 50 ms of CPU: ${r.searchLongTasks.cpuOver50}) | | ${f(r.searchLongTasks.cpuP95Ms)} | ${f(r.searchLongTasks.cpuMaxMs)} | < 50 |`,
    END,
  ].join('\n');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n';
  const next = text.includes(START)
    ? text.replace(new RegExp(`${START.replace(/[()]/g, '\\$&')}[\\s\\S]*?${END}`), block)
    : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

await main();
