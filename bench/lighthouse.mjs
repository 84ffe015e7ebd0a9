// The PWA's first load (issue 5): the initial JS a first visit downloads, and Lighthouse's
// performance, accessibility and best-practices scores of the signed-in lock list (`/`) on a mobile profile.
//
//   node bench/lighthouse.mjs [--runs 3] [--timeout 240]     (after `npm run build`: api + pwa)
//
// The api (compiled) runs in this process with the embedded broker; a user and three locks are
// registered and three simulated locks come online, as in `npm run demo`. For each run a fresh
// Chromium (own temporary profile: cold HTTP cache, no service worker) is started with a
// DevTools port; the session the app keeps in localStorage (`smartlock.session`, see
// pwa/src/lib/session-store.ts) is written on a same-origin page that does not load the app
// (/favicon.svg), from a real `signIn` mutation. Then the Lighthouse CLI (12.8.2, through npx,
// never a dependency) audits `/` in that browser with --disable-storage-reset, so the session
// survives and the page is the lock list, not the sign-in form.
//
// Environment: CHROMIUM (default /usr/bin/chromium). Without network (Lighthouse cannot be
// fetched) or without Chromium, it prints why and exits 0 after the initial JS figure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { cdp, exited, getJson, graphql, stopChild } from './lighthouse-browser.mjs';
import { BENCH_DIR, api, freePort, ms, printMachine, printTable, saveResult, sleep, startBenchApp, waitFor } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '240' }, // seconds per Lighthouse run
  },
});
const RUNS = Math.max(1, Number(args.runs));
const RUN_TIMEOUT_MS = Number(args.timeout) * 1000;
const LIGHTHOUSE = 'lighthouse@12.8.2'; // 13.x needs Node 22
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SESSION_KEY = 'smartlock.session'; // pwa/src/lib/session-store.ts
const PWA_DIST = resolve(BENCH_DIR, '..', 'pwa', 'dist');
const USERNAME = 'lighthouse';
const PASSWORD = 'lighthouse-password-0123456789';
const LOCKS = [
  { deviceId: 'lh-front-door', name: 'Front door' },
  { deviceId: 'lh-garage', name: 'Garage' },
  { deviceId: 'lh-shed', name: 'Garden shed' },
];

// ---------------------------------------------------------------------------------------------
// Initial JS: the entry script(s) of index.html plus their static imports, each gzipped (level 9,
// like pwa/build/report-initial-size.ts). Lazy chunks (import()) are not followed.

function initialJs() {
  const indexFile = join(PWA_DIST, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} is missing: run \`npm run build\` first`);
  const html = readFileSync(indexFile, 'utf8');
  const entries = [
    ...[...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]),
  ];
  const toFile = (spec, from) => (spec.startsWith('/') ? join(PWA_DIST, spec) : resolve(dirname(from), spec));
  const pending = entries.map((spec) => toFile(spec, indexFile));
  const files = [];
  const seen = new Set();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    // Without the trailing sourceMappingURL comment, like the chunk the build plugin measures.
    const code = Buffer.from(readFileSync(file, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, ''));
    files.push({ file: file.slice(PWA_DIST.length + 1), raw: code.length, gzip: gzipSync(code, { level: 9 }).length });
    // Static `import ... from "./x.js"`, `import "./x.js"`, `export ... from "./x.js"` (not import()).
    for (const m of code.toString('utf8').matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']((?:\.{1,2}\/|\/)[^"']+\.js)["']/g)) {
      pending.push(toFile(m[1], file));
    }
  }
  const budget = Number(/reportInitialSize\((\d+)\)/.exec(readFileSync(resolve(PWA_DIST, '..', 'vite.config.ts'), 'utf8'))?.[1] ?? NaN);
  return { files, rawBytes: files.reduce((s, f) => s + f.raw, 0), gzipBytes: files.reduce((s, f) => s + f.gzip, 0), budgetKb: budget };
}

// ---------------------------------------------------------------------------------------------
// One Lighthouse run in a fresh Chromium.

async function lighthouseRun(run, appOrigin, session) {
  const profile = mkdtempSync(join(os.tmpdir(), 'smartlock-lh-chromium-'));
  const outDir = mkdtempSync(join(os.tmpdir(), 'smartlock-lh-report-'));
  const port = await freePort();
  let chromium;
  let lh;
  try {
    chromium = spawn(CHROMIUM, [...CHROMIUM_FLAGS, `--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1', `--user-data-dir=${profile}`, 'about:blank'], {
      detached: true,
      stdio: 'ignore',
    });
    const devtools = `http://127.0.0.1:${port}`;
    await waitFor(() => getJson(`${devtools}/json/version`).catch(() => null), 30_000, 'Chromium to open its DevTools port');

    // The session, written where the app reads it, on a same-origin page that is not the app.
    const target = await getJson(`${devtools}/json/new?${appOrigin}/favicon.svg`, { method: 'PUT' });
    const page = await cdp(target.webSocketDebuggerUrl);
    try {
      await waitFor(
        () => page.evaluate('location.origin + "|" + document.readyState').then((v) => v === `${appOrigin}|complete`).catch(() => false),
        15_000,
        'the same-origin page to load',
      );
      await page.evaluate(`localStorage.setItem(${JSON.stringify(SESSION_KEY)}, ${JSON.stringify(JSON.stringify(session))})`);
      const stored = await page.evaluate(`localStorage.getItem(${JSON.stringify(SESSION_KEY)})`);
      if (!stored) throw new Error('localStorage did not keep the session');
    } finally {
      page.close();
    }
    await fetch(`${devtools}/json/close/${target.id}`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);

    const output = join(outDir, 'report.json');
    const lhArgs = [
      '--yes',
      LIGHTHOUSE,
      `${appOrigin}/`,
      `--port=${port}`,
      '--hostname=127.0.0.1',
      '--only-categories=performance,accessibility,best-practices',
      '--output=json',
      `--output-path=${output}`,
      '--form-factor=mobile',
      '--screenEmulation.mobile',
      '--disable-storage-reset',
      '--max-wait-for-load=60000',
      '--quiet',
    ];
    const started = Date.now();
    lh = spawn('npx', lhArgs, { cwd: os.tmpdir(), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    lh.stderr.on('data', (d) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    if (!(await exited(lh, RUN_TIMEOUT_MS))) {
      await stopChild(lh);
      throw new Error(`Lighthouse run ${run} did not finish in ${RUN_TIMEOUT_MS / 1000} s`);
    }
    if (lh.exitCode !== 0 || !existsSync(output)) throw new Error(`Lighthouse run ${run} failed (exit ${lh.exitCode ?? lh.signalCode}):\n${stderr.trim()}`);
    const lhr = JSON.parse(readFileSync(output, 'utf8'));
    return { lhr, seconds: (Date.now() - started) / 1000 };
  } finally {
    await stopChild(lh);
    await stopChild(chromium);
    rmSync(profile, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
}

function summarise(lhr) {
  const a = lhr.audits;
  const num = (id) => a[id]?.numericValue ?? NaN;
  const failing = (lhr.categories.accessibility?.auditRefs ?? [])
    .filter((ref) => ref.weight > 0 && a[ref.id] && typeof a[ref.id].score === 'number' && a[ref.id].score < 1)
    .map((ref) => ({ id: ref.id, title: a[ref.id].title, items: a[ref.id].details?.items?.length ?? 0, nodes: (a[ref.id].details?.items ?? []).slice(0, 3).map((i) => i.node?.snippet).filter(Boolean) }));
  const lcpElement = a['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node?.snippet ?? null;
  const requests = a['network-requests']?.details?.items ?? [];
  const graphqlRequests = requests.filter((r) => /\/graphql\b/.test(r.url)).length;
  const jsTransfer = requests.filter((r) => r.resourceType === 'Script').reduce((s, r) => s + (r.transferSize ?? 0), 0);
  const perfOpportunities = (lhr.categories.performance?.auditRefs ?? [])
    .map((ref) => a[ref.id])
    .filter((x) => x && x.details?.type === 'opportunity' && typeof x.score === 'number' && x.score < 0.9 && (x.numericValue ?? 0) > 0)
    .map((x) => `${x.title} (${x.displayValue ?? ''})`);
  return {
    performance: Math.round((lhr.categories.performance?.score ?? NaN) * 100),
    accessibility: Math.round((lhr.categories.accessibility?.score ?? NaN) * 100),
    bestPractices: Math.round((lhr.categories['best-practices']?.score ?? NaN) * 100),
    failingBestPractices: (lhr.categories['best-practices']?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && a[ref.id] && typeof a[ref.id].score === 'number' && a[ref.id].score < 1)
      .map((ref) => `${ref.id}: ${a[ref.id].title}`),
    fcpMs: num('first-contentful-paint'),
    lcpMs: num('largest-contentful-paint'),
    tbtMs: num('total-blocking-time'),
    cls: num('cumulative-layout-shift'),
    speedIndexMs: num('speed-index'),
    ttiMs: num('interactive'),
    finalUrl: lhr.finalDisplayedUrl ?? lhr.finalUrl,
    lcpElement,
    graphqlRequests,
    scriptTransferBytes: jsTransfer,
    failingAccessibility: failing,
    opportunities: perfOpportunities,
    runWarnings: lhr.runWarnings ?? [],
    runtimeError: lhr.runtimeError?.message ?? null,
    throttling: `${lhr.configSettings?.throttlingMethod}, ${lhr.configSettings?.formFactor}`,
    benchmarkIndex: lhr.environment?.benchmarkIndex ?? null,
    lighthouseVersion: lhr.lighthouseVersion,
    userAgent: lhr.environment?.hostUserAgent ?? lhr.userAgent,
  };
}

const median = (values) => {
  const s = values.filter(Number.isFinite).sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---------------------------------------------------------------------------------------------

printMachine('PWA: initial JS and Lighthouse (lock list, mobile)');
const deadline = Date.now() + 5 * 60_000 + RUNS * (RUN_TIMEOUT_MS + 60_000);
const watchdog = setTimeout(() => {
  console.error('\nlighthouse.mjs: overall time limit reached, giving up');
  process.exit(1);
}, deadline - Date.now());
watchdog.unref();

const js = initialJs();
console.log(`\ninitial JS: ${(js.gzipBytes / 1024).toFixed(1)} KB gzipped (${(js.rawBytes / 1024).toFixed(1)} KB raw)${Number.isFinite(js.budgetKb) ? `, budget ${js.budgetKb} KB` : ''}`);
for (const f of js.files) console.log(`  ${f.file}: ${(f.gzip / 1024).toFixed(1)} KB gzipped, ${(f.raw / 1024).toFixed(1)} KB raw`);

const skip = (why) => {
  console.log(`\nLighthouse skipped: ${why}`);
  saveResult('lighthouse', { initialJs: js, lighthouse: null, skipped: why });
  process.exit(0);
};
if (!existsSync(CHROMIUM)) skip(`no Chromium at ${CHROMIUM} (set CHROMIUM=/path/to/chromium)`);
console.log(`\nfetching ${LIGHTHOUSE} through npx (cached after the first time)...`);
const probe = spawnSync('npx', ['--yes', LIGHTHOUSE, '--version'], { cwd: os.tmpdir(), encoding: 'utf8', timeout: 240_000 });
if (probe.status !== 0) {
  skip(`\`npx --yes ${LIGHTHOUSE}\` is unavailable (no network or no npm registry?): ${(probe.error?.message ?? probe.stderr ?? '').trim().split('\n').slice(-3).join(' / ') || `exit ${probe.status}`}`);
}
console.log(`lighthouse ${probe.stdout.trim()}, ${spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 20_000 }).stdout?.trim() ?? 'chromium'}`);

const app = await startBenchApp();
let fleet;
const results = [];
let failure = null;
try {
  const appOrigin = `http://127.0.0.1:${app.port}`;
  const index = await fetch(`${appOrigin}/`, { headers: { accept: 'text/html' } });
  if (!(await index.text()).includes('<div id="root">')) throw new Error(`${appOrigin}/ does not serve the PWA: run \`npm run build\` first`);

  // A user with three locks online, as `npm run demo` sets up.
  await app.services.auth.signUp(USERNAME, PASSWORD, '127.0.0.1');
  const user = await app.services.store.users.findByUsername(USERNAME);
  const devices = [];
  for (const { deviceId, name } of LOCKS) {
    const registration = await app.services.locks.register(user, deviceId, name);
    devices.push({ deviceId, deviceSecret: registration.deviceSecret });
  }
  const { startFleet } = api('simulator/fleet.js');
  fleet = await startFleet({ brokerUrl: app.brokerUrl, topicPrefix: app.topics.prefix, devices });
  if (fleet.failures.length) throw new Error(`simulated locks failed to start: ${fleet.failures.map((f) => `${f.deviceId}: ${f.error.message}`).join('; ')}`);
  await waitFor(
    async () => (await Promise.all(LOCKS.map((l) => app.services.store.locks.findByDeviceId(l.deviceId)))).every((l) => l?.state === 'AVAILABLE'),
    15_000,
    'the three locks to be AVAILABLE',
  );
  console.log(`api at ${appOrigin}, user "${USERNAME}", locks online: ${LOCKS.map((l) => l.deviceId).join(', ')}`);

  for (let run = 1; run <= RUNS; run++) {
    // A fresh session per run (access tokens live 15 minutes), shaped like sessionFromPayload().
    const { signIn } = await graphql(
      app.httpUrl,
      'mutation($u: String!, $p: String!) { signIn(username: $u, password: $p) { accessToken refreshToken expiresAt user { id username role } } }',
      { u: USERNAME, p: PASSWORD },
    );
    const session = {
      accessToken: signIn.accessToken,
      refreshToken: signIn.refreshToken,
      expiresAt: Date.parse(signIn.expiresAt),
      user: { id: signIn.user.id, username: signIn.user.username, role: signIn.user.role },
    };
    const { lhr, seconds } = await lighthouseRun(run, appOrigin, session);
    const r = summarise(lhr);
    results.push(r);
    if (run === 1) {
      const shot = lhr.audits['final-screenshot']?.details?.data;
      if (shot?.startsWith('data:image/jpeg;base64,')) {
        mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
        const file = join(BENCH_DIR, 'results', 'lighthouse-final.jpg');
        writeFileSync(file, Buffer.from(shot.slice('data:image/jpeg;base64,'.length), 'base64'));
        console.log(`final screenshot of run 1: ${file}`);
      }
    }
    console.log(
      `run ${run}/${RUNS} (${seconds.toFixed(0)} s): performance ${r.performance}, accessibility ${r.accessibility}, best practices ${r.bestPractices}, ` +
        `FCP ${ms(r.fcpMs, 0)}, LCP ${ms(r.lcpMs, 0)}, TBT ${ms(r.tbtMs, 0)}, CLS ${r.cls.toFixed(3)}, final URL ${r.finalUrl}, ${r.graphqlRequests} /graphql requests`,
    );
    if (new URL(r.finalUrl).pathname !== '/') console.log(`  warning: the page ended at ${r.finalUrl}, not the lock list (was the session refused?)`);
    if (r.runtimeError) console.log(`  runtime error: ${r.runtimeError}`);
    for (const w of r.runWarnings) console.log(`  warning: ${w}`);
    await sleep(500);
  }
} catch (error) {
  failure = error;
} finally {
  await fleet?.stop({ graceful: false }).catch(() => undefined);
  await app.close();
}
if (failure) {
  console.error(`\nlighthouse.mjs failed: ${failure.stack ?? failure}`);
  process.exit(1);
}

const last = results[results.length - 1];
console.log(`\nLighthouse ${last.lighthouseVersion}, ${last.throttling} (simulated Slow 4G, 4x CPU slowdown), ${results.length} run(s); medians:`);
printTable([
  ['measure', 'median', 'runs'],
  ['performance score', median(results.map((r) => r.performance)), results.map((r) => r.performance).join(', ')],
  ['accessibility score', median(results.map((r) => r.accessibility)), results.map((r) => r.accessibility).join(', ')],
  ['best practices score', median(results.map((r) => r.bestPractices)), results.map((r) => r.bestPractices).join(', ')],
  ['First Contentful Paint', ms(median(results.map((r) => r.fcpMs)), 0), results.map((r) => Math.round(r.fcpMs)).join(', ')],
  ['Largest Contentful Paint', ms(median(results.map((r) => r.lcpMs)), 0), results.map((r) => Math.round(r.lcpMs)).join(', ')],
  ['Total Blocking Time', ms(median(results.map((r) => r.tbtMs)), 0), results.map((r) => Math.round(r.tbtMs)).join(', ')],
  ['Cumulative Layout Shift', median(results.map((r) => r.cls)).toFixed(3), results.map((r) => r.cls.toFixed(3)).join(', ')],
  ['Speed Index', ms(median(results.map((r) => r.speedIndexMs)), 0), results.map((r) => Math.round(r.speedIndexMs)).join(', ')],
  ['Time to Interactive', ms(median(results.map((r) => r.ttiMs)), 0), results.map((r) => Math.round(r.ttiMs)).join(', ')],
  ['initial JS (gzip, from pwa/dist)', `${(js.gzipBytes / 1024).toFixed(1)} KB`, Number.isFinite(js.budgetKb) ? `budget ${js.budgetKb} KB` : ''],
  ['script bytes transferred', `${(median(results.map((r) => r.scriptTransferBytes)) / 1024).toFixed(1)} KB`, 'as served by the api'],
]);
if (last.lcpElement) console.log(`LCP element: ${last.lcpElement}`);
console.log(`Lighthouse's benchmarkIndex of this machine: ${results.map((r) => r.benchmarkIndex).join(', ')}`);
const failingIds = new Map();
for (const r of results) for (const f of r.failingAccessibility) failingIds.set(f.id, f);
if (failingIds.size === 0) console.log('failing accessibility audits: none');
else {
  console.log('failing accessibility audits:');
  for (const f of failingIds.values()) console.log(`  - ${f.id}: ${f.title} (${f.items} item(s))${f.nodes.length ? `\n      ${f.nodes.join('\n      ')}` : ''}`);
}
const failingBp = new Set(results.flatMap((r) => r.failingBestPractices));
console.log(`failing best-practices audits: ${failingBp.size ? [...failingBp].join('; ') : 'none'}`);
if (last.opportunities.length) console.log(`performance opportunities (last run): ${last.opportunities.join('; ')}`);

saveResult('lighthouse', {
  initialJs: js,
  lighthouse: {
    version: last.lighthouseVersion,
    settings: last.throttling,
    runs: results,
    median: {
      performance: median(results.map((r) => r.performance)),
      accessibility: median(results.map((r) => r.accessibility)),
      bestPractices: median(results.map((r) => r.bestPractices)),
      fcpMs: median(results.map((r) => r.fcpMs)),
      lcpMs: median(results.map((r) => r.lcpMs)),
      tbtMs: median(results.map((r) => r.tbtMs)),
      cls: median(results.map((r) => r.cls)),
    },
  },
});
process.exit(0);
