import { BadUserInputError } from '../errors/graphql-errors.js';
import { estimateStrength } from './password-strength.js';

export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;
export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase; bounded so hashing cannot be abused. */
export const MAX_PASSWORD_LENGTH = 256;

/** Case-folds and validates a username, or throws BAD_USER_INPUT naming the rule. */
export function normalizeUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) {
    throw new BadUserInputError('Username must be 3–32 characters of a-z, 0-9, _ . -', 'username');
  }
  return username;
}

/**
 * Length bounds, then estimated strength against common passwords, words, names, keyboard
 * patterns and `username`; no composition rules. Throws BAD_USER_INPUT saying what to do instead.
 */
export async function checkNewPassword(password: string, username: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at least ${MIN_PASSWORD_LENGTH} characters.`, 'password');
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at most ${MAX_PASSWORD_LENGTH} characters.`, 'password');
  }
  const { strong, warning, suggestions } = await estimateStrength(password, [username]);
  if (!strong) throw new BadUserInputError(weakPasswordMessage(warning, suggestions), 'password', { warning, suggestions });
}

function weakPasswordMessage(warning: string | null, suggestions: string[]): string {
  const advice = suggestions.length > 0 ? suggestions : ['Add another word or two.'];
  return ['This password is too easy to guess.', ...(warning ? [warning] : []), ...advice, 'A few unrelated words make a strong password that is easy to remember.'].join(' ');
}
