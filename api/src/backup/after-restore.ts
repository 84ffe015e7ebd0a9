/**
 * What a restore must undo of the past it brings back (issue: an old backup must never revive
 * revoked tokens or stale states):
 * - every session ends: refresh tokens are revoked and every user's token version moves to a value
 *   no token was issued with (at least the restore time in ms), so access tokens signed after the
 *   backup, which the restored rows would otherwise accept again, are refused too;
 * - every lock is UNAVAILABLE ("Restored from a backup") until it sends a fresh signed status, so the
 *   app never shows a state from the backup as current, and no command is accepted before the lock's
 *   status has raised the command counter above anything it already used;
 * - a command still SENT in the backup ends TIMED_OUT: whether it ran is unknown, and it is never
 *   sent again (its counter is at or below the lock's, which would refuse it anyway).
 * Store-agnostic (the Store ports), so `npm run restore -- --after-mongorestore` runs it on MongoDB.
 */
import type { AuditService } from '../audit/audit.service.js';
import type { Store } from '../store/ports.js';

export const RESTORED_ISSUE = 'Restored from a backup';
export const RESTORED_COMMAND_REASON = 'restored from a backup: outcome unknown';
const BATCH = 500;

export interface AfterRestoreSummary {
  users: number;
  locks: number;
  commands: number;
}

export async function invalidateAfterRestore(store: Store, audit: AuditService, now: Date, source: string): Promise<AfterRestoreSummary> {
  const users = await store.users.list();
  for (const user of users) await store.sessions.revokeAllForUser(user.id, now);
  await store.users.invalidateAllTokenVersions(now.getTime());

  let locks = 0;
  for (;;) {
    const batch = await store.locks.markAllUnavailable(RESTORED_ISSUE, BATCH);
    for (const lock of batch) {
      await audit.record({ actor: null, action: 'lock.offline', deviceId: lock.deviceId, result: 'UNAVAILABLE', detail: RESTORED_ISSUE }, lock.owner);
    }
    locks += batch.length;
    if (batch.length < BATCH) break;
  }

  let commands = 0;
  const future = new Date(8.64e15); // every SENT command, however recent
  for (;;) {
    const batch = await store.commands.findSentBefore(future, BATCH);
    for (const command of batch) {
      if (await store.commands.complete(command.id, 'TIMED_OUT', RESTORED_COMMAND_REASON, now)) commands++;
    }
    if (batch.length < BATCH) break;
  }

  await audit.record({ actor: null, action: 'store.restored', deviceId: null, result: 'ok', detail: `${source}: ${users.length} users signed out, ${locks} locks unavailable, ${commands} commands ended` });
  return { users: users.length, locks, commands };
}
