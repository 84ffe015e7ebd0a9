import { describe, expect, it } from 'vitest';
import { generateVapidKeys, vapidKeyProblem } from './vapid-keys.js';

describe('VAPID keys', () => {
  it('generates pairs that always pass their own check (a private scalar with a leading zero byte is still 32 bytes)', () => {
    // 1 key in 256 has a leading zero byte: 2,000 keys hold one with probability 0.9996.
    const problems = Array.from({ length: 2000 }, () => generateVapidKeys()).map((keys) => vapidKeyProblem(keys.publicKey, keys.privateKey));
    expect(problems.filter((problem) => problem !== null)).toEqual([]);
  });
});
