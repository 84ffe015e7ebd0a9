import { decodeTimeIdCursor, encodeTimeIdCursor, pageLimit, toPage } from '../cursor.js';
import { DuplicateKeyError } from '../errors.js';
import type { CommandRepository } from '../ports.js';
import type { CommandAction, CommandRecord, CommandState, NewCommand } from '../records.js';
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

export function createMongoCommands({ commands }: MongoModels): CommandRepository {
  return {
    async create(command: NewCommand) {
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
      };
      try {
        await commands.create(doc);
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('id');
        throw error;
      }
      return toCommand(doc);
    },
    async findById(id) {
      const doc = await commands.findById(id).lean<CommandDoc>();
      return doc ? toCommand(doc) : null;
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
    async removeByDevice(deviceId) {
      await commands.deleteMany({ device_id: deviceId });
    },
    async deleteFinishedBefore(before, limit) {
      // Final states listed rather than $ne: 'SENT', so the (state, created_at) index serves the query.
      return deleteBatch(commands, { state: { $in: ['SUCCEEDED', 'REJECTED', 'FAILED', 'TIMED_OUT'] }, created_at: { $lt: before } }, limit);
    },
  };
}
