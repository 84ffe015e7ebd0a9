import { describe, expect, it } from 'vitest';
import { OperationWatch } from './operation-watch.js';

describe('OperationWatch', () => {
  it('resolves once the total is reached, and at once when it already was', async () => {
    const watch = new OperationWatch();
    watch.started();
    let done = false;
    const waiting = watch.waitForTotal(3).then(() => (done = true));
    watch.started();
    await Promise.resolve();
    expect(done).toBe(false);
    watch.started();
    await waiting;
    expect(done).toBe(true);
    await watch.waitForTotal(2, 10);
  });

  it('says how many had started when it gives up', async () => {
    const watch = new OperationWatch();
    watch.started();
    await expect(watch.waitForTotal(2, 20)).rejects.toThrow('1 of 2 WebSocket operations had started after 20 ms');
    watch.started();
    expect(watch.total).toBe(2);
  });
});
