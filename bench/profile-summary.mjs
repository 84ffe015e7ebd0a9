// Summarizes a V8 .cpuprofile (from `node --cpu-prof` or the inspector): self time by
// package/area and by function, and inclusive time of the api's own functions.
//
//   node bench/profile-summary.mjs bench/profiles/ingest-aedes.cpuprofile [--top 30]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

function area(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/builtin)';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const own = url.match(/api\/dist\/src\/([^/]+)/);
  if (own) return `api:${own[1]}`;
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/bench/')) return 'bench harness';
  return url;
}

function shortUrl(url) {
  return url.replace(/^.*node_modules\//, '').replace(/^.*api\/dist\/src\//, 'api/').replace(/^file:\/\//, '');
}

export function summarizeProfile(profile, { top = 25 } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((s, v) => s + v, 0) || 1;
  const idle = [...selfUs.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((s, [, v]) => s + v, 0);
  const busy = total - idle || 1;

  const byArea = new Map();
  const byFunction = new Map();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (functionName === '(idle)') continue;
    const a = area(url, functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }

  // Inclusive time of api functions: each sample counts once per distinct api frame on its stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const { functionName, url, lineNumber } = byId.get(cur).callFrame;
      if (!url.includes('api/dist/src/')) continue;
      const key = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }

  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  const pct = (us) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  const lines = [];
  lines.push(`busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled (${((busy / total) * 100).toFixed(0)}% busy); shares below are of busy time`);
  lines.push('self time by area:');
  for (const [k, us] of sorted(byArea).slice(0, 16)) lines.push(`  ${pct(us)}  ${k}`);
  lines.push(`top ${top} functions by self time:`);
  for (const [k, us] of sorted(byFunction).slice(0, top)) lines.push(`  ${pct(us)}  ${k}`);
  lines.push('api functions by inclusive time:');
  for (const [k, us] of sorted(inclusive).slice(0, 15)) lines.push(`  ${pct(us)}  ${k}`);
  return {
    text: lines.join('\n'),
    busyMs: busy / 1000,
    totalMs: total / 1000,
    top: sorted(byFunction).slice(0, top).map(([k, us]) => ({ fn: k, share: us / busy })),
    areas: sorted(byArea).map(([k, us]) => ({ area: k, share: us / busy })),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' } } });
  if (positionals.length === 0) {
    console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N]');
    process.exit(2);
  }
  for (const file of positionals) {
    console.log(`== ${file}`);
    console.log(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), { top: Number(values.top) }).text);
  }
}
