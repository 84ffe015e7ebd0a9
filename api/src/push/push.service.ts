/** What a signed-in person does with push: register a browser, remove it, choose what to hear. */
import { BadUserInputError } from '../errors/graphql-errors.js';
import { canSeeLock, lockNotFound } from '../locks/lock-access.js';
import type { Store } from '../store/ports.js';
import type { UserRecord } from '../store/records.js';
import { ACCOUNT_PUSH_SCOPE, PUSH_KINDS, type PushKind, type PushSubscriptionRecord } from '../store/push-records.js';

/** Kinds about the account rather than a lock. */
export const ACCOUNT_KINDS: readonly PushKind[] = ['NEW_SIGN_IN'];
export const LOCK_KINDS: readonly PushKind[] = PUSH_KINDS.filter((kind) => !ACCOUNT_KINDS.includes(kind));

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export interface SubscriptionInput {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushPreferenceView {
  deviceId: string | null;
  kind: PushKind;
  enabled: boolean;
}

export class PushService {
  constructor(
    private readonly store: Store,
    /** Outside production a push service on this machine is accepted over http (tests stand one in). */
    private readonly allowLoopbackHttp: boolean,
  ) {}

  async subscribe(viewer: UserRecord, sessionId: string | null, input: SubscriptionInput, deviceLabel: string): Promise<PushSubscriptionRecord> {
    const endpoint = this.checkedEndpoint(input.endpoint);
    const p256dh = checkedKey(input.p256dh, 'p256dh', 65);
    const auth = checkedKey(input.auth, 'auth', 16);
    const label = deviceLabel.trim();
    if (label.length < 1 || label.length > 64) throw new BadUserInputError('The device name must be 1–64 characters.', 'deviceLabel');
    return this.store.push.saveSubscription({ userId: viewer.id, endpoint, p256dh, auth, deviceLabel: label, sessionId });
  }

  unsubscribe(viewer: UserRecord, endpoint: string): Promise<boolean> {
    return this.store.push.removeSubscription(viewer.id, endpoint);
  }

  devices(viewer: UserRecord): Promise<PushSubscriptionRecord[]> {
    return this.store.push.listSubscriptions(viewer.id);
  }

  /**
   * Every choice the viewer has: each kind for each lock they own (on unless turned off), the
   * account's, and what an admin turned on or off for locks of others (off unless turned on).
   */
  async preferences(viewer: UserRecord): Promise<PushPreferenceView[]> {
    const [locks, chosen] = await Promise.all([this.store.locks.listByOwner(viewer.username), this.store.push.listPreferences(viewer.id)]);
    const owned = new Set(locks.map((lock) => lock.deviceId));
    const enabled = (deviceId: string, kind: PushKind) => chosen.find((p) => p.deviceId === deviceId && p.kind === kind)?.enabled ?? true;
    const othersLocks = viewer.role === 'ADMIN' ? chosen.filter((p) => p.deviceId !== ACCOUNT_PUSH_SCOPE && !owned.has(p.deviceId)) : [];
    return [
      ...ACCOUNT_KINDS.map((kind) => ({ deviceId: null, kind, enabled: enabled(ACCOUNT_PUSH_SCOPE, kind) })),
      ...locks.flatMap((lock) => LOCK_KINDS.map((kind) => ({ deviceId: lock.deviceId, kind, enabled: enabled(lock.deviceId, kind) }))),
      ...othersLocks.map(({ deviceId, kind, enabled: on }) => ({ deviceId, kind, enabled: on })),
    ];
  }

  /**
   * Lock kinds need a lock the viewer may see (their own, or any for an admin; anyone else's is
   * NOT_FOUND, as everywhere); account kinds take no lock.
   */
  async setPreference(viewer: UserRecord, deviceId: string | null, kind: PushKind, enabled: boolean): Promise<PushPreferenceView> {
    if (ACCOUNT_KINDS.includes(kind)) {
      if (deviceId !== null) throw new BadUserInputError(`${kind} is about the account: leave deviceId out.`, 'deviceId');
    } else {
      if (deviceId === null) throw new BadUserInputError(`${kind} is chosen per lock: give its deviceId.`, 'deviceId');
      const lock = await this.store.locks.findByDeviceId(deviceId);
      if (!lock || !canSeeLock(viewer, lock)) throw lockNotFound(deviceId);
    }
    await this.store.push.setPreference({ userId: viewer.id, deviceId: deviceId ?? ACCOUNT_PUSH_SCOPE, kind, enabled });
    return { deviceId, kind, enabled };
  }

  private checkedEndpoint(endpoint: string): string {
    const url = endpoint.length <= 2048 && URL.canParse(endpoint) ? new URL(endpoint) : null;
    const allowed = url && !url.username && !url.password && (url.protocol === 'https:' || (this.allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)));
    if (!allowed) throw new BadUserInputError('The push endpoint must be an https:// URL from the browser\'s push service.', 'endpoint');
    return url.href;
  }
}

/** A base64url key of `bytes` bytes (p256dh: an uncompressed P-256 point; auth: 16 bytes). */
function checkedKey(value: string, field: 'p256dh' | 'auth', bytes: number): string {
  const decoded = BASE64URL.test(value) ? Buffer.from(value, 'base64url') : null;
  if (decoded?.length !== bytes || (field === 'p256dh' && decoded[0] !== 0x04)) {
    throw new BadUserInputError(`The subscription's ${field} key must be ${bytes} bytes, base64url.`, field);
  }
  return decoded.toString('base64url');
}
