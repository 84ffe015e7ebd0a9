/**
 * Device secrets at rest: sealed with AES-256-GCM under SECRETS_KEY, with the
 * device id as associated data so a sealed secret cannot be moved to another
 * lock's row. Opened keys are cached by their sealed form (so a rotation is a
 * new cache entry) to keep HMAC checks on the ingest path allocation-light.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const MAX_CACHE = 100_000;

export class DeviceKeys {
  private readonly cache = new Map<string, Buffer>();

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
    const cacheKey = `${deviceId}\u0000${sealed}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || !body || !tag) throw new Error('unsupported sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(deviceId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const secret = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    if (this.cache.size >= MAX_CACHE) this.cache.clear();
    this.cache.set(cacheKey, secret);
    return secret;
  }
}
