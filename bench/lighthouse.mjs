// Lighthouse (npm `lighthouse`, Debian's Chromium, default mobile settings) on the playground,
// the explainer and the embedding guide, served by scripts/serve.mjs as `make serve` serves
// them (strict CSP, compression). Prints one row per page: the four category scores, total
// blocking time, largest contentful paint, layout shift, and the bytes and requests of the
// load (Lighthouse does not scroll, so for the explainer these are the bytes before the
// reader scrolls), and the files fetched more than once.
//   node bench/lighthouse.mjs [--runs N] [--tasks]
//       --runs N   medians of N runs per page (default 1)
//       --tasks    also the main thread's long tasks of each page's last run, by script
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const PORT = Number(process.env.LIGHTHOUSE_PORT ?? 8137);
const PAGES = ['index.html', 'explainer.html', 'embed.html'];
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 1;
const TASKS = process.argv.includes('--tasks');
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

const run = promisify(execFile);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function serve() {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'serve.mjs'), String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveStart, reject) => {
    child.once('error', reject);
    child.stdout.once('data', () => resolveStart(child));
  });
}

async function audit(page) {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-lighthouse-'));
  const out = join(dir, 'report.json');
  try {
    await run(join(ROOT, 'bench', 'node_modules', '.bin', 'lighthouse'), [
      `http://localhost:${PORT}/${page}`, '--output=json', `--output-path=${out}`, '--quiet',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run',
    ], { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' }, maxBuffer: 1 << 26 });
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function figures(report) {
  const a = report.audits;
  const requests = a['network-requests'].details.items;
  const counts = new Map();
  for (const r of requests) counts.set(r.url, (counts.get(r.url) ?? 0) + 1);
  const failed = CATEGORIES.flatMap((c) => report.categories[c].auditRefs
    .filter((ref) => ref.weight > 0 && a[ref.id].score !== null && a[ref.id].score < 1)
    .map((ref) => `${c}: ${ref.id}`));
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(report.categories[c].score * 100)])),
    tbt: a['total-blocking-time'].numericValue,
    lcp: a['largest-contentful-paint'].numericValue,
    cls: a['cumulative-layout-shift'].numericValue,
    bytes: a['total-byte-weight'].numericValue,
    requests: requests.length,
    twice: [...counts].filter(([, n]) => n > 1).map(([url, n]) => `${new URL(url).pathname} ×${n}`),
    // Simulated (throttled) durations, as TBT counts them.
    longTasks: a['long-tasks'].details.items.map((t) => `${Math.round(t.startTime)} ms: ${Math.round(t.duration)} ms in ${t.url.startsWith('http') ? new URL(t.url).pathname : t.url}`),
    failed,
  };
}

const server = await serve();
try {
  console.log(`Lighthouse ${JSON.parse(readFileSync(join(ROOT, 'bench/node_modules/lighthouse/package.json'), 'utf8')).version}, mobile defaults, ${RUNS} run(s) per page, medians`);
  console.log('| page | performance | accessibility | best practices | SEO | TBT ms | LCP s | CLS | transferred KB | requests |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const notes = [];
  for (const page of PAGES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(figures(await audit(page)));
    const m = (f) => median(runs.map(f));
    console.log(`| ${page} | ${m((r) => r.scores.performance)} | ${m((r) => r.scores.accessibility)} | ${m((r) => r.scores['best-practices'])} | ${m((r) => r.scores.seo)} | ${Math.round(m((r) => r.tbt))} | ${(m((r) => r.lcp) / 1000).toFixed(2)} | ${m((r) => r.cls).toFixed(3)} | ${Math.round(m((r) => r.bytes) / 1024)} | ${m((r) => r.requests)} |`);
    const last = runs.at(-1);
    if (last.twice.length) notes.push(`${page}: fetched more than once: ${last.twice.join(', ')}`);
    if (last.failed.length) notes.push(`${page}: audits below full marks: ${last.failed.join(', ')}`);
    if (TASKS) notes.push(`${page}: long tasks: ${last.longTasks.join('; ') || 'none'}`);
  }
  for (const note of notes) console.log(note);
} finally {
  server.kill();
}
