import { BadUserInputError } from '../errors/graphql-errors.js';
import { InvalidCursorError } from '../store/cursor.js';

/** A cursor the store did not issue is the caller's mistake, not ours. */
export async function withCursorErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadUserInputError('The cursor is not valid.', 'after');
    throw error;
  }
}
