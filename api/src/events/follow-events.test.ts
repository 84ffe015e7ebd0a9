import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/subscriptions.js';
import { followEvents } from './follow-events.js';
import { MemoryEventBus } from './memory-event-bus.js';

describe('followEvents', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('keeps following after a handler throws, and logs the error with the event name', async () => {
    const bus = new MemoryEventBus();
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const seen: string[] = [];
    const stop = followEvents(
      bus,
      ['lock.removed'],
      ({ deviceId }) => {
        seen.push(deviceId);
        if (deviceId === 'bad') throw new Error('handler broke');
      },
      log,
    );
    bus.publish('lock.removed', { deviceId: 'bad', owner: 'x' });
    bus.publish('lock.removed', { deviceId: 'good', owner: 'x' });
    await eventually(() => Promise.resolve(seen.includes('good')));
    bus.publish('lock.removed', { deviceId: 'later', owner: 'x' });
    await eventually(() => Promise.resolve(seen.includes('later')));
    expect(seen).toEqual(['bad', 'good', 'later']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: 'lock.removed', err: { message: 'handler broke' } });
    expect(unhandled).toEqual([]);
    await stop();
  });

  it('reports a rejected async handler to onError instead of leaving an unhandled rejection', async () => {
    const bus = new MemoryEventBus();
    const errors: { message: string; name: string }[] = [];
    const seen: string[] = [];
    const stop = followEvents(
      bus,
      ['lock.secretRotated'],
      async ({ deviceId }) => {
        seen.push(deviceId);
        await Promise.resolve();
        if (deviceId === 'bad') throw new Error('async handler broke');
      },
      (error, name) => errors.push({ message: (error as Error).message, name }),
    );
    bus.publish('lock.secretRotated', { deviceId: 'bad' });
    bus.publish('lock.secretRotated', { deviceId: 'good' });
    await eventually(() => Promise.resolve(errors.length === 1 && seen.includes('good')));
    // One more turn of the event loop: Node reports unhandled rejections after the microtasks.
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual([{ message: 'async handler broke', name: 'lock.secretRotated' }]);
    expect(unhandled).toEqual([]);
    await stop();
  });
});
