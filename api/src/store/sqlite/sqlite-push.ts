/** SQLite adapter of web push subscriptions (one row per browser endpoint) and preferences. */
import { randomUUID } from 'node:crypto';
import type { PushRepository } from '../ports.js';
import type { PushKind, PushSubscriptionRecord } from '../push-records.js';
import { type Db, fromMsOrNull, inserted, writeReturning } from './sqlite-helpers.js';

interface SubscriptionRow {
  id: string;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  device_label: string;
  session_id: string | null;
  created_at: number;
  last_success_at: number | null;
}

interface PreferenceRow {
  user_id: string;
  device_id: string;
  kind: PushKind;
  enabled: number;
}

function toSubscription(row: SubscriptionRow): PushSubscriptionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    endpoint: row.endpoint,
    p256dh: row.p256dh,
    auth: row.auth,
    deviceLabel: row.device_label,
    sessionId: row.session_id,
    createdAt: new Date(row.created_at),
    lastSuccessAt: fromMsOrNull(row.last_success_at),
  };
}

type SaveParams = Omit<SubscriptionRow, 'last_success_at'>;

export function createSqlitePush(db: Db): PushRepository {
  // A browser re-subscribing (new keys) or signed in as someone else keeps one row per endpoint.
  const save = db.prepare<[SaveParams], SubscriptionRow>(
    `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, device_label, session_id, created_at)
       VALUES (@id, @user_id, @endpoint, @p256dh, @auth, @device_label, @session_id, @created_at)
     ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
       device_label = excluded.device_label, session_id = excluded.session_id, created_at = excluded.created_at, last_success_at = NULL
     RETURNING *`,
  );
  const list = db.prepare<[string], SubscriptionRow>('SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY created_at, id');
  const remove = db.prepare<[string, string]>('DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ?');
  const removeEndpoint = db.prepare<[string]>('DELETE FROM push_subscriptions WHERE endpoint = ?');
  const removeBySession = db.prepare<[string]>('DELETE FROM push_subscriptions WHERE session_id = ?');
  const removeByUser = db.prepare<[string]>('DELETE FROM push_subscriptions WHERE user_id = ?');
  const delivered = db.prepare<[number, string]>('UPDATE push_subscriptions SET last_success_at = ? WHERE endpoint = ?');
  const preferences = db.prepare<[string], PreferenceRow>('SELECT * FROM push_preferences WHERE user_id = ? ORDER BY device_id, kind');
  const optedIn = db.prepare<[string, string], { user_id: string }>('SELECT user_id FROM push_preferences WHERE device_id = ? AND kind = ? AND enabled = 1 ORDER BY user_id');
  const setPreference = db.prepare<[PreferenceRow]>(
    `INSERT INTO push_preferences (user_id, device_id, kind, enabled) VALUES (@user_id, @device_id, @kind, @enabled)
     ON CONFLICT (user_id, device_id, kind) DO UPDATE SET enabled = excluded.enabled`,
  );
  return {
    async saveSubscription(subscription) {
      const row = writeReturning(save, {
        id: randomUUID(),
        user_id: subscription.userId,
        endpoint: subscription.endpoint,
        p256dh: subscription.p256dh,
        auth: subscription.auth,
        device_label: subscription.deviceLabel,
        session_id: subscription.sessionId,
        created_at: Date.now(),
      });
      return toSubscription(inserted(row));
    },
    async listSubscriptions(userId) {
      return list.all(userId).map(toSubscription);
    },
    async removeSubscription(userId, endpoint) {
      return remove.run(userId, endpoint).changes > 0;
    },
    async removeEndpoint(endpoint) {
      removeEndpoint.run(endpoint);
    },
    async removeBySession(sessionId) {
      return removeBySession.run(sessionId).changes;
    },
    async removeByUser(userId) {
      return removeByUser.run(userId).changes;
    },
    async markDelivered(endpoint, at) {
      delivered.run(at.getTime(), endpoint);
    },
    async listPreferences(userId) {
      return preferences.all(userId).map((row) => ({ userId: row.user_id, deviceId: row.device_id, kind: row.kind, enabled: row.enabled === 1 }));
    },
    async listOptedIn(deviceId, kind) {
      return optedIn.all(deviceId, kind).map((row) => row.user_id);
    },
    async setPreference(preference) {
      setPreference.run({ user_id: preference.userId, device_id: preference.deviceId, kind: preference.kind, enabled: preference.enabled ? 1 : 0 });
    },
  };
}
