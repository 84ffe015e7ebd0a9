import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from './graphql-http';
import { passwordProblem } from './password-feedback';

describe('passwordProblem', () => {
  it('returns the advice of a refused password', () => {
    const weak = new ApiError('This password is too easy to guess. This is a frequently used password. Add more words that are less common.', 'BAD_USER_INPUT', {
      field: 'password',
      suggestions: ['Add more words that are less common.'],
    });
    expect(passwordProblem(weak)).toMatch(/^This password is too easy to guess\. /);
  });

  it('leaves other errors to the form', () => {
    expect(passwordProblem(new ApiError('Username "bob" is taken.', 'BAD_USER_INPUT', { field: 'username' }))).toBeNull();
    expect(passwordProblem(new ApiError('Too many sign-ups.', 'TOO_MANY_ATTEMPTS', { retryAfterSeconds: 60 }))).toBeNull();
    expect(passwordProblem(new NetworkError('offline'))).toBeNull();
  });
});
