import mongoose, { Types } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { toDocPatch, toLock } from './mongo-lock-docs.js';
import { createModels } from './mongo-models.js';

// These need no server: they check the schema and the mapping that a real database would see.
describe('MongoDB models', () => {
  // Never opened: building models and schemas does not touch the network.
  const connection = mongoose.createConnection();
  const models = createModels(connection);
  afterAll(async () => {
    await connection.close();
  });

  const schemaOf = (model: { schema: mongoose.Schema }) => model.schema;
  const indexes = (model: { schema: mongoose.Schema }) => schemaOf(model).indexes();

  it("uses the seed system's collection names, with audit entries in logs", () => {
    expect(models.users.collection.collectionName).toBe('users');
    expect(models.sessions.collection.collectionName).toBe('sessions');
    expect(models.locks.collection.collectionName).toBe('locks');
    expect(models.commands.collection.collectionName).toBe('commands');
    expect(models.audit.collection.collectionName).toBe('logs');
  });

  it('keeps lock settings in lock_settings, keyed by the device id as a string (not cast to an ObjectId)', () => {
    expect(models.lockSettings.collection.collectionName).toBe('lock_settings');
    expect(schemaOf(models.lockSettings).path('_id').instance).toBe('String');
  });

  it('keeps diagnostics in lock_diagnostics, indexed for a lock\'s range and for retention', () => {
    expect(models.diagnostics.collection.collectionName).toBe('lock_diagnostics');
    expect(indexes(models.diagnostics).map(([fields]) => fields)).toEqual(expect.arrayContaining([{ device_id: 1, at: -1 }, { at: 1 }]));
  });

  it('declares the unique keys and the indexes the queries rely on', () => {
    expect(indexes(models.users)).toContainEqual([{ username: 1 }, expect.objectContaining({ unique: true })]);
    expect(indexes(models.sessions)).toContainEqual([{ token_hash: 1 }, expect.objectContaining({ unique: true })]);
    expect(indexes(models.locks)).toContainEqual([{ device_id: 1 }, expect.objectContaining({ unique: true })]);
    expect(indexes(models.locks).map(([fields]) => fields)).toEqual(
      expect.arrayContaining([{ owner: 1 }, { state: 1, last_seen: 1 }]),
    );
    expect(indexes(models.audit).map(([fields]) => fields)).toEqual(
      expect.arrayContaining([{ at: 1 }, { device_id: 1, _id: -1 }, { actor: 1, _id: -1 }]),
    );
    expect(indexes(models.commands).map(([fields]) => fields)).toEqual(
      expect.arrayContaining([{ device_id: 1, created_at: -1, _id: -1 }, { state: 1, created_at: 1 }, { device_id: 1, counter: 1 }]),
    );
    // Unique only among live keys: a released key (null) must not collide with the next one.
    expect(indexes(models.commands)).toContainEqual([
      { device_id: 1, requested_by: 1, idempotency_key: 1 },
      expect.objectContaining({ unique: true, name: 'commands_idempotency', partialFilterExpression: { idempotency_key: { $type: 'string' } } }),
    ]);
  });

  it('adds no version key, so documents keep the seed shape', () => {
    expect(schemaOf(models.locks).get('versionKey')).toBe(false);
  });
});

describe('MongoDB lock mapping', () => {
  it('reads a seed lock document that lacks the newer fields', () => {
    const _id = new Types.ObjectId();
    const lock = toLock({ _id, device_id: 'd1', name: 'Front', owner: 'alice', status: 'Locked', last_seen: null });
    expect(lock).toMatchObject({
      deviceId: 'd1',
      status: 'LOCKED',
      state: 'UNAVAILABLE',
      battery: null,
      commandCounter: 0,
      lastBoot: 0,
      lastSeq: 0,
      lastTs: 0,
      secretSealed: '',
      createdAt: _id.getTimestamp(),
    });
  });

  it('maps a missing status to UNKNOWN and the seed state labels to states', () => {
    const _id = new Types.ObjectId();
    expect(toLock({ _id, device_id: 'd1', state: 'Available', secret_sealed: 's', last_seen: new Date(5) })).toMatchObject({ status: 'UNKNOWN', state: 'AVAILABLE' });
    // Available only with a secret and a last_seen this server wrote (a date): a Flask document has neither.
    expect(toLock({ _id, device_id: 'd1', state: 'Available', last_seen: new Date(5) })).toMatchObject({ state: 'UNAVAILABLE', issue: 'Needs re-provisioning' });
    expect(toLock({ _id, device_id: 'd1', state: 'Available', secret_sealed: 's', last_seen: 1_700_000_000.5 as unknown as Date })).toMatchObject({
      state: 'UNAVAILABLE',
      lastSeen: new Date(1_700_000_000_500),
    });
    expect(toLock({ _id, device_id: 'd1', status: 'Jammed', state: 'Unavailable' })).toMatchObject({
      status: 'JAMMED',
      state: 'UNAVAILABLE',
    });
  });

  it('gives a document from before alerts the defaults, and since-times from its last change', () => {
    const _id = new Types.ObjectId();
    const updated_at = new Date(7000);
    expect(toLock({ _id, device_id: 'd1', status: 'Unlocked', door: 'OPEN', updated_at })).toMatchObject({
      alerts: [],
      alertDoorAjarMinutes: 10,
      alertUnlockedMinutes: null,
      doorOpenSince: updated_at,
      unlockedSince: updated_at,
    });
    expect(toLock({ _id, device_id: 'd1', status: 'Locked', door: 'CLOSED', updated_at })).toMatchObject({ doorOpenSince: null, unlockedSince: null });
    const alerted = toLock({ _id, device_id: 'd1', alerts: '[{"kind":"DOOR_AJAR","since":5}]', alert_door_ajar_minutes: null, door_open_since: null, door: 'OPEN' });
    expect(alerted).toMatchObject({ alerts: [{ kind: 'DOOR_AJAR', since: new Date(5) }], alertDoorAjarMinutes: null, doorOpenSince: null });
  });

  it("writes a patch in the seed system's vocabulary, keeping explicit nulls", () => {
    expect(toDocPatch({ status: 'UNLOCKED', state: 'AVAILABLE', issue: null, lastSeen: new Date(5), rssi: -70 })).toEqual({
      status: 'Unlocked',
      state: 'Available',
      issue: null,
      last_seen: new Date(5),
      rssi: -70,
    });
  });
});
