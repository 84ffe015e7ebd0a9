/**
 * Start-up on a Flask database whose own indexes conflict with the adapter's unique ones, and whose
 * users include names differing only in case: reported by name as warnings, and the api keeps
 * running. Runs against CongoDB (test-support/congodb.ts); documents and indexes are made with the
 * plain driver, as the Flask system left them.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { MongoClient, ObjectId } from 'mongodb';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../src/app/app.js';
import { parseConfig } from '../src/config/config.js';
import { startCongoDb, type CongoDb } from '../src/test-support/congodb.js';
import { gql, SIGN_IN, type AuthResult } from '../src/test-support/graphql-client.js';

const werkzeug = (JSON.parse(readFileSync(join(__dirname, 'fixtures/werkzeug/werkzeug-hashes.json'), 'utf8')) as { password: string; hash: string }[]).find((f) =>
  f.hash.startsWith('scrypt:32768:8:1$'),
)!;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The api with a logger whose warnings the test reads. */
async function startWithWarnings(mongodbUri: string): Promise<{ app: RunningApp; warnings: string[] }> {
  const warnings: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { level: number; msg: string };
        if (entry.level === 40) warnings.push(entry.msg);
      }
      done();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'smartlock-test-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = parseConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    SCRYPT_COST: '12',
    MQTT_PORT: '0',
    MQTT_TLS_PORT: '0',
    MQTT_HOST: '127.0.0.1',
    MQTT_TOPIC_PREFIX: `test-${randomUUID()}`,
    MONGODB_URI: mongodbUri,
    LOG_LEVEL: 'warn',
  });
  const app = await startApp(config, pino({ level: 'warn' }, sink));
  cleanups.push(() => app.stop());
  return { app, warnings };
}

describe('start-up on a Flask database with conflicting indexes and case-variant usernames', () => {
  it('names each conflict as a warning and keeps running', { timeout: 120_000 }, async () => {
    const congo: CongoDb = await startCongoDb();
    cleanups.push(() => congo.stop());
    const uri = congo.uri.replace('/?', '/flask?');
    const client = await MongoClient.connect(uri);
    const db = client.db('flask');
    await db.collection('users').insertMany([
      { _id: new ObjectId(), username: 'alice', password_hash: werkzeug.hash, role: 'user' },
      { _id: new ObjectId(), username: 'Alice', password_hash: werkzeug.hash, role: 'user' },
      { _id: new ObjectId(), username: 'BOB', password_hash: werkzeug.hash, role: 'user' },
      { _id: new ObjectId(), username: 'bob', password_hash: werkzeug.hash, role: 'user' },
    ]);
    // The Flask system's own indexes: the same keys as our unique ones, not unique.
    await db.collection('users').createIndex({ username: 1 }, { name: 'username_1' });
    await db.collection('locks').createIndex({ device_id: 1 }, { name: 'flask_device' });
    await client.close();

    const { app, warnings } = await startWithWarnings(uri);
    expect(warnings).toContainEqual(expect.stringMatching(/^MongoDB users: the existing index "username_1" \{"username":1\} conflicts with ours; .*does not enforce uniqueness of username/));
    expect(warnings).toContainEqual(expect.stringMatching(/^MongoDB locks: the existing index "flask_device" \{"device_id":1\} conflicts with ours; .*does not enforce uniqueness of device_id/));
    expect(warnings).toContainEqual(expect.stringContaining('usernames "Alice", "alice" differ only in case'));
    expect(warnings).toContainEqual(expect.stringContaining('usernames "BOB", "bob" differ only in case'));
    // Indexes that conflict with nothing are still created and not reported.
    expect(warnings.filter((warning) => warning.startsWith('MongoDB sessions'))).toEqual([]);

    const signedIn = await gql<{ signIn: AuthResult }>(`http://127.0.0.1:${app.port}/graphql`, SIGN_IN, { username: 'alice', password: werkzeug.password });
    expect(signedIn.errors).toBeUndefined();
  });

  it('reports nothing on a database without conflicts', { timeout: 120_000 }, async () => {
    const congo: CongoDb = await startCongoDb();
    cleanups.push(() => congo.stop());
    const uri = congo.uri.replace('/?', '/clean?');
    const client = await MongoClient.connect(uri);
    await client.db('clean').collection('users').insertOne({ _id: new ObjectId(), username: 'alice', password_hash: werkzeug.hash, role: 'user' });
    await client.close();
    const first = await startWithWarnings(uri);
    expect(first.warnings.filter((warning) => warning.startsWith('MongoDB'))).toEqual([]);
    await first.app.stop();
    // A restart finds our own indexes and takes them for what they are.
    const second = await startWithWarnings(uri);
    expect(second.warnings.filter((warning) => warning.startsWith('MongoDB'))).toEqual([]);
  });
});
