import { ApiError } from './graphql-http';

/**
 * The server's advice when it refused a new password (too short, or too easy to guess), to show
 * beside the password field; null for any other error.
 */
export function passwordProblem(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'BAD_USER_INPUT' || error.extensions.field !== 'password') return null;
  return error.message;
}
