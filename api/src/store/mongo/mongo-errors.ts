/** Which MongoDB driver and mongoose errors mean the database is unreachable or cannot write. */
import mongoose from 'mongoose';

const { mongo } = mongoose;

/** Classes that never say anything about the data: the server or the connection is away. */
const UNAVAILABLE_CLASSES = [
  mongo.MongoNetworkError, // includes MongoNetworkTimeoutError
  mongo.MongoServerSelectionError,
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
  mongo.MongoServerClosedError,
  mongo.MongoClientClosedError,
  mongo.MongoOperationTimeoutError,
  mongo.MongoWriteConcernError,
  mongoose.Error.MongooseServerSelectionError,
];

/**
 * Server error codes for a server that cannot take the write now: OutOfDiskSpace
 * (14031), NotWritablePrimary (10107), NotPrimaryNoSecondaryOk (13435),
 * NotPrimaryOrSecondary (13436), PrimarySteppedDown (189), ShutdownInProgress
 * (91), InterruptedAtShutdown (11600), InterruptedDueToReplStateChange (11602),
 * HostUnreachable (6), HostNotFound (7), NetworkTimeout (89).
 */
const UNAVAILABLE_CODES = new Set([14031, 10107, 13435, 13436, 189, 91, 11600, 11602, 6, 7, 89]);

export function isMongoStorageFailure(error: unknown): boolean {
  if (UNAVAILABLE_CLASSES.some((type) => error instanceof type)) return true;
  if (error instanceof mongo.MongoError) {
    if (error.hasErrorLabel('RetryableWriteError')) return true;
    if (typeof error.code === 'number' && UNAVAILABLE_CODES.has(error.code)) return true;
  }
  // mongoose queues operations while disconnected and fails them with a plain MongooseError.
  return error instanceof mongoose.Error && /buffering timed out/.test(error.message);
}
