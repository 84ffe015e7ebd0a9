import { describe, expect, it } from 'vitest';
import { refusedAtOnce } from './refused-at-once.js';

describe('refusedAtOnce', () => {
  it('reports a promise that failed before its first await', async () => {
    const down = (async () => {
      throw new Error('MQTT link is not connected');
    })();
    expect(await refusedAtOnce(down)).toEqual({ error: new Error('MQTT link is not connected') });
  });

  it('reports nothing for one still waiting, nor for one that fails only later', async () => {
    let fail: (error: Error) => void = () => {};
    const waiting = new Promise((_, reject) => (fail = reject));
    expect(await refusedAtOnce(waiting)).toBeNull();
    fail(new Error('no PUBACK'));
    await expect(waiting).rejects.toThrow('no PUBACK');
  });

  it('reports nothing for one that succeeded', async () => {
    expect(await refusedAtOnce(Promise.resolve('acked'))).toBeNull();
  });
});
