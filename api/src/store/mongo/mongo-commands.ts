import { decodeTimeIdCursor, encodeTimeIdCursor, pageLimit, toPage } from '../cursor.js';
import { DuplicateKeyError } from '../errors.js';
import type { CommandRepository } from '../ports.js';
import type { CommandAction, CommandRecord, CommandState, IdempotencyClaim, NewCommand } from '../records.js';
import { AFTER, deleteBatch, isDuplicateKey } from './mongo-helpers.js';
import type { CommandDoc, MongoModels } from './mongo-models.js';

function toCommand(doc: CommandDoc): CommandRecord {
  return {
    id: doc._id,
    deviceId: doc.device_id,
    // Only this adapter writes commands, always with values of these types.
    action: doc.action as CommandAction,
    state: doc.state as CommandState,
    counter: doc.counter,
    requestedBy: doc.requested_by,
    createdAt: doc.created_at,
    completedAt: doc.completed_at ?? null,
    reason: doc.reason ?? null,
  };
}

const cursorOf = (command: CommandRecord) => encodeTimeIdCursor(command.createdAt, command.id);

/** Every command method but `open`, which mongo-store.ts composes from these and the locks' counter. */
export function createMongoCommands({ commands }: MongoModels): Omit<CommandRepository, 'open'> {
  return {
    async create(command: NewCommand, claim?: IdempotencyClaim) {
      const doc: CommandDoc = {
        _id: command.id,
        device_id: command.deviceId,
        action: command.action,
        state: 'SENT',
        counter: command.counter,
        requested_by: command.requestedBy,
        created_at: new Date(),
        completed_at: null,
        reason: null,
        idempotency_key: claim?.key ?? null,
      };
      if (claim) {
        // Release the key if its window has passed; the unique partial index then decides between racers.
        await commands.updateMany(
          { device_id: command.deviceId, requested_by: command.requestedBy, idempotency_key: claim.key, created_at: { $lt: claim.since } },
          { $set: { idempotency_key: null } },
        );
      }
      try {
        await commands.create(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError(String((error as Error).message).includes('commands_idempotency') ? 'idempotencyKey' : 'id');
        throw error;
      }
      return toCommand(doc);
    },
    async findById(id) {
      const doc = await commands.findById(id).lean<CommandDoc>();
      return doc ? toCommand(doc) : null;
    },
    async findByIds(ids) {
      return (await commands.find({ _id: { $in: [...ids] } }).lean<CommandDoc[]>()).map(toCommand);
    },
    async findByIdempotencyKey(deviceId, requestedBy, key, since) {
      const doc = await commands
        .findOne({ device_id: deviceId, requested_by: requestedBy, idempotency_key: key, created_at: { $gte: since } })
        .lean<CommandDoc>();
      return doc ? toCommand(doc) : null;
    },
    async supersedeOlder(deviceId, id, counter, at) {
      // No multi-document transaction (a standalone server has none): each step is atomic on its own,
      // and the order (older ones first, then "is there a newer one?") still leaves one SENT (see the port).
      const supersede = (commandId: string, reason: string) =>
        commands
          .findOneAndUpdate({ _id: commandId, state: 'SENT' }, { $set: { state: 'SUPERSEDED', reason, completed_at: at } }, AFTER)
          .lean<CommandDoc>();
      const older = await commands.find({ device_id: deviceId, state: 'SENT', counter: { $lt: counter } }).select('_id').lean<{ _id: string }[]>();
      const done: CommandDoc[] = [];
      for (const { _id } of older) {
        const doc = await supersede(_id, `superseded by ${id}`);
        if (doc) done.push(doc);
      }
      const newer = await commands.findOne({ device_id: deviceId, counter: { $gt: counter } }).sort({ counter: 1 }).select('_id').lean<{ _id: string }>();
      const self = newer ? await supersede(id, `superseded by ${newer._id}`) : null;
      if (self) done.push(self);
      return done.map(toCommand);
    },
    async complete(id, state, reason, at) {
      // The `state: 'SENT'` filter makes completion happen once, whoever races.
      const doc = await commands
        .findOneAndUpdate({ _id: id, state: 'SENT' }, { $set: { state, reason, completed_at: at } }, AFTER)
        .lean<CommandDoc>();
      return doc ? toCommand(doc) : null;
    },
    async listByDevice(deviceId, page) {
      // Newest first by (created_at, _id): the id breaks ties within a millisecond.
      const after = page.after === undefined ? null : decodeTimeIdCursor(page.after);
      const filter = after
        ? {
            device_id: deviceId,
            $or: [{ created_at: { $lt: after.at } }, { created_at: after.at, _id: { $lt: after.id } }],
          }
        : { device_id: deviceId };
      const docs = await commands
        .find(filter)
        .sort({ created_at: -1, _id: -1 })
        .limit(pageLimit(page.first))
        .lean<CommandDoc[]>();
      return toPage(docs.map(toCommand), page.first, cursorOf);
    },
    async findSentBefore(before, limit) {
      // limit(0) means "no limit" to MongoDB.
      if (limit <= 0) return [];
      const docs = await commands
        .find({ state: 'SENT', created_at: { $lt: before } })
        .sort({ created_at: 1 })
        .limit(limit)
        .lean<CommandDoc[]>();
      return docs.map(toCommand);
    },
    async listSentByDevice(deviceId) {
      return (await commands.find({ device_id: deviceId, state: 'SENT' }).sort({ counter: 1 }).lean<CommandDoc[]>()).map(toCommand);
    },
    async removeByDevice(deviceId) {
      await commands.deleteMany({ device_id: deviceId });
    },
    async pseudonymiseRequester(username, pseudonym) {
      return (await commands.updateMany({ requested_by: username }, { $set: { requested_by: pseudonym } })).modifiedCount;
    },
    async deleteFinishedBefore(before, limit) {
      // Final states listed rather than $ne: 'SENT', so the (state, created_at) index serves the query.
      return deleteBatch(commands, { state: { $in: ['SUCCEEDED', 'REJECTED', 'FAILED', 'TIMED_OUT', 'SUPERSEDED'] }, created_at: { $lt: before } }, limit);
    },
  };
}
