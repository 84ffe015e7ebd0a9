import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceKeys } from '../devices/device-keys.js';
import type { Store } from '../store/ports.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { resealTotpSecrets } from './reseal-totp.js';
import { totpSealContext } from './totp.service.js';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
let dir: string | undefined;
let store: Store | undefined;

afterEach(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  store = undefined;
  dir = undefined;
});

describe('rotate-secrets-key for authenticator secrets', () => {
  it('re-seals each secret under the new first key, so the old key can go; idempotent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'reseal-totp-'));
    store = openSqliteStore(join(dir, 'smartlock.db'));
    const user = await store.users.create({ username: 'alice', passwordHash: 'h', role: 'USER' });
    const secret = Buffer.from('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    await store.totp.saveUnconfirmed(user.id, new DeviceKeys([OLD]).seal(totpSealContext(user.id), secret));

    const rotating = new DeviceKeys([NEW, OLD]);
    expect(await resealTotpSecrets(store, rotating)).toEqual({ resealed: 1, alreadyCurrent: 0, changed: [] });
    expect(await resealTotpSecrets(store, rotating)).toEqual({ resealed: 0, alreadyCurrent: 1, changed: [] });
    const sealed = (await store.totp.find(user.id))?.secretSealed ?? '';
    expect(new DeviceKeys([NEW]).open(totpSealContext(user.id), sealed)).toEqual(secret);
  });
});
