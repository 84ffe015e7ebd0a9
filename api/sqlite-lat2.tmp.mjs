import Database from 'better-sqlite3';
import { mkdtempSync, statSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
const mode = process.argv[2];
const dir = mkdtempSync(join(os.tmpdir(), 'sqlat-'));
const file = join(dir, 'x.db');
const db = new Database(file);
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
if (mode === 'worker') db.pragma('wal_autocheckpoint = 0');
db.exec(`CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER, actor TEXT, action TEXT, device_id TEXT, result TEXT, detail TEXT);
CREATE INDEX a1 ON audit(at); CREATE INDEX a2 ON audit(device_id, id); CREATE INDEX a3 ON audit(actor, id); CREATE INDEX a4 ON audit(action, id)`);
let w;
if (mode === 'worker') {
w = new Worker(`
const Database = require('/work/main/node_modules/better-sqlite3');
const { workerData, parentPort } = require('node:worker_threads');
const db = new Database(workerData.file); db.pragma('synchronous = NORMAL');
let n = 0, ms = 0;
const t = setInterval(() => { const s = performance.now(); const r = db.pragma('wal_checkpoint(PASSIVE)'); ms += performance.now() - s; n++; if (n % 10 === 0) parentPort.postMessage({ n, ms, r }); }, 200);
parentPort.on('message', () => { clearInterval(t); db.close(); parentPort.postMessage({ done: true, n, ms }); });
`, { eval: true, workerData: { file } });
w.on('message', (m) => console.log('worker', JSON.stringify(m)));
}
await new Promise((r) => setTimeout(r, 100));
const ins = db.prepare('INSERT INTO audit (at, actor, action, device_id, result, detail) VALUES (?,?,?,?,?,?) RETURNING *');
const lat = [];
for (let i = 0; i < 6000; i++) {
  const t = process.hrtime.bigint();
  ins.all(Date.now(), 'alice' + (i % 10), 'COMMAND_SENT', 'lock-' + (i % 50), 'OK', '{"x":' + i + '}');
  lat.push(Number(process.hrtime.bigint() - t) / 1e6);
  if (i % 5 === 0) await new Promise((r) => setTimeout(r, 1));
}
const s = lat.slice(500).sort((a, b) => a - b);
const q = (p) => s[Math.floor(p * (s.length - 1))].toFixed(3);
console.log(mode, 'p50', q(0.5), 'p90', q(0.9), 'p99', q(0.99), 'p999', q(0.999), 'max', s[s.length - 1].toFixed(2), 'total', s.reduce((a,b)=>a+b,0).toFixed(1));
if (w) { w.postMessage('stop'); await new Promise((r) => w.on('exit', r)); }
console.log('wal size', statSync(file + '-wal').size);
