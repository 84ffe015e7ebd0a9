import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config.js';
import type { Store } from '../store/ports.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { DeviceKeys, SealingKeyMissing, sealingKeyId } from './device-keys.js';
import { resealSecrets } from './reseal-secrets.js';
import { checkSealedSecrets } from './sealed-secrets-check.js';
import { eachLock } from '../store/lock-pages.js';

const A = randomBytes(32);
const B = randomBytes(32);

/** A value in the format sealed before key ids (`v1.iv.body.tag`). */
function sealV1(key: Buffer, deviceId: string, secret: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(deviceId, 'utf8'));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

describe('DeviceKeys with several keys (SECRETS_KEYS)', () => {
  it('seals under the first key, naming it, and opens what any configured key sealed', () => {
    const secret = randomBytes(32);
    const underA = new DeviceKeys([A]).seal('front-door', secret);
    expect(underA.startsWith(`v2.${sealingKeyId(A)}.`)).toBe(true);
    const rotating = new DeviceKeys([B, A]);
    expect(rotating.open('front-door', underA)).toEqual(secret);
    expect(rotating.isSealedWithCurrentKey(underA)).toBe(false);
    expect(rotating.isSealedWithCurrentKey(rotating.seal('front-door', secret))).toBe(true);
    // Sealed before key ids: every key is tried.
    expect(rotating.open('back-door', sealV1(A, 'back-door', secret))).toEqual(secret);
  });

  it('says which key is missing, and still refuses a value moved to another lock', () => {
    const sealed = new DeviceKeys([A]).seal('front-door', randomBytes(32));
    expect(() => new DeviceKeys([B]).open('front-door', sealed)).toThrow(SealingKeyMissing);
    expect(() => new DeviceKeys([B]).open('front-door', sealed)).toThrow(`sealed with key ${sealingKeyId(A)}, which is not in SECRETS_KEYS`);
    expect(() => new DeviceKeys([B]).open('x', sealV1(A, 'x', randomBytes(32)))).toThrow(/no key in SECRETS_KEYS opens the secret of x/);
    expect(() => new DeviceKeys([A]).open('back-door', sealed)).toThrow(); // the device id is authenticated
  });
});

describe('the start-up check and rotate-secrets-key', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  function store(): Store {
    const dir = mkdtempSync(join(tmpdir(), 'smartlock-keys-'));
    dirs.push(dir);
    return openSqliteStore(join(dir, 'smartlock.db'));
  }
  async function seed(s: Store, keys: DeviceKeys, ids: string[]): Promise<Map<string, Buffer>> {
    await s.users.create({ username: 'alice', passwordHash: 'x', role: 'USER' });
    const secrets = new Map<string, Buffer>();
    for (const id of ids) {
      const secret = randomBytes(32);
      secrets.set(id, secret);
      await s.locks.create({ deviceId: id, name: id, owner: 'alice', secretSealed: keys.seal(id, secret) });
    }
    return secrets;
  }

  it('stops the start-up naming SECRETS_KEYS and the locks when a key is missing', async () => {
    const s = store();
    await seed(s, new DeviceKeys([A]), ['d1', 'd2', 'd3', 'd4']);
    const locks = await s.locks.listAll();
    await expect(checkSealedSecrets(locks, new DeviceKeys([A]))).resolves.toBeUndefined();
    await expect(checkSealedSecrets(eachLock(s.locks, 3), new DeviceKeys([B, A]))).resolves.toBeUndefined();
    await expect(checkSealedSecrets(locks, new DeviceKeys([B]))).rejects.toThrow(ConfigError);
    await expect(checkSealedSecrets(eachLock(s.locks, 3), new DeviceKeys([B]))).rejects.toThrow(/SECRETS_KEYS: 4 lock secret\(s\) cannot be opened with the configured keys \(d1, d2, d3, and 1 more\)/);
    await s.close();
  });

  it('re-seals every secret under the new key, so the old one can go; a rotation meanwhile is never undone', async () => {
    const s = store();
    const secrets = await seed(s, new DeviceKeys([A]), ['d1', 'd2', 'd3']);
    const keys = new DeviceKeys([B, A]);
    // The api rotates d2's secret (still sealing under A) just before the re-seal writes it.
    const rotated = randomBytes(32);
    const racing: Store = {
      ...s,
      locks: {
        ...s.locks,
        replaceSealedSecret: async (deviceId, expected, next) => {
          if (deviceId === 'd2' && !secrets.has('d2-rotated')) {
            secrets.set('d2-rotated', rotated);
            await s.locks.update('d2', { secretSealed: new DeviceKeys([A]).seal('d2', rotated) });
          }
          return s.locks.replaceSealedSecret(deviceId, expected, next);
        },
      },
    };
    expect(await resealSecrets(racing, keys)).toEqual({ resealed: 3, alreadyCurrent: 0, contended: [] });
    const onlyB = new DeviceKeys([B]);
    const locks = await s.locks.listAll();
    await expect(checkSealedSecrets(locks, onlyB)).resolves.toBeUndefined();
    const opened = new Map(locks.map((l) => [l.deviceId, onlyB.open(l.deviceId, l.secretSealed)]));
    expect(opened.get('d1')).toEqual(secrets.get('d1'));
    expect(opened.get('d2')).toEqual(rotated); // the rotation's secret, not the one read first
    expect(opened.get('d3')).toEqual(secrets.get('d3'));
    expect(await resealSecrets(s, keys)).toEqual({ resealed: 0, alreadyCurrent: 3, contended: [] }); // idempotent
    await s.close();
  });
});
