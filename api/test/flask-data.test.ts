/**
 * A database the Flask system left behind (issue: migration), served by the Mongo adapter: floats,
 * strings and gaps where dates belong, a log entry without `at`, locks that never had a device
 * secret. Start-up must not stop, queries must not break, and such locks are shown for what they
 * are (UNAVAILABLE, "Needs re-provisioning") until their owner issues credentials.
 * Runs against CongoDB (test-support/congodb.ts); documents are written with the plain driver.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startCongoDb, type CongoDb } from '../src/test-support/congodb.js';
import { gql, SIGN_IN, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const werkzeug = (JSON.parse(readFileSync(join(__dirname, 'fixtures/werkzeug/werkzeug-hashes.json'), 'utf8')) as { password: string; hash: string }[]).find((f) =>
  f.hash.startsWith('scrypt:32768:8:1$'),
)!;

let congo: CongoDb | null = null;
let app: TestApp | null = null;
afterEach(async () => {
  await app?.close();
  await congo?.stop();
  app = null;
  congo = null;
});

interface LockNode {
  deviceId: string;
  state: string;
  issue: string | null;
  lastSeen: string | null;
}

describe('a Flask database on the Mongo adapter', () => {
  it('starts, signs its users in, reads odd dates, and marks locks without a secret as needing credentials', { timeout: 120_000 }, async () => {
    congo = await startCongoDb();
    const uri = congo.uri.replace('/?', '/flask?');
    const client = await MongoClient.connect(uri);
    const db = client.db('flask');
    await db.collection('users').insertOne({ _id: new ObjectId(), username: 'alice', password_hash: werkzeug.hash, role: 'user', created_at: 1_700_000_000.5 });
    await db.collection('locks').insertMany([
      { _id: new ObjectId(), device_id: 'front', owner: 'alice', status: 'Locked', state: 'Available', last_seen: 1_700_000_000.25, created_at: '2023-11-14T22:13:20' },
      { _id: new ObjectId(), device_id: 'back', owner: 'alice', status: 'Unlocked', state: 'Available', last_seen: '2023-11-14T22:13:20.000Z' },
    ]);
    const logged = new ObjectId();
    await db.collection('logs').insertOne({ _id: logged, actor: 'alice', action: 'unlock', device_id: 'front', result: 'ok' });
    await client.close();

    app = await startTestApp({ MONGODB_URI: uri });
    const signedIn = await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'alice', password: werkzeug.password });
    expect(signedIn.errors).toBeUndefined();
    const token = signedIn.data!.signIn.accessToken;

    const locks = await gql<{ locks: LockNode[] }>(app.httpUrl, '{ locks { deviceId state issue lastSeen } }', {}, token);
    expect(locks.errors).toBeUndefined();
    const byId = new Map(locks.data!.locks.map((lock) => [lock.deviceId, lock]));
    expect(byId.get('front')).toEqual({ deviceId: 'front', state: 'UNAVAILABLE', issue: 'Needs re-provisioning', lastSeen: '2023-11-14T22:13:20.250Z' });
    expect(byId.get('back')).toEqual({ deviceId: 'back', state: 'UNAVAILABLE', issue: 'Needs re-provisioning', lastSeen: '2023-11-14T22:13:20.000Z' });

    const audit = await gql<{ auditLog: { edges: { node: { action: string; at: string } }[] } }>(app.httpUrl, '{ auditLog(first: 10) { edges { node { action at } } } }', {}, token);
    expect(audit.errors).toBeUndefined();
    expect(audit.data!.auditLog.edges.map((edge) => edge.node)).toContainEqual({ action: 'unlock', at: logged.getTimestamp().toISOString() });

    // The owner issues credentials; the lock is then waiting for its first status, not "Available".
    const rotated = await gql<{ rotateDeviceSecret: { deviceSecret: string } }>(app.httpUrl, 'mutation { rotateDeviceSecret(deviceId: "front") { deviceSecret } }', {}, token);
    expect(rotated.errors).toBeUndefined();
    expect(rotated.data!.rotateDeviceSecret.deviceSecret).toMatch(/^[0-9a-f]{64}$/);
    const after = await gql<{ lock: LockNode }>(app.httpUrl, '{ lock(deviceId: "front") { deviceId state issue lastSeen } }', {}, token);
    expect(after.data?.lock).toMatchObject({ state: 'UNAVAILABLE' });
    expect(after.data?.lock.issue).not.toBe('Needs re-provisioning');
  });
});
