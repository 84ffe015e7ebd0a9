/** filterEventsAsync: the lockChanged feed's visibility filter (issue 17, item 4). */
import { describe, expect, it } from 'vitest';
import { filterEventsAsync } from './filter-events.js';
import { MemoryEventBus } from './memory-event-bus.js';

const removed = (deviceId: string) => ({ deviceId, owner: 'x' });

describe('filterEventsAsync', () => {
  it('passes on the events a synchronous or looked-up verdict keeps, in order, and drops the others', async () => {
    const bus = new MemoryEventBus();
    const kept = filterEventsAsync(bus.subscribe('lock.removed'), (e) => (e.deviceId.startsWith('sync-') ? e.deviceId.endsWith('yes') : Promise.resolve(e.deviceId.endsWith('yes'))));
    for (const id of ['sync-no', 'async-yes', 'sync-yes', 'async-no', 'async-yes']) bus.publish('lock.removed', removed(id));
    bus.publish('lock.removed', removed('sync-yes'));
    expect((await kept.next()).value).toEqual(removed('async-yes'));
    expect((await kept.next()).value).toEqual(removed('sync-yes'));
    expect((await kept.next()).value).toEqual(removed('async-yes'));
    expect((await kept.next()).value).toEqual(removed('sync-yes'));
  });

  it('ends with the error of a failed lookup rather than let the event through', async () => {
    const bus = new MemoryEventBus();
    const kept = filterEventsAsync(bus.subscribe('lock.removed'), () => Promise.reject(new Error('share directory down')));
    bus.publish('lock.removed', removed('a'));
    await expect(kept.next()).rejects.toThrow('share directory down');
  });

  it('releases its bus subscription at once when it ends', async () => {
    const bus = new MemoryEventBus();
    const source = bus.subscribe('lock.removed');
    const kept = filterEventsAsync(source, () => true);
    await kept.return?.();
    bus.publish('lock.removed', removed('a'));
    expect(await source.next()).toEqual({ done: true, value: undefined });
  });
});
