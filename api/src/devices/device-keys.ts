/**
 * Device secrets at rest: sealed with AES-256-GCM under SECRETS_KEY, with the
 * device id as associated data so a sealed secret cannot be moved to another
 * lock's row. Opened keys are cached to keep HMAC checks on the ingest path
 * allocation-light: one entry per lock, used only while the sealed form it was
 * opened from is the one asked for, so a rotated secret is never served from it.
 *
 * The cache follows (see `follow`): `lock.secretRotated` and `lock.removed` drop
 * the lock's entry, and `bus.resync` (events may have been missed) drops all.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Logger } from '../app/logger.js';
import type { EventBus } from '../events/events.js';
import { followEvents } from '../events/follow-events.js';
import { deriveKey, type KeyLabel } from './protocol/keys.js';
import type { ServerSigningKeys } from './protocol/server-messages.js';

const VERSION = 'v1';
const MAX_CACHE = 100_000;

export class DeviceKeys {
  private readonly cache = new Map<string, { sealed: string; secret: Buffer; derived?: Map<KeyLabel, Buffer> }>();

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes');
  }

  seal(deviceId: string, secret: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(deviceId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Throws if the sealed value was tampered with, moved, or sealed under another key. */
  open(deviceId: string, sealed: string): Buffer {
    const cached = this.cache.get(deviceId);
    if (cached?.sealed === sealed) return cached.secret;
    const secret = this.openUncached(deviceId, sealed);
    if (this.cache.size >= MAX_CACHE) this.cache.clear();
    this.cache.set(deviceId, { sealed, secret });
    return secret;
  }

  /** Opens a secret without caching it (the other secret of a rotation: the cache holds the current one). */
  openUncached(deviceId: string, sealed: string): Buffer {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || !body || !tag) throw new Error('unsupported sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(deviceId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }

  /** A protocol v2 purpose key (HKDF of K), cached with K: an HKDF costs three HMACs. */
  purpose(deviceId: string, sealed: string, label: KeyLabel): Buffer {
    const secret = this.open(deviceId, sealed);
    const entry = this.cache.get(deviceId);
    if (entry?.sealed !== sealed) return deriveKey(secret, label);
    entry.derived ??= new Map();
    let key = entry.derived.get(label);
    if (!key) {
      key = deriveKey(secret, label);
      entry.derived.set(label, key);
    }
    return key;
  }

  /** The keys server → lock messages are signed with, opened only when used. */
  signingKeys(deviceId: string, sealed: string): ServerSigningKeys {
    return { v1: () => this.open(deviceId, sealed), cmd: () => this.purpose(deviceId, sealed, 'cmd') };
  }

  /** Drops the cached key of a lock whose secret changed or that was removed. */
  forget(deviceId: string): void {
    this.cache.delete(deviceId);
  }

  /** Follows credential changes (see the file comment); the returned function stops following. */
  follow(events: EventBus, log: Logger): () => Promise<void> {
    const stops = [
      followEvents(events, ['lock.secretRotated', 'lock.removed'], ({ deviceId }) => this.forget(deviceId), log),
      followEvents(events, ['bus.resync'], () => this.cache.clear(), log),
    ];
    return async () => void (await Promise.all(stops.map((stop) => stop())));
  }
}
