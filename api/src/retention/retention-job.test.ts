import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../store/ports.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { eventually } from '../test-support/subscriptions.js';
import { createRetentionJob } from './retention-job.js';
import { createRetentionScheduler } from './retention-scheduler.js';

const DAY = 86_400_000;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = pino({ level: 'silent' });

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connectTcp({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

let dir: string;
let store: Store;
/** The real time the rows were written; the job's clock is moved from here. */
let start: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smartlock-retention-'));
  store = openSqliteStore(join(dir, 'store.db'));
  start = Date.now();
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** A user with one session (expiring in 30 days), commands in each state and audit entries, all written now. */
async function seed(): Promise<void> {
  const user = await store.users.create({ username: 'alice', passwordHash: 'h', role: 'USER' });
  await store.sessions.create({ familyId: 'f', userId: user.id, tokenHash: 'session', expiresAt: new Date(start + 30 * DAY) });
  for (const [id, state] of [['ok', 'SUCCEEDED'], ['rejected', 'REJECTED'], ['failed', 'FAILED'], ['timed-out', 'TIMED_OUT'], ['sent', 'SENT']] as const) {
    await store.commands.create({ id, deviceId: 'd1', action: 'UNLOCK', counter: 1, requestedBy: 'alice' });
    if (state !== 'SENT') await store.commands.complete(id, state, null, new Date());
  }
  for (let i = 0; i < 3; i += 1) await store.audit.append({ actor: 'alice', action: 'UNLOCK', deviceId: 'd1', result: 'OK', detail: `entry ${i}` });
  await store.locks.create({ deviceId: 'd1', name: 'Front door', owner: 'alice', secretSealed: 's' });
  const point = { deviceId: 'd1', online: true, battery: 90, rssi: -60, uptime: 1, boot: 1 };
  await store.diagnostics.append([{ ...point, at: new Date(start) }, { ...point, at: new Date(start + 25 * DAY) }]);
}

const commandIds = async () => (await store.commands.listByDevice('d1', { first: 100 })).items.map((c) => c.id).sort();
const auditCount = async () => (await store.audit.query({}, { first: 100 })).items.length;

describe('retention job (real SQLite, injected clock)', () => {
  it('deletes expired sessions and finished commands past their retention, keeps SENT commands and younger audit entries', async () => {
    await seed();
    let now = start + 29 * DAY;
    const run = createRetentionJob({ store, commandRetentionDays: 90, auditRetentionDays: 365, diagnosticsRetentionDays: 8, log, now: () => now });
    // Diagnostics are kept 8 days: the point written at the start goes, the one from day 25 stays.
    expect(await run()).toEqual({ sessions: 0, commands: 0, audit: 0, diagnostics: 1 });
    expect(await store.diagnostics.list('d1', new Date(0), 10)).toHaveLength(1);

    now = start + 91 * DAY;
    expect(await run()).toEqual({ sessions: 1, commands: 4, audit: 0, diagnostics: 1 });
    expect(await store.sessions.findByTokenHash('session')).toBeNull();
    expect(await commandIds()).toEqual(['sent']);
    expect(await auditCount()).toBe(3);

    now = start + 366 * DAY;
    expect(await run()).toEqual({ sessions: 0, commands: 0, audit: 3, diagnostics: 0 });
    // Still SENT after a year: an ack or the timeout must end it first.
    expect(await commandIds()).toEqual(['sent']);
  });

  it('deletes a backlog in bounded batches until one comes back short', async () => {
    await seed();
    const deletes = vi.spyOn(store.commands, 'deleteFinishedBefore');
    const run = createRetentionJob({ store, commandRetentionDays: 90, auditRetentionDays: 365, diagnosticsRetentionDays: 8, log, now: () => start + 91 * DAY, batchSize: 3 });
    expect((await run()).commands).toBe(4);
    expect(deletes.mock.calls.map(([, limit]) => limit)).toEqual([3, 3]);
  });

  it('deletes 1,000 rows per statement unless told otherwise', async () => {
    const deletes = vi.spyOn(store.audit, 'deleteBefore');
    await createRetentionJob({ store, commandRetentionDays: 90, auditRetentionDays: 365, diagnosticsRetentionDays: 8, log })();
    expect(deletes.mock.calls.map(([, limit]) => limit)).toEqual([1000]);
  });
});

describe('retention on the BullMQ scheduler (real Redis, random prefix)', () => {
  it('runs the job through the scheduler and deletes what is past retention', async (ctx) => {
    if (!(await reachable(REDIS_URL))) {
      if (process.env.CI === 'true') throw new Error(`CI needs Redis at ${REDIS_URL}`);
      return ctx.skip(`needs Redis at ${REDIS_URL}`);
    }
    await seed();
    const keyPrefix = `test-${randomUUID()}:`;
    const scheduler = createRetentionScheduler({ redis: { url: REDIS_URL, keyPrefix }, retention: { commandDays: 90, auditDays: 365, diagnosticsDays: 8, everyMs: 200 } }, store, log, () => start + 91 * DAY);
    await scheduler.start();
    try {
      await eventually(async () => (await commandIds()).length === 1, 10_000);
      expect(await commandIds()).toEqual(['sent']);
      expect(await store.sessions.findByTokenHash('session')).toBeNull();
    } finally {
      await scheduler.stop();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });
});
