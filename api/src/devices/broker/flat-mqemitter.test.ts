import mqemitter from 'mqemitter';
import { describe, expect, it } from 'vitest';
import { flatMqemitter } from './flat-mqemitter.js';

type Emitter = mqemitter.MQEmitter;

/**
 * Fills every slot with messages whose listener holds them, queues `backlog`
 * messages nobody listens to (each finishes synchronously), then lets one
 * held message finish: the queue drains from inside that callback.
 */
function drainBacklog(mq: Emitter, concurrency: number, backlog: number): { finished: number[]; release: () => void } {
  const held: (() => void)[] = [];
  mq.on('slow', (_message, done) => held.push(done));
  for (let i = 0; i < concurrency; i++) mq.emit({ topic: 'slow' });
  const finished: number[] = [];
  for (let i = 0; i < backlog; i++) mq.emit({ topic: `nobody/${i}`, i }, () => finished.push(i));
  return { finished, release: () => held.shift()?.() };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('flatMqemitter', () => {
  it('documents why it exists: mqemitter as shipped overflows the stack draining a long queue', () => {
    const { release } = drainBacklog(mqemitter({ concurrency: 10 }), 10, 20_000);
    expect(release).toThrow(RangeError);
  });

  it('drains the same long queue without overflowing, every message once and in order', async () => {
    const mq = flatMqemitter({ concurrency: 10 });
    const { finished, release } = drainBacklog(mq, 10, 20_000);
    expect(release).not.toThrow();
    while (finished.length < 20_000) await turn();
    for (let i = 0; i < 10; i++) await turn(); // nothing finishes twice
    expect(finished.length).toBe(20_000);
    expect(finished.every((value, index) => value === index)).toBe(true);
  });

  it('keeps order for messages emitted while a drain is deferred', async () => {
    const mq = flatMqemitter({ concurrency: 10 });
    const seen: number[] = [];
    mq.on('order/#', (message, done) => {
      seen.push(message.i as number);
      done();
    });
    const { release } = drainBacklog(mq, 10, 5_000);
    release(); // the drain now continues on later turns
    for (let i = 0; i < 1_000; i++) mq.emit({ topic: `order/${i}`, i });
    while (seen.length < 1_000) await turn();
    expect(seen).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
  });

  it('keeps at most `concurrency` messages running, deferred ones included', async () => {
    const mq = flatMqemitter({ concurrency: 10 }) as Emitter & { current: number };
    const { finished, release } = drainBacklog(mq, 10, 5_000);
    release();
    let highest = 0;
    while (finished.length < 5_000) {
      highest = Math.max(highest, mq.current);
      await turn();
    }
    expect(highest).toBeLessThanOrEqual(10);
  });
});
