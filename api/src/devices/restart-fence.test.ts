import { describe, expect, it } from 'vitest';
import { sentBeforeStart } from './restart-fence.js';

// The stored status: boot 3, sent at lock time 1000 s, received at our 1 000 500 ms (lock 1000.5 s behind).
const stored = { lastBoot: 3, lastTs: 1000, lastSeen: new Date(1_000_500) };
const startedAt = 1_010_000; // we (re)started 9.5 s after it

describe('sentBeforeStart (a status the previous process may have accepted)', () => {
  it('fences a status of the same boot sent between the stored one and the restart', () => {
    expect(sentBeforeStart(stored, { boot: 3, ts: 1005 }, startedAt)).toBe(true);
    expect(sentBeforeStart(stored, { boot: 3, ts: 1000 }, startedAt)).toBe(true);
  });

  it('lets through a status sent after the restart, within the 1 s resolution of ts', () => {
    expect(sentBeforeStart(stored, { boot: 3, ts: 1009 }, startedAt)).toBe(false);
    expect(sentBeforeStart(stored, { boot: 3, ts: 1012 }, startedAt)).toBe(false);
  });

  it('leaves the decision to (boot, seq) and freshness for a new boot, a clock set back, no reference, or a status accepted since', () => {
    expect(sentBeforeStart(stored, { boot: 4, ts: 1005 }, startedAt)).toBe(false);
    expect(sentBeforeStart(stored, { boot: 3, ts: 900 }, startedAt)).toBe(false);
    expect(sentBeforeStart({ ...stored, lastTs: 0 }, { boot: 3, ts: 1005 }, startedAt)).toBe(false);
    expect(sentBeforeStart({ ...stored, lastSeen: null }, { boot: 3, ts: 1005 }, startedAt)).toBe(false);
    expect(sentBeforeStart({ ...stored, lastSeen: new Date(startedAt) }, { boot: 3, ts: 1005 }, startedAt)).toBe(false);
  });
});
