/**
 * Sends one push to one browser: web-push builds the request (RFC 8291 aes128gcm encryption with
 * the browser's keys, RFC 8292 VAPID JWT), and we post it ourselves so that the transport has a
 * timeout and a test can stand in a local push service (http://127.0.0.1 outside production).
 */
import webpush from 'web-push';
import type { Logger } from '../app/logger.js';
import type { VapidKeys } from '../config/vapid-keys.js';
import type { PushSubscriptionRecord } from '../store/push-records.js';
import type { PushIntent } from './push-message.js';

export type DeliveryResult = 'delivered' | 'gone' | 'failed';

export interface PushSenderOptions {
  vapid: VapidKeys;
  subject: string;
  log: Logger;
  timeoutMs?: number;
}

export class PushSender {
  constructor(private readonly options: PushSenderOptions) {}

  async send(subscription: PushSubscriptionRecord, intent: PushIntent): Promise<DeliveryResult> {
    const { vapid, subject, log } = this.options;
    const request = webpush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      JSON.stringify(intent.payload),
      { vapidDetails: { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey }, TTL: intent.ttlSeconds, urgency: intent.urgency, contentEncoding: 'aes128gcm' },
    );
    try {
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        ...(request.body ? { body: new Uint8Array(request.body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
      await response.arrayBuffer().catch(() => undefined);
      // RFC 8030 §7.3 / §6.2: the subscription expired or was removed by the browser.
      if (response.status === 404 || response.status === 410) return 'gone';
      if (response.ok) return 'delivered';
      log.warn({ status: response.status, origin: new URL(subscription.endpoint).origin }, 'push service refused a notification');
      return 'failed';
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error), origin: new URL(subscription.endpoint).origin }, 'push service unreachable');
      return 'failed';
    }
  }
}
