import { describe, expect, it } from 'vitest';
import { MAX_EVENTS_BEHIND, MemoryEventBus } from './memory-event-bus.js';

const removed = (n: number) => ({ deviceId: `lock-${n}`, owner: 'x' });

describe('MemoryEventBus', () => {
  it('delivers events in order to every subscriber and releases a subscriber at once when it ends', async () => {
    const bus = new MemoryEventBus();
    const first = bus.subscribe('lock.removed');
    const second = bus.subscribe('lock.removed');
    const waiting = first.next();
    bus.publish('lock.removed', removed(1));
    bus.publish('lock.removed', removed(2));
    expect(await waiting).toEqual({ done: false, value: removed(1) });
    expect(await first.next()).toEqual({ done: false, value: removed(2) });
    expect(await second.next()).toEqual({ done: false, value: removed(1) });
    expect(await second.next()).toEqual({ done: false, value: removed(2) });
    const parked = second.next();
    await second.return?.();
    expect(await parked).toEqual({ done: true, value: undefined });
    bus.publish('lock.removed', removed(3));
    expect(await second.next()).toEqual({ done: true, value: undefined });
  });

  it('ends a subscriber that falls too far behind (a stalled WebSocket) with an error, instead of crashing the process', async () => {
    const bus = new MemoryEventBus();
    const stalled = bus.subscribe('lock.removed');
    const reading = bus.subscribe('lock.removed');
    const seen: string[] = [];
    const reader = (async () => {
      for await (const event of reading) {
        seen.push(event.deviceId);
        if (seen.length === MAX_EVENTS_BEHIND + 10) return;
      }
    })();
    // One burst, as when a sweep or a restart marks thousands of locks in one synchronous run.
    for (let n = 0; n < MAX_EVENTS_BEHIND + 10; n += 1) {
      bus.publish('lock.removed', removed(n));
      if (n % 100 === 0) await Promise.resolve();
    }
    await reader;
    expect(seen).toHaveLength(MAX_EVENTS_BEHIND + 10);
    await expect(stalled.next()).rejects.toThrow(/fell more than \d+ events behind/);
    bus.publish('lock.removed', removed(-1));
    expect(await stalled.next()).toEqual({ done: true, value: undefined });
  });
});
