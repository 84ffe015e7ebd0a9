/**
 * Device secrets at rest: sealed with AES-256-GCM under the first of SECRETS_KEYS,
 * with the device id as associated data so a sealed secret cannot be moved to
 * another lock's row. A sealed value names its key (`v2.<key id>.…`, the id is
 * the first 8 bytes of the key's SHA-256, not the key), so that during a key
 * rotation every key in SECRETS_KEYS opens what it sealed; `v1.…` values from
 * before key ids are tried under each key. Opened keys are cached to keep HMAC checks on the ingest path
 * allocation-light: one entry per lock, used only while the sealed form it was
 * opened from is the one asked for, so a rotated secret is never served from it.
 *
 * The cache follows (see `follow`): `lock.secretRotated` and `lock.removed` drop
 * the lock's entry, and `bus.resync` (events may have been missed) drops all.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../app/logger.js';
import type { EventBus } from '../events/events.js';
import { followEvents } from '../events/follow-events.js';
import { deriveKey, type KeyLabel } from './protocol/keys.js';
import type { ServerSigningKeys } from './protocol/server-messages.js';

const MAX_CACHE = 100_000;

/** A sealed secret that none of SECRETS_KEYS opens: the key it was sealed with is missing or wrong. */
export class SealingKeyMissing extends Error {}

/** The id a sealed value names its key by: 16 hex characters of the key's SHA-256. */
export function sealingKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export class DeviceKeys {
  /**
   * Small entries, as one is kept per lock that talks (100,000 on a big deployment): keys are copied
   * into Node's shared buffer pool (a buffer of its own costs about 100 bytes beside its 32), and
   * the purpose keys sit in a plain object rather than a Map of their own.
   */
  private readonly cache = new Map<string, { sealed: string; secret: Buffer; derived?: Partial<Record<KeyLabel, Buffer>> }>();
  private readonly byId: Map<string, Buffer>;

  /** @param keys the sealing key first, then the keys that only open (SECRETS_KEYS) */
  constructor(private readonly keys: readonly Buffer[]) {
    if (keys.length === 0 || keys.some((key) => key.length !== 32)) throw new Error('SECRETS_KEYS must be one or more 32-byte keys');
    this.byId = new Map(keys.map((key) => [sealingKeyId(key), key]));
  }

  /** The id of the key new secrets are sealed with. */
  get sealingKeyId(): string {
    return sealingKeyId(this.keys[0]!);
  }

  seal(deviceId: string, secret: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    cipher.setAAD(Buffer.from(deviceId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return ['v2', this.sealingKeyId, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Whether `sealed` is sealed with the current sealing key (else a key rotation still has to re-seal it). */
  isSealedWithCurrentKey(sealed: string): boolean {
    return sealed.startsWith(`v2.${this.sealingKeyId}.`);
  }

  /**
   * Throws if the sealed value was tampered with or moved, and SealingKeyMissing if no configured
   * key opens it.
   */
  open(deviceId: string, sealed: string): Buffer {
    const cached = this.cache.get(deviceId);
    if (cached?.sealed === sealed) return cached.secret;
    const secret = Buffer.from(this.openUncached(deviceId, sealed)); // pooled: see `cache`
    if (this.cache.size >= MAX_CACHE) this.cache.clear();
    this.cache.set(deviceId, { sealed, secret });
    return secret;
  }

  /** Opens a secret without caching it (the other secret of a rotation: the cache holds the current one). */
  openUncached(deviceId: string, sealed: string): Buffer {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const key = this.byId.get(parts[1]!);
      if (!key) throw new SealingKeyMissing(`the secret of ${deviceId} is sealed with key ${parts[1]}, which is not in SECRETS_KEYS`);
      return unseal(key, deviceId, parts[2]!, parts[3]!, parts[4]!);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const opened = this.keys.map((key) => tryUnseal(key, deviceId, parts[1]!, parts[2]!, parts[3]!)).find((s) => s !== undefined);
      if (!opened) throw new SealingKeyMissing(`no key in SECRETS_KEYS opens the secret of ${deviceId} (sealed before key ids)`);
      return opened;
    }
    throw new Error('unsupported sealed secret');
  }

  /** A protocol v2 purpose key (HKDF of K), cached with K: an HKDF costs three HMACs. */
  purpose(deviceId: string, sealed: string, label: KeyLabel): Buffer {
    const secret = this.open(deviceId, sealed);
    const entry = this.cache.get(deviceId);
    if (entry?.sealed !== sealed) return deriveKey(secret, label);
    entry.derived ??= {};
    return (entry.derived[label] ??= Buffer.from(deriveKey(secret, label)));
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

function unseal(key: Buffer, deviceId: string, iv: string, body: string, tag: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(deviceId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
}

function tryUnseal(key: Buffer, deviceId: string, iv: string, body: string, tag: string): Buffer | undefined {
  try {
    return unseal(key, deviceId, iv, body, tag);
  } catch {
    return undefined; // another key's, or tampered: the caller says which it cannot tell
  }
}
