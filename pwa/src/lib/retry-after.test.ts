import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage } from './graphql-http';
import { retryAfterText, withRetryAfter } from './retry-after';

describe('retryAfterText', () => {
  it('says seconds only under a minute', () => {
    expect(retryAfterText(1)).toBe('Try again in 1 second.');
    expect(retryAfterText(9)).toBe('Try again in 9 seconds.');
    expect(retryAfterText(59)).toBe('Try again in 59 seconds.');
    expect(retryAfterText(0)).toBe('Try again in 1 second.');
  });

  it('says minutes from a minute on, rounded up so nobody tries too early', () => {
    expect(retryAfterText(60)).toBe('Try again in 1 minute.');
    expect(retryAfterText(61)).toBe('Try again in 2 minutes.');
    expect(retryAfterText(538)).toBe('Try again in 9 minutes.');
    expect(retryAfterText(900)).toBe('Try again in 15 minutes.');
  });

  it('says hours for long waits', () => {
    expect(retryAfterText(90 * 60)).toBe('Try again in 2 hours.');
    expect(retryAfterText(3 * 3600)).toBe('Try again in 3 hours.');
  });
});

describe('withRetryAfter', () => {
  it("replaces the server's seconds with people's words", () => {
    expect(withRetryAfter('Too many failed sign-in attempts. Try again in 538 s.', 538)).toBe('Too many failed sign-in attempts. Try again in 9 minutes.');
    expect(withRetryAfter('Too many commands for lock d1; nothing was sent. Try again in 5 s.', 5)).toBe(
      'Too many commands for lock d1; nothing was sent. Try again in 5 seconds.',
    );
    expect(withRetryAfter('Too many sign-ups.', 60)).toBe('Too many sign-ups. Try again in 1 minute.');
  });
});

describe('errorMessage for throttling', () => {
  it('words retryAfterSeconds humanely for TOO_MANY_ATTEMPTS and TOO_MANY_COMMANDS', () => {
    const attempts = new ApiError('Too many failed sign-in attempts. Try again in 538 s.', 'TOO_MANY_ATTEMPTS', { retryAfterSeconds: 538 });
    expect(errorMessage(attempts)).toBe('Too many failed sign-in attempts. Try again in 9 minutes.');
    const commands = new ApiError('Too many commands for lock d1; nothing was sent. Try again in 30 s.', 'TOO_MANY_COMMANDS', { retryAfterSeconds: 30 });
    expect(errorMessage(commands)).toBe('Too many commands for lock d1; nothing was sent. Try again in 30 seconds.');
    expect(errorMessage(new ApiError('Too many sign-ups.', 'TOO_MANY_ATTEMPTS', {}))).toBe('Too many sign-ups.');
  });
});
