/**
 * Copies a Flask database (read through the Mongo adapter, so its field mapping is the adapter's)
 * into another store (the embedded SQLite one). Planned first, written second: a conflict found in
 * the plan stops the run before anything is written, and a dry run stops after the plan.
 * Idempotent: what the target already holds identically is skipped, so a second run is a no-op.
 */
import { caseVariantGroups } from '../store/case-variants.js';
import type { Store } from '../store/ports.js';
import { NEEDS_PROVISIONING_ISSUE, type AuditRecord, type LockRecord, type NewAudit, type UserRecord } from '../store/records.js';

export interface MigrationPlan {
  users: UserRecord[];
  locks: LockRecord[];
  audit: NewAudit[];
  /** Already in the target as they are in the source. */
  unchanged: { users: number; locks: number; audit: number };
  /** Reported by name and left out; the rest is copied. */
  skipped: string[];
  /** The target holds something else under the same name: nothing is written while any remains. */
  conflicts: string[];
}

const AUDIT_PAGE = 500;

async function allAudit(store: Store): Promise<AuditRecord[]> {
  const entries: AuditRecord[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.audit.query({}, after === undefined ? { first: AUDIT_PAGE } : { first: AUDIT_PAGE, after });
    entries.push(...page.items);
    if (!page.hasNextPage || page.endCursor === null) return entries;
    after = page.endCursor;
  }
}

/** What makes two entries the same, ids aside (the target gives its own). */
function auditKey(entry: NewAudit & { at: Date }): string {
  return JSON.stringify([entry.at.getTime(), entry.actor, entry.action, entry.deviceId, entry.result, entry.detail]);
}

export async function planMigration(source: Store, target: Store): Promise<MigrationPlan> {
  const plan: MigrationPlan = { users: [], locks: [], audit: [], unchanged: { users: 0, locks: 0, audit: 0 }, skipped: [], conflicts: [] };
  const sourceUsers = await source.users.list();
  // Which of `Alice` and `alice` is the person is not ours to guess (sign-in lower-cases typed names).
  const ambiguous = new Set<string>();
  for (const group of caseVariantGroups(sourceUsers.map((user) => user.username))) {
    plan.skipped.push(`users ${group.map((name) => `"${name}"`).join(', ')}: usernames differing only in case (rename all but one in the source, then run again)`);
    for (const name of group) ambiguous.add(name);
  }
  const migratedUsers = new Set<string>();
  for (const user of sourceUsers) {
    if (ambiguous.has(user.username)) continue;
    if (user.passwordHash === '') {
      plan.skipped.push(`user "${user.username}": no password hash`);
      continue;
    }
    migratedUsers.add(user.username);
    const existing = await target.users.findByUsername(user.username);
    if (!existing) plan.users.push(user);
    else if (existing.role !== user.role) plan.conflicts.push(`user "${user.username}": already in the target with role ${existing.role}, ${user.role} in the source`);
    else plan.unchanged.users += 1;
  }

  for (const lock of await source.locks.listAll()) {
    if (!migratedUsers.has(lock.owner)) {
      plan.skipped.push(`lock "${lock.deviceId}": its owner "${lock.owner}" is not migrated${ambiguous.has(lock.owner) ? ' (username differing only in case)' : ' (no such user)'}`);
      continue;
    }
    const existing = await target.locks.findByDeviceId(lock.deviceId);
    if (!existing) plan.locks.push(lock);
    else if (existing.owner !== lock.owner) plan.conflicts.push(`lock "${lock.deviceId}": already in the target owned by "${existing.owner}", by "${lock.owner}" in the source`);
    else plan.unchanged.locks += 1;
  }

  const present = new Map<string, number>();
  for (const entry of await allAudit(target)) present.set(auditKey(entry), (present.get(auditKey(entry)) ?? 0) + 1);
  // Oldest first, so the target's ids follow the entries' times.
  for (const entry of (await allAudit(source)).sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const key = auditKey(entry);
    const left = present.get(key) ?? 0;
    if (left > 0) {
      // Counted, not just looked up: two identical source entries are two entries.
      present.set(key, left - 1);
      plan.unchanged.audit += 1;
      continue;
    }
    plan.audit.push({ at: entry.at, actor: entry.actor, action: entry.action, deviceId: entry.deviceId, result: entry.result, detail: entry.detail });
  }
  return plan;
}

/** Writes the plan. The user keeps the Werkzeug hash (upgraded at the first sign-in); the lock keeps no secret. */
export async function applyMigration(plan: MigrationPlan, target: Store): Promise<void> {
  if (plan.conflicts.length > 0) throw new Error(`conflicting data in the target: ${plan.conflicts.join('; ')}`);
  for (const user of plan.users) await target.users.create({ username: user.username, passwordHash: user.passwordHash, role: user.role });
  for (const lock of plan.locks) {
    await target.locks.create({ deviceId: lock.deviceId, name: lock.name, owner: lock.owner, secretSealed: '' });
    // Unreachable until its owner issues credentials ("New secret"), as on the Mongo adapter.
    await target.locks.update(lock.deviceId, {
      status: lock.status,
      state: 'UNAVAILABLE',
      lastSeen: lock.lastSeen,
      issue: NEEDS_PROVISIONING_ISSUE,
      battery: lock.battery,
      power: lock.power,
      rssi: lock.rssi,
      firmware: lock.firmware,
    });
  }
  for (const entry of plan.audit) await target.audit.append(entry);
}

export function describePlan(plan: MigrationPlan, dryRun: boolean): string {
  const verb = dryRun ? 'would copy' : 'copied';
  const lines = [
    ...plan.skipped.map((line) => `skipped ${line}`),
    ...plan.conflicts.map((line) => `conflict: ${line}`),
    `${verb} ${plan.users.length} users, ${plan.locks.length} locks, ${plan.audit.length} log entries; ` +
      `already there: ${plan.unchanged.users} users, ${plan.unchanged.locks} locks, ${plan.unchanged.audit} log entries; skipped ${plan.skipped.length}`,
  ];
  if (dryRun) lines.push('dry run: nothing was written');
  return `${lines.join('\n')}\n`;
}
