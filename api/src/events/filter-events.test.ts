import { describe, expect, it } from 'vitest';
import { filterEvents, takeWhileAllowed } from './filter-events.js';
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

  it('takeWhileAllowed ends the stream at the first event not allowed, or whose check fails', async () => {
    for (const verdict of [() => Promise.resolve(false), () => Promise.reject(new Error('store down'))]) {
      const bus = new MemoryEventBus();
      const taken = takeWhileAllowed(bus.subscribe('lock.removed'), (e) => (e.deviceId === 'a' ? Promise.resolve(true) : verdict()));
      const first = taken.next();
      bus.publish('lock.removed', { deviceId: 'a', owner: 'x' });
      expect(await first).toEqual({ done: false, value: { deviceId: 'a', owner: 'x' } });
      const second = taken.next();
      bus.publish('lock.removed', { deviceId: 'b', owner: 'x' });
      bus.publish('lock.removed', { deviceId: 'a', owner: 'x' });
      expect(await second).toEqual({ done: true, value: undefined });
      expect(await taken.next()).toEqual({ done: true, value: undefined });
    }
  });
});
