import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONNECTION_LOST } from '../devices/status-ingest.js';
import { SERVER_RESTARTED } from '../offline/restart-availability.js';
import type { Store } from '../store/ports.js';
import type { AuditRecord } from '../store/records.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { PushIntents } from './push-intents.js';

let dir: string;
let store: Store;
let intents: PushIntents;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'push-intents-'));
  store = openSqliteStore(join(dir, 'store.db'));
  intents = new PushIntents(store);
  await store.users.create({ username: 'alice', passwordHash: 'x', role: 'USER' });
  await store.locks.create({ deviceId: 'd1', name: 'Back door', owner: 'alice', secretSealed: 's' });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (fields: Partial<AuditRecord>): AuditRecord => ({ id: 'a1', at: new Date(0), actor: null, action: 'lock.status', deviceId: 'd1', result: 'ok', detail: null, ...fields });
const told = async (fields: Partial<AuditRecord>) => {
  const intent = await intents.of(entry(fields));
  return intent && { kind: intent.kind, recipient: intent.recipient, body: intent.payload.body };
};

describe('what the audit trail calls for', () => {
  it('tells the owner a lock went offline, except when the server itself restarted', async () => {
    expect(await told({ action: 'lock.offline', result: 'UNAVAILABLE', detail: CONNECTION_LOST })).toEqual({ kind: 'WENT_OFFLINE', recipient: 'alice', body: 'Offline: connection lost' });
    expect(await told({ action: 'lock.offline', result: 'UNAVAILABLE', detail: SERVER_RESTARTED })).toBeNull();
  });

  it('maps each raised alert to the kind people choose', async () => {
    expect((await told({ action: 'lock.alertRaised', result: 'DOOR_AJAR' }))?.kind).toBe('DOOR_AJAR');
    expect((await told({ action: 'lock.alertRaised', result: 'LOCKED_DOOR_OPEN' }))?.kind).toBe('DOOR_AJAR');
    expect((await told({ action: 'lock.alertRaised', result: 'LEFT_UNLOCKED' }))?.kind).toBe('LEFT_UNLOCKED');
    expect((await told({ action: 'lock.alertRaised', result: 'BAD_SIGNATURES' }))?.kind).toBe('FORGED_MESSAGES');
    expect(await told({ action: 'lock.alertCleared', result: 'DOOR_AJAR' })).toBeNull();
  });

  it('tells of failed commands only, and nothing about a lock that is gone or an entry without one', async () => {
    expect(await told({ action: 'command.lock', actor: 'bob', result: 'REJECTED', detail: 'c1: door_open' })).toMatchObject({ kind: 'COMMAND_FAILED', body: 'Lock by bob failed: door_open' });
    expect(await told({ action: 'command.unlock', actor: 'alice', result: 'SUCCEEDED', detail: 'c1' })).toBeNull();
    expect(await told({ action: 'command.unlock', actor: 'alice', result: 'SENT', detail: 'c1' })).toBeNull();
    expect(await told({ action: 'lock.offline', deviceId: 'gone', detail: CONNECTION_LOST })).toBeNull();
    expect(await told({ action: 'user.signIn', actor: null, deviceId: null, result: 'failed' })).toBeNull();
  });

  it('queues only the actions that can call for a push', () => {
    expect(PushIntents.concerns(entry({ action: 'lock.messageDropped' }))).toBe(false);
    expect(PushIntents.concerns(entry({ action: 'lock.rename' }))).toBe(false);
    expect(PushIntents.concerns(entry({ action: 'lock.alertRaised' }))).toBe(true);
  });

  it('queues a command\'s entries only when it failed, and a status only when it may be told', async () => {
    for (const result of ['SENT', 'SUCCEEDED', 'SUPERSEDED', 'SUPERSEDED_ACK', 'LOCK_OFFLINE', 'TOO_MANY_COMMANDS']) {
      expect(PushIntents.concerns(entry({ action: 'command.unlock', result }))).toBe(false);
    }
    for (const result of ['REJECTED', 'FAILED', 'TIMED_OUT']) {
      expect(PushIntents.concerns(entry({ action: 'command.lock', result }))).toBe(true);
      expect(await told({ action: 'command.lock', result })).not.toBeNull();
    }
    expect(PushIntents.concerns(entry({ action: 'lock.status', result: 'UNKNOWN' }))).toBe(false);
    for (const result of ['JAMMED', 'LOCKED', 'UNLOCKED']) expect(PushIntents.concerns(entry({ action: 'lock.status', result }))).toBe(true);
  });

  it('says nothing of a v1 lock changing (it does not say what moved its bolt), but always of a jam', async () => {
    expect(await told({ result: 'UNLOCKED' })).toBeNull();
    expect((await told({ result: 'JAMMED' }))?.kind).toBe('JAMMED');
  });
});
