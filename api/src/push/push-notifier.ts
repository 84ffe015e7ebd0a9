/**
 * Follows the audit trail and pushes what each person chose to hear. Off the request path: an
 * entry only queues work; a bounded queue drops (and counts) what a stalled push service would
 * otherwise pile up. Rights and preferences are read when the push is sent, not when queued:
 * a lock's owner is told unless they turned the kind off; an admin only about the locks of others
 * they turned it on for.
 */
import type { Logger } from '../app/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/ports.js';
import type { AuditRecord, LockRecord } from '../store/records.js';
import { ACCOUNT_PUSH_SCOPE } from '../store/push-records.js';
import { PushIntents } from './push-intents.js';
import type { PushIntent } from './push-message.js';
import type { PushSender } from './push-sender.js';

export interface PushNotifierDeps {
  store: Store;
  intents: PushIntents;
  sender: PushSender;
  metrics: Metrics;
  log: Logger;
  /** Entries waiting beyond this are dropped. */
  maxQueued?: number;
}

export class PushNotifier {
  private readonly queue: { entry: AuditRecord; lock: LockRecord | undefined }[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly deps: PushNotifierDeps) {}

  /** For AuditService.onRecorded: never blocks, never throws. */
  readonly heard = (entry: AuditRecord, _owner: string | null, lock?: LockRecord): void => {
    if (!PushIntents.concerns(entry)) return;
    if (this.queue.length >= (this.deps.maxQueued ?? 1000)) {
      this.deps.metrics.pushSent.inc({ result: 'dropped' });
      return;
    }
    this.queue.push({ entry, lock });
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  };

  /** Resolves once everything queued so far was handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      try {
        const intent = await this.deps.intents.of(next.entry, next.lock);
        if (intent) await this.deliver(intent);
      } catch (error) {
        this.deps.log.warn({ err: error, action: next.entry.action }, 'push notification not sent');
      }
    }
  }

  private async deliver(intent: PushIntent): Promise<void> {
    for (const userId of await this.recipients(intent)) await this.deliverTo(userId, intent);
  }

  /**
   * The owner (or, for the account, the user) unless they turned the kind off; for a lock, also
   * the admins who turned it on (only while they are admins). Never whoever caused it.
   */
  private async recipients(intent: PushIntent): Promise<string[]> {
    const { store } = this.deps;
    const ids: string[] = [];
    const owner = await store.users.findByUsername(intent.recipient);
    if (owner && owner.username !== intent.causedBy) {
      const choice = (await store.push.listPreferences(owner.id)).find(
        (preference) => preference.kind === intent.kind && preference.deviceId === (intent.deviceId ?? ACCOUNT_PUSH_SCOPE),
      );
      if (choice?.enabled !== false) ids.push(owner.id);
    }
    if (intent.deviceId === null) return ids;
    for (const userId of await store.push.listOptedIn(intent.deviceId, intent.kind)) {
      if (userId === owner?.id) continue;
      const user = await store.users.findById(userId);
      if (user?.role === 'ADMIN' && user.username !== intent.causedBy) ids.push(user.id);
    }
    return ids;
  }

  private async deliverTo(userId: string, intent: PushIntent): Promise<void> {
    const { store, sender, metrics } = this.deps;
    const subscriptions = await store.push.listSubscriptions(userId);
    await Promise.all(
      subscriptions.map(async (subscription) => {
        const result = await sender.send(subscription, intent);
        metrics.pushSent.inc({ result });
        if (result === 'gone') await store.push.removeEndpoint(subscription.endpoint);
        if (result === 'delivered') await store.push.markDelivered(subscription.endpoint, new Date());
      }),
    );
  }
}
