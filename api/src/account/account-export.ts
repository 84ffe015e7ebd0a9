/**
 * "Download my data" (GDPR articles 15 and 20): everything the api keeps about the viewer, as one
 * JSON document a person can read and another service can import. Secrets are never in it: not the
 * password hash, not the locks' device secrets (sealed), not refresh tokens (hashed). Passkeys are
 * listed by name and dates (their public keys are not secrets, but are of no use to a person).
 */
import type { LockShareRecord } from '../store/lock-share-records.js';
import type { Store } from '../store/ports.js';
import type { AuditRecord, CommandRecord, UserRecord } from '../store/records.js';

export const EXPORT_FORMAT = 'smartlock-export';
const PAGE = 500;

export interface AccountExport {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  account: { username: string; role: string; createdAt: string };
  locks: { deviceId: string; name: string; status: string; state: string; lastSeen: string | null; firmware: string | null; createdAt: string }[];
  commands: { id: string; deviceId: string; action: string; state: string; reason: string | null; requestedBy: string; createdAt: string; completedAt: string | null }[];
  activity: { at: string; actor: string | null; action: string; deviceId: string | null; result: string; detail: string | null }[];
  pushSubscriptions: { endpoint: string; createdAt: string }[];
  /** The recovery email address (auth/recovery/), null when none is set. */
  recoveryEmail: { address: string; verified: boolean; verifiedAt: string | null } | null;
  passkeys: { name: string; createdAt: string; lastUsedAt: string | null; transports: string[] }[];
  /** Shares of the viewer's locks they gave, and shares of others' locks they hold. */
  shares: { given: ExportedShare[]; received: ExportedShare[] };
}

interface ExportedShare {
  deviceId: string;
  guest: string;
  role: string;
  startsAt: string | null;
  endsAt: string | null;
  weekly: { days: string[]; from: string; to: string }[];
  createdBy: string;
  createdAt: string;
}

const exportedShare = (s: LockShareRecord): ExportedShare => ({
  deviceId: s.deviceId,
  guest: s.guest,
  role: s.role,
  startsAt: iso(s.startsAt),
  endsAt: iso(s.endsAt),
  weekly: s.weekly,
  createdBy: s.createdBy,
  createdAt: s.createdAt.toISOString(),
});

async function everyPage<T>(read: (after: string | undefined) => Promise<{ items: T[]; hasNextPage: boolean; endCursor: string | null }>): Promise<T[]> {
  const all: T[] = [];
  for (let after: string | undefined; ; ) {
    const page = await read(after);
    all.push(...page.items);
    if (!page.hasNextPage || page.endCursor === null) return all;
    after = page.endCursor;
  }
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export async function exportAccount(store: Store, user: UserRecord, now: Date): Promise<AccountExport> {
  const locks = await store.locks.listByOwner(user.username);
  const commands: CommandRecord[] = [];
  for (const lock of locks) commands.push(...(await everyPage((after) => store.commands.listByDevice(lock.deviceId, { first: PAGE, after }))));
  // Their own entries and those about their locks since they registered them: what the app's history shows them.
  const scope = { devices: locks.map((lock) => ({ deviceId: lock.deviceId, since: lock.createdAt })), actor: user.username };
  const activity: AuditRecord[] = await everyPage((after) => store.audit.query({ scope }, { first: PAGE, after }));
  const push = await store.push.listSubscriptions(user.id);
  const email = await store.emails.find(user.id);
  const passkeys = await store.passkeys.listByUser(user.id);
  const given = (await Promise.all(locks.map((lock) => store.lockShares.listByDevice(lock.deviceId)))).flat();
  const received = await store.lockShares.listByGuest(user.username);
  return {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: now.toISOString(),
    account: { username: user.username, role: user.role, createdAt: user.createdAt.toISOString() },
    locks: locks.map((l) => ({ deviceId: l.deviceId, name: l.name, status: l.status, state: l.state, lastSeen: iso(l.lastSeen), firmware: l.firmware ?? null, createdAt: l.createdAt.toISOString() })),
    commands: commands.map((c) => ({ id: c.id, deviceId: c.deviceId, action: c.action, state: c.state, reason: c.reason, requestedBy: c.requestedBy, createdAt: c.createdAt.toISOString(), completedAt: iso(c.completedAt) })),
    activity: activity.map((a) => ({ at: a.at.toISOString(), actor: a.actor, action: a.action, deviceId: a.deviceId, result: a.result, detail: a.detail })),
    pushSubscriptions: push.map((p) => ({ endpoint: p.endpoint, createdAt: p.createdAt.toISOString() })),
    recoveryEmail: email ? { address: email.address, verified: email.verifiedAt !== null, verifiedAt: iso(email.verifiedAt) } : null,
    passkeys: passkeys.map((p) => ({ name: p.name, createdAt: p.createdAt.toISOString(), lastUsedAt: iso(p.lastUsedAt), transports: p.transports })),
    shares: { given: given.map(exportedShare), received: received.map(exportedShare) },
  };
}
