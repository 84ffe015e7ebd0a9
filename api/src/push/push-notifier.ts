/**
 * Follows the audit trail and pushes what each person chose to hear. Off the request path: an
 * entry only queues work; a bounded queue drops (and counts) what a stalled push service would
 * otherwise pile up. Rights and preferences are read when the push is sent, not when queued.
 */
import type { Logger } from '../app/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/ports.js';
import { ACCOUNT_PUSH_SCOPE, type AuditRecord, type LockRecord } from '../store/records.js';
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
    const { store, sender, metrics } = this.deps;
    if (intent.causedBy === intent.recipient) return;
    const user = await store.users.findByUsername(intent.recipient);
    if (!user) return;
    const choice = (await store.push.listPreferences(user.id)).find(
      (preference) => preference.kind === intent.kind && preference.deviceId === (intent.deviceId ?? ACCOUNT_PUSH_SCOPE),
    );
    if (choice && !choice.enabled) return;
    const subscriptions = await store.push.listSubscriptions(user.id);
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
