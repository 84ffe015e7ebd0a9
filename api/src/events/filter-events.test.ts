import { describe, expect, it } from 'vitest';
import { filterEvents } from './filter-events.js';
import { MemoryEventBus } from './memory-event-bus.js';

describe('filterEvents', () => {
  it('passes matching events and releases the source at once when closed', async () => {
    const bus = new MemoryEventBus();
    let closed = false;
    const source = bus.subscribe('lock.removed');
    const tracked: AsyncIterableIterator<{ deviceId: string; owner: string }> = {
      next: () => source.next(),
      return: async () => {
        closed = true;
        return (await source.return?.()) ?? { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    const filtered = filterEvents(tracked, (e) => e.deviceId === 'b');
    const next = filtered.next();
    bus.publish('lock.removed', { deviceId: 'a', owner: 'x' });
    bus.publish('lock.removed', { deviceId: 'b', owner: 'x' });
    expect(await next).toEqual({ done: false, value: { deviceId: 'b', owner: 'x' } });
    // No further event arrives, yet closing must not wait for one.
    await filtered.return?.();
    expect(closed).toBe(true);
  });
});
