import { afterEach, describe, expect, it } from 'vitest';
import { busyWithoutYielding } from '../test-support/busy-without-yielding.js';
import { type EstimatorTimings, StrengthEstimator } from './password-strength.js';

const estimators: StrengthEstimator[] = [];
const estimator = (timings?: EstimatorTimings) => {
  const created = new StrengthEstimator(timings);
  estimators.push(created);
  return created;
};
afterEach(async () => {
  await Promise.all(estimators.splice(0).map((e) => e.stop()));
});

describe('StrengthEstimator (a worker thread, started on demand)', () => {
  it('judges by estimated guesses: a common pattern is weak with a reason, unrelated words are strong', async () => {
    const e = estimator();
    const weak = await e.estimate('Password1!');
    expect(weak.strong).toBe(false);
    expect(weak.warning ?? weak.suggestions.join(' ')).not.toBe('');
    expect((await e.estimate('correct horse battery staple')).strong).toBe(true);
    // The owner's own username is guessed first: strong for a stranger, weak for its owner.
    expect((await e.estimate('kestrel-velvet-9184')).strong).toBe(true);
    expect((await e.estimate('kestrel-velvet-9184', ['kestrel-velvet-9184'])).strong).toBe(false);
  });

  it('holds no dictionaries until asked, and lets them go after the idle time', async () => {
    const e = estimator({ idleMs: 200 });
    expect(e.isLoaded()).toBe(false);
    await e.estimate('violet tractor seventeen');
    expect(e.isLoaded()).toBe(true);
    await expect.poll(() => e.isLoaded(), { timeout: 5000, interval: 50 }).toBe(false);
    // A later check starts a new worker.
    expect((await e.estimate('violet tractor seventeen')).strong).toBe(true);
  });

  it('answers concurrent checks each with its own verdict', async () => {
    const e = estimator();
    const inputs = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? `password${i}` : `quiet ${i} maple ${i} harbor lantern`));
    const verdicts = await Promise.all(inputs.map((p) => e.estimate(p)));
    expect(verdicts.map((v) => v.strong)).toEqual(inputs.map((_, i) => i % 2 === 1));
  });

  it('keeps the event loop free while the dictionaries load', async () => {
    const e = estimator();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    await e.estimate('first check of the day');
    clearInterval(ticker);
    // Run in this thread, the check and the loading of its dictionaries (~170 ms) were one synchronous
    // call: no timer could fire before it returned. In a worker, this thread keeps turning meanwhile.
    expect(ticks).toBeGreaterThan(2);
  });

  it('does not count loading the dictionaries against the first check (a slow start is no failed sign-up)', async () => {
    // Loading took 370-410 ms here (more on a busy machine), a check 25-35 ms: a budget between the
    // two fails if loading counts against it, and leaves a check room when the tests load the cores
    // (100 ms timed out once beside the other suites).
    const e = estimator({ checkTimeoutMs: 250 });
    expect((await e.estimate('copper meadow whistle lantern')).strong).toBe(true);
  });

  it('takes an answer that came while this thread stalled past the check timeout', async () => {
    const e = estimator({ checkTimeoutMs: 250 });
    await e.estimate('warm the worker up first');
    await new Promise((resolve) => setImmediate(resolve)); // out of the worker's message delivery, which would read the answer too
    const verdict = e.estimate('copper meadow whistle lantern');
    // The worker answers in ~30 ms (50 times that here); when this thread is free again, the answer
    // and the timeout are both due.
    await busyWithoutYielding(1_500);
    expect((await verdict).strong).toBe(true);
  });

  it('gives up on a worker that never gets ready, and says so', async () => {
    const e = estimator({ startTimeoutMs: 1 });
    await expect(e.estimate('copper meadow whistle lantern')).rejects.toThrow(/did not start/);
  });

  it('rejects pending checks when stopped, and works again afterwards', async () => {
    const e = estimator();
    const pending = expect(e.estimate('some words to check here')).rejects.toThrow(/stopped/);
    await e.stop();
    await pending;
    expect((await e.estimate('marble cactus drifting noon')).strong).toBe(true);
  });
});
