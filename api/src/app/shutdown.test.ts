import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger.js';
import { exitOnSignals, type ShutdownSignal, type SignalSource } from './shutdown.js';

const log = createLogger('silent');

function setUp(stop: () => Promise<void>, timeoutMs = 5000) {
  const signals = new EventEmitter<Record<ShutdownSignal, []>>();
  const exits: number[] = [];
  const source: SignalSource = { on: (signal, listener) => signals.on(signal, listener) };
  exitOnSignals({ stop, timeoutMs, log, signals: source, exit: (code) => exits.push(code) });
  return { send: (signal: ShutdownSignal) => signals.emit(signal), exits };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('exitOnSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops once and exits 0 on %s', async (signal) => {
    const stop = vi.fn(() => Promise.resolve());
    const { send, exits } = setUp(stop);
    send(signal);
    await vi.waitFor(() => expect(exits).toEqual([0]));
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('does not start a second stop on a second signal', async () => {
    let finish: () => void = () => undefined;
    const stop = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { send, exits } = setUp(stop);
    send('SIGTERM');
    send('SIGINT');
    send('SIGTERM');
    expect(stop).toHaveBeenCalledTimes(1);
    finish();
    await vi.waitFor(() => expect(exits).toEqual([0]));
  });

  it('exits 1 when stopping takes longer than the timeout', async () => {
    vi.useFakeTimers();
    const { send, exits } = setUp(() => new Promise<void>(() => undefined), 5000);
    send('SIGTERM');
    await vi.advanceTimersByTimeAsync(4999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([1]);
  });

  it('exits 1 when stopping fails', async () => {
    const { send, exits } = setUp(() => Promise.reject(new Error('store would not close')));
    send('SIGINT');
    await vi.waitFor(() => expect(exits).toEqual([1]));
  });
});
