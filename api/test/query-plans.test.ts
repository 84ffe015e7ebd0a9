/**
 * Big data stays fast (issue 17 item 5): the pages an admin opens on a large deployment (the first
 * pages of `locks`, `auditLog` with every filter combination, a lock's `commands`) are read through
 * indexes, so their cost follows the page, not the 100,000 locks or 10 million audit entries.
 *
 * The SQL is not copied here: better-sqlite3's `verbose` hook records every statement the real api
 * runs (with its bound values) while real GraphQL requests are answered, and each is then put
 * through `EXPLAIN QUERY PLAN` on the same file. No `ANALYZE`, as the store runs none.
 * bench/big-data.mjs measures the same pages on 100,000 locks and 10 million audit entries.
 */
import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const trace = vi.hoisted(() => ({ recording: false, statements: [] as string[], files: [] as string[] }));

vi.mock('better-sqlite3', async (importOriginal) => {
  const actual = await importOriginal<{ default: typeof BetterSqlite3 }>();
  const Original = actual.default;
  class Traced extends Original {
    constructor(filename?: string | Buffer, options: BetterSqlite3.Options = {}) {
      super(filename, {
        ...options,
        verbose: (sql: unknown) => {
          if (trace.recording) trace.statements.push(String(sql));
        },
      });
      if (typeof filename === 'string') trace.files.push(filename);
    }
  }
  return { ...actual, default: Traced };
});

const BIG_TABLES = ['locks', 'audit', 'commands'];
const LOCKS = 1_000;
const AUDIT = 5_000;
const ACTIONS = ['lock.status', 'command.unlock', 'command.lock', 'lock.offline', 'user.signIn', 'lock.rename'];
const HOUR = 3_600_000;

let app: TestApp;
let adminAuth: AuthResult;
let ownerAuth: AuthResult;
let db: BetterSqlite3.Database;
const start = Date.UTC(2026, 0, 1);

function seed(file: string): void {
  const seeder = new Database(file);
  try {
    seeder.pragma('busy_timeout = 5000');
    const users = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    const insertUser = seeder.prepare(`INSERT INTO users (id, username, password_hash, role, created_at) VALUES (?, ?, 'x', 'USER', ?)`);
    const insertLock = seeder.prepare(
      `INSERT INTO locks (device_id, name, name_folded, owner, status, state, last_seen, secret_sealed, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'LOCKED', 'AVAILABLE', ?, 'v1.unused', ?, ?)`,
    );
    const insertAudit = seeder.prepare(`INSERT INTO audit (at, actor, action, device_id, result, detail) VALUES (?, ?, ?, ?, 'ok', NULL)`);
    const insertCommand = seeder.prepare(
      `INSERT INTO commands (id, device_id, action, state, counter, requested_by, created_at, completed_at)
       VALUES (?, ?, 'UNLOCK', 'SUCCEEDED', ?, ?, ?, ?)`,
    );
    seeder.transaction(() => {
      for (const user of users) insertUser.run(randomUUID(), user, start);
      for (let i = 0; i < LOCKS; i++) {
        const lockOwner = i % 50 === 0 ? 'owner' : users[i % users.length];
        insertLock.run(`lock-${String(i).padStart(6, '0')}`, `Lock ${i}`, `lock ${i}`, lockOwner, start, start, start);
      }
      for (let i = 0; i < AUDIT; i++) {
        const device = i % 7 === 0 ? null : `lock-${String((i * 7919) % LOCKS).padStart(6, '0')}`;
        const actor = i % 3 === 0 ? null : i % 5 === 0 ? 'owner' : users[i % users.length];
        insertAudit.run(start + i * 60_000, actor, ACTIONS[i % ACTIONS.length], device);
      }
      for (let i = 0; i < 2_000; i++) {
        insertCommand.run(randomUUID(), `lock-${String(i % 20).padStart(6, '0')}`, i, 'user-1', start + i * 1_000, start + i * 1_000 + 50);
      }
    })();
  } finally {
    seeder.close();
  }
}

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  adminAuth = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  ownerAuth = await signUp(app.httpUrl, 'owner'); // a USER who owns 20 of the seeded locks
  const file = trace.files.find((name) => name.startsWith(app.dataDir));
  if (file === undefined) throw new Error(`no SQLite file opened under ${app.dataDir}`);
  seed(file);
  db = new Database(file, { readonly: true });
});
afterAll(async () => {
  db?.close();
  await app?.close();
});

interface Request {
  token: string;
  query: string;
  variables: Record<string, unknown>;
}

/** Answers the requests at once (fast on a loaded machine) and gives the plan of every statement the api ran for them. */
async function plansOf(requests: Request[]) {
  trace.statements.length = 0;
  trace.recording = true;
  let responses;
  try {
    responses = await Promise.all(requests.map(({ token, query, variables }) => gql<Record<string, unknown>>(app.httpUrl, query, variables, token)));
  } finally {
    trace.recording = false;
  }
  for (const response of responses) expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const reads = [...new Set(trace.statements)].filter((sql) => /^\s*(SELECT|WITH|UPDATE|DELETE)\b/i.test(sql));
  return {
    data: responses.map((response) => response.data!),
    plans: reads.map((sql) => ({ sql, plan: db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all().map((row) => (row as { detail: string }).detail) })),
  };
}

const BIG = new RegExp(`^(SCAN|SEARCH) (${BIG_TABLES.join('|')})\\b`);
const FULL_SCAN = new RegExp(`^SCAN (${BIG_TABLES.join('|')})\\b`);

/** What is wrong with a plan for a page on a big deployment (empty: nothing). */
function problems(sql: string, plan: string[]): string[] {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  // No filter at all: the walk down the ids stops at the page's LIMIT.
  if (/^SELECT \* FROM audit ORDER BY id DESC LIMIT [\d.]+$/.test(oneLine) && plan.join() === 'SCAN audit') return [];
  const touchesBig = plan.some((step) => BIG.test(step));
  return plan.filter((step) => {
    return FULL_SCAN.test(step) || (touchesBig && step.startsWith('USE TEMP B-TREE FOR ORDER BY'));
  });
}

/** Each statement that reads a big table badly, with its plan (the scope's long JSON shortened). */
async function badPlans(requests: Request[]) {
  const { data, plans } = await plansOf(requests);
  expect(plans.some(({ plan }) => plan.some((step) => BIG.test(step))), 'no statement read a big table').toBe(true);
  const bad = plans
    .filter(({ sql, plan }) => problems(sql, plan).length > 0)
    .map(({ sql, plan }) => `${sql.replace(/\s+/g, ' ').replace(/json_each\('[^']*'/g, "json_each('…'")}\n  ${plan.join(' | ')}`);
  return { data, bad };
}

const LOCK_PAGE = `query ($first: Int, $after: ID) { locks(first: $first, after: $after) { deviceId name status state lastSeen lastChangedBy owner { username } myRole } }`;
const AUDIT_PAGE = `query ($filter: AuditFilterInput, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) { edges { node { id at actor action deviceId } } pageInfo { hasNextPage endCursor } } }`;
const COMMAND_PAGE = `query ($deviceId: ID!, $first: Int, $after: String) {
  commands(deviceId: $deviceId, first: $first, after: $after) { edges { node { id state createdAt } } pageInfo { hasNextPage endCursor } } }`;

interface AuditPage {
  auditLog: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** Every combination of the filters the schema offers (AuditFilterInput). */
const FILTER_FIELDS: Record<string, unknown> = {
  deviceId: 'lock-000007',
  device: 'LOCK 7',
  actor: 'user-1',
  action: 'command.unlock',
  from: new Date(start + 100 * HOUR).toISOString(),
  to: new Date(start + 300 * HOUR).toISOString(),
};
const combinationsOf = (fields: Record<string, unknown>) =>
  Array.from({ length: 2 ** Object.keys(fields).length }, (_, mask) => Object.fromEntries(Object.entries(fields).filter((_, bit) => (mask >> bit) & 1)));
const combinations = combinationsOf(FILTER_FIELDS);
/** The same filters as the owner (a USER) would set them: one of their locks, by id and by name, and themselves. */
const ownerCombinations = combinationsOf({ ...FILTER_FIELDS, deviceId: 'lock-000050', device: 'lock 50', actor: 'owner' });

const admin = (query: string, variables: Record<string, unknown>): Request => ({ token: adminAuth.accessToken, query, variables });
const owner = (query: string, variables: Record<string, unknown>): Request => ({ token: ownerAuth.accessToken, query, variables });

/** Both pages of every filter combination, as `as` asks them; the data of the first pages. */
async function badAuditPlans(as: (query: string, variables: Record<string, unknown>) => Request, filters: Record<string, unknown>[]) {
  const first = await badPlans(filters.map((filter) => as(AUDIT_PAGE, { filter, first: 20 })));
  const next = first.data.flatMap((data, i) => {
    const { endCursor } = (data as unknown as AuditPage).auditLog.pageInfo;
    return endCursor === null ? [] : [as(AUDIT_PAGE, { filter: filters[i], first: 20, after: endCursor })];
  });
  expect(next.length).toBeGreaterThan(10);
  return { data: first.data as unknown as AuditPage[], bad: [...first.bad, ...(await badPlans(next)).bad] };
}

describe('query plans of the pages an admin opens on a big deployment', () => {
  it("reads the admin's first page of locks, and the next, through the device id index", async () => {
    const first = await badPlans([admin(LOCK_PAGE, { first: 20 })]);
    const ids = (first.data[0]!.locks as { deviceId: string }[]).map((lock) => lock.deviceId);
    expect(ids).toHaveLength(20);
    const next = await badPlans([admin(LOCK_PAGE, { first: 20, after: ids.at(-1) })]);
    expect((next.data[0]!.locks as { deviceId: string }[])[0]?.deviceId).toBe('lock-000020');
    expect([...first.bad, ...next.bad]).toEqual([]);
  });

  it("reads a lock's commands, first page and deeper, through the (device, created_at, id) index", async () => {
    const first = await badPlans([admin(COMMAND_PAGE, { deviceId: 'lock-000003', first: 20 })]);
    const { endCursor } = (first.data[0]!.commands as { pageInfo: { endCursor: string } }).pageInfo;
    const next = await badPlans([admin(COMMAND_PAGE, { deviceId: 'lock-000003', first: 20, after: endCursor })]);
    expect([...first.bad, ...next.bad]).toEqual([]);
  });

  it('reads every auditLog filter combination, first page and the next, through an index', async () => {
    const { data, bad } = await badAuditPlans(admin, combinations);
    expect(bad).toEqual([]);
    // The device filter by a lock's name (any case) finds that lock's entries.
    const byName = data[combinations.findIndex((filter) => Object.keys(filter).join() === 'device')]!;
    expect(byName.auditLog.edges.length).toBeGreaterThan(0);
  });

  it("reads a USER's auditLog (their locks' entries and their own actions), every filter, through indexes and not their whole history", async () => {
    const { data, bad } = await badAuditPlans(owner, ownerCombinations);
    expect(bad).toEqual([]);
    expect(data[0]!.auditLog.edges).toHaveLength(20);
  });

});
