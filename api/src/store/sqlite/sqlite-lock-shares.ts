/** SQLite adapter of lock shares and share invitations (gone with their lock: ON DELETE CASCADE). */
import type { LockShareRepository } from '../lock-share-port.js';
import type { LockShareRecord, ShareInvitationRecord, ShareRole, StoredWeeklySlot } from '../lock-share-records.js';
import { type Db, fromMsOrNull, inserted, toMsOrNull, writeReturning } from './sqlite-helpers.js';

interface RuleColumns {
  starts_at: number | null;
  ends_at: number | null;
  weekly: string;
}

interface ShareRow extends RuleColumns {
  id: string;
  device_id: string;
  guest: string;
  role: ShareRole;
  created_by: string;
  created_at: number;
  updated_at: number;
}

interface InvitationRow extends RuleColumns {
  id: string;
  device_id: string;
  token_hash: string;
  role: ShareRole;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: string | null;
}

function ruleOf(row: RuleColumns) {
  return { startsAt: fromMsOrNull(row.starts_at), endsAt: fromMsOrNull(row.ends_at), weekly: JSON.parse(row.weekly) as StoredWeeklySlot[] };
}

function toShare(row: ShareRow): LockShareRecord {
  return {
    id: row.id,
    deviceId: row.device_id,
    guest: row.guest,
    role: row.role,
    ...ruleOf(row),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toInvitation(row: InvitationRow): ShareInvitationRecord {
  return {
    id: row.id,
    deviceId: row.device_id,
    tokenHash: row.token_hash,
    role: row.role,
    ...ruleOf(row),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    usedAt: fromMsOrNull(row.used_at),
    usedBy: row.used_by,
  };
}

export function createSqliteLockShares(db: Db): LockShareRepository {
  // The conflict keeps the row's id and created_at: the person's share changes, it is not a new one.
  const put = db.prepare<[string, string, string, string, number | null, number | null, string, string, number, number], ShareRow>(
    `INSERT INTO lock_shares (id, device_id, guest, role, starts_at, ends_at, weekly, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (device_id, guest) DO UPDATE SET role = excluded.role, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
       weekly = excluded.weekly, created_by = excluded.created_by, updated_at = excluded.updated_at
     RETURNING *`,
  );
  const byId = db.prepare<[string], ShareRow>('SELECT * FROM lock_shares WHERE id = ?');
  const byPair = db.prepare<[string, string], ShareRow>('SELECT * FROM lock_shares WHERE device_id = ? AND guest = ?');
  const byDevice = db.prepare<[string], ShareRow>('SELECT * FROM lock_shares WHERE device_id = ? ORDER BY created_at, id');
  const byGuest = db.prepare<[string], ShareRow>('SELECT * FROM lock_shares WHERE guest = ? ORDER BY created_at, id');
  const update = db.prepare<[string, number | null, number | null, string, number, string], ShareRow>(
    'UPDATE lock_shares SET role = ?, starts_at = ?, ends_at = ?, weekly = ?, updated_at = ? WHERE id = ? RETURNING *',
  );
  const remove = db.prepare<[string], ShareRow>('DELETE FROM lock_shares WHERE id = ? RETURNING *');
  const removeByDevice = db.prepare<[string], ShareRow>('DELETE FROM lock_shares WHERE device_id = ? RETURNING *');
  const removeInvitationsByDevice = db.prepare<[string]>('DELETE FROM share_invitations WHERE device_id = ?');
  const insertInvitation = db.prepare<[string, string, string, string, number | null, number | null, string, string, number, number], InvitationRow>(
    `INSERT INTO share_invitations (id, device_id, token_hash, role, starts_at, ends_at, weekly, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const invitationById = db.prepare<[string], InvitationRow>('SELECT * FROM share_invitations WHERE id = ?');
  const invitationByHash = db.prepare<[string], InvitationRow>('SELECT * FROM share_invitations WHERE token_hash = ?');
  const pending = db.prepare<[string, number], InvitationRow>(
    'SELECT * FROM share_invitations WHERE device_id = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id DESC',
  );
  const use = db.prepare<[number, string, string, number], InvitationRow>(
    'UPDATE share_invitations SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND expires_at > ? RETURNING *',
  );
  const cancel = db.prepare<[string]>('DELETE FROM share_invitations WHERE id = ? AND used_at IS NULL');
  const forgetShares = db.prepare<[string], ShareRow>('DELETE FROM lock_shares WHERE guest = ? RETURNING *');
  const forgetInvitations = db.prepare<[string]>('DELETE FROM share_invitations WHERE created_by = ? AND used_at IS NULL');
  const renameShareCreator = db.prepare<[string, string]>('UPDATE lock_shares SET created_by = ? WHERE created_by = ?');
  const renameInvitationCreator = db.prepare<[string, string]>('UPDATE share_invitations SET created_by = ? WHERE created_by = ?');
  const renameInvitationUser = db.prepare<[string, string]>('UPDATE share_invitations SET used_by = ? WHERE used_by = ?');

  const removeAll = db.transaction((deviceId: string) => {
    removeInvitationsByDevice.run(deviceId);
    return removeByDevice.all(deviceId);
  });
  const forget = db.transaction((username: string, pseudonym: string) => {
    const gone = forgetShares.all(username);
    forgetInvitations.run(username);
    renameShareCreator.run(pseudonym, username);
    renameInvitationCreator.run(pseudonym, username);
    renameInvitationUser.run(pseudonym, username);
    return gone;
  });

  return {
    async put(share) {
      const at = share.at.getTime();
      const { rule } = share;
      return toShare(inserted(writeReturning(put, share.id, share.deviceId, share.guest, share.role, toMsOrNull(rule.startsAt), toMsOrNull(rule.endsAt), JSON.stringify(rule.weekly), share.createdBy, at, at)));
    },
    async findById(id) {
      const row = byId.get(id);
      return row ? toShare(row) : null;
    },
    async find(deviceId, guest) {
      const row = byPair.get(deviceId, guest);
      return row ? toShare(row) : null;
    },
    async listByDevice(deviceId) {
      return byDevice.all(deviceId).map(toShare);
    },
    async listByGuest(guest) {
      return byGuest.all(guest).map(toShare);
    },
    async update(id, { role, rule, at }) {
      const row = writeReturning(update, role, toMsOrNull(rule.startsAt), toMsOrNull(rule.endsAt), JSON.stringify(rule.weekly), at.getTime(), id);
      return row ? toShare(row) : null;
    },
    async remove(id) {
      const row = writeReturning(remove, id);
      return row ? toShare(row) : null;
    },
    async removeByDevice(deviceId) {
      return removeAll.immediate(deviceId).map(toShare);
    },
    async createInvitation(invitation) {
      const i = invitation;
      return toInvitation(
        inserted(writeReturning(insertInvitation, i.id, i.deviceId, i.tokenHash, i.role, toMsOrNull(i.startsAt), toMsOrNull(i.endsAt), JSON.stringify(i.weekly), i.createdBy, i.createdAt.getTime(), i.expiresAt.getTime())),
      );
    },
    async findInvitation(id) {
      const row = invitationById.get(id);
      return row ? toInvitation(row) : null;
    },
    async findInvitationByTokenHash(tokenHash) {
      const row = invitationByHash.get(tokenHash);
      return row ? toInvitation(row) : null;
    },
    async listPendingInvitations(deviceId, now) {
      return pending.all(deviceId, now.getTime()).map(toInvitation);
    },
    async useInvitation(id, username, at) {
      const row = writeReturning(use, at.getTime(), username, id, at.getTime());
      return row ? toInvitation(row) : null;
    },
    async cancelInvitation(id) {
      return cancel.run(id).changes > 0;
    },
    async forgetUser(username, pseudonym) {
      return forget.immediate(username, pseudonym).map(toShare);
    },
  };
}
