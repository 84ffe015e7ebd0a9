/** /readyz and /metrics show an overloaded api (issue 8, B4), through the real app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp({ OVERLOAD_LAG_MS: '50' });
  base = `http://127.0.0.1:${app.port}`;
});
afterAll(async () => {
  await app.close();
});

/** Holds the event loop like a flood of messages would (deterministic: the lag is at least this long). */
function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: nothing else runs
  }
}

async function readyz(): Promise<{ status: number; body: { status: string; overload?: { overloaded: boolean; eventLoopLagMs: number } } }> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as never };
}

describe('overload on the operational endpoints', () => {
  it('shows overload in /readyz as a field, still answering 200', async () => {
    // Start-up itself (building the schema) can stall the loop past 50 ms: wait for the hold to pass.
    const deadline = Date.now() + 10_000;
    while ((await readyz()).body.overload?.overloaded !== false) {
      if (Date.now() > deadline) throw new Error('still overloaded 10 s after start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    blockEventLoop(300);
    await new Promise((resolve) => setTimeout(resolve, 120)); // the monitor samples every 50 ms
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.overload?.overloaded).toBe(true);
  });

  it('exports overload, event-loop lag, shed heartbeats and ingest backlog in /metrics', async () => {
    blockEventLoop(300);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^smartlock_overloaded 1$/m);
    expect(text).toMatch(/^smartlock_mqtt_shed_total 0$/m);
    expect(text).toMatch(/^smartlock_ingest_backlog 0$/m);
    const lag = /^smartlock_event_loop_lag_max_seconds (\S+)$/m.exec(text)?.[1];
    expect(Number(lag)).toBeGreaterThanOrEqual(0.25);
    expect(Number(/^smartlock_overloaded_seconds (\S+)$/m.exec(text)?.[1])).toBeGreaterThan(0.25);
  });
});
