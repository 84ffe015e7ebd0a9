/** MongoDB adapter of web push subscriptions (one document per endpoint) and preferences. */
import { randomUUID } from 'node:crypto';
import type { PushRepository } from '../ports.js';
import type { PushKind, PushSubscriptionRecord } from '../push-records.js';
import { AFTER } from './mongo-helpers.js';
import type { MongoModels, PushPreferenceDoc, PushSubscriptionDoc } from './mongo-models.js';

function toSubscription(doc: PushSubscriptionDoc): PushSubscriptionRecord {
  return {
    id: doc._id,
    userId: doc.user_id,
    endpoint: doc.endpoint,
    p256dh: doc.p256dh,
    auth: doc.auth,
    deviceLabel: doc.device_label,
    sessionId: doc.session_id ?? null,
    createdAt: doc.created_at,
    lastSuccessAt: doc.last_success_at ?? null,
  };
}

export function createMongoPush({ pushSubscriptions, pushPreferences }: MongoModels): PushRepository {
  return {
    async saveSubscription(subscription) {
      // One document per endpoint, whoever held it (a browser signed in as someone else moves to them).
      const doc = await pushSubscriptions
        .findOneAndUpdate(
          { endpoint: subscription.endpoint },
          {
            $set: {
              user_id: subscription.userId,
              p256dh: subscription.p256dh,
              auth: subscription.auth,
              device_label: subscription.deviceLabel,
              session_id: subscription.sessionId,
              created_at: new Date(),
              last_success_at: null,
            },
            $setOnInsert: { _id: randomUUID() },
          },
          { ...AFTER, upsert: true },
        )
        .lean<PushSubscriptionDoc>();
      if (!doc) throw new Error('push subscription upsert returned no document');
      return toSubscription(doc);
    },
    async listSubscriptions(userId) {
      return (await pushSubscriptions.find({ user_id: userId }).sort({ created_at: 1, _id: 1 }).lean<PushSubscriptionDoc[]>()).map(toSubscription);
    },
    async removeSubscription(userId, endpoint) {
      return (await pushSubscriptions.deleteOne({ user_id: userId, endpoint })).deletedCount > 0;
    },
    async removeEndpoint(endpoint) {
      await pushSubscriptions.deleteOne({ endpoint });
    },
    async removeBySession(sessionId) {
      return (await pushSubscriptions.deleteMany({ session_id: sessionId })).deletedCount;
    },
    async removeByUser(userId) {
      return (await pushSubscriptions.deleteMany({ user_id: userId })).deletedCount;
    },
    async markDelivered(endpoint, at) {
      await pushSubscriptions.updateOne({ endpoint }, { $set: { last_success_at: at } });
    },
    async listPreferences(userId) {
      const docs = await pushPreferences.find({ user_id: userId }).sort({ device_id: 1, kind: 1 }).lean<PushPreferenceDoc[]>();
      // Only this adapter writes `kind`, from the checked record type.
      return docs.map((doc) => ({ userId: doc.user_id, deviceId: doc.device_id, kind: doc.kind as PushKind, enabled: doc.enabled }));
    },
    async listOptedIn(deviceId, kind) {
      const docs = await pushPreferences.find({ device_id: deviceId, kind, enabled: true }).sort({ user_id: 1 }).select('user_id').lean<{ user_id: string }[]>();
      return docs.map((doc) => doc.user_id);
    },
    async setPreference(preference) {
      await pushPreferences.updateOne(
        { user_id: preference.userId, device_id: preference.deviceId, kind: preference.kind },
        { $set: { enabled: preference.enabled } },
        { upsert: true },
      );
    },
  };
}
