import { createServer, type Server, type Socket } from 'node:net';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMongoStorageFailure } from './mongo-errors.js';

const { mongo } = mongoose;

describe('MongoDB storage failures', () => {
  // A port that accepts TCP and never answers, so the driver's own server selection times out.
  let silent: Server;
  let port: number;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('counts a server that cannot be reached as a storage failure', async () => {
    const connection = mongoose.createConnection(`mongodb://127.0.0.1:${port}/x`, { serverSelectionTimeoutMS: 200, connectTimeoutMS: 200 });
    const error: unknown = await connection.asPromise().then(
      () => null,
      (reason: unknown) => reason,
    );
    await connection.close();
    expect(error).not.toBeNull();
    expect(isMongoStorageFailure(error)).toBe(true);
  });

  it('counts network errors, a full disk, lost primaries and write-concern failures, not duplicate keys or bad queries', () => {
    expect(isMongoStorageFailure(new mongo.MongoNetworkError('socket closed'))).toBe(true);
    expect(isMongoStorageFailure(new mongo.MongoNetworkTimeoutError('timed out'))).toBe(true);
    expect(isMongoStorageFailure(new mongo.MongoServerError({ code: 14031, errmsg: 'OutOfDiskSpace' }))).toBe(true);
    expect(isMongoStorageFailure(new mongo.MongoServerError({ code: 10107, errmsg: 'not primary' }))).toBe(true);
    expect(isMongoStorageFailure(new mongo.MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key' }))).toBe(false);
    expect(isMongoStorageFailure(new mongo.MongoServerError({ code: 2, errmsg: 'BadValue' }))).toBe(false);
    expect(isMongoStorageFailure(new Error('anything else'))).toBe(false);
  });
});
