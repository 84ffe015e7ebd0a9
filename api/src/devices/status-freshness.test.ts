import { describe, expect, it } from 'vitest';
import { checkFreshness } from './status-freshness.js';

const now = 1_795_760_000_500; // ms, half a second into 1795760000

describe('checkFreshness (STATUS_MAX_SKEW_S)', () => {
  it('accepts ts up to the skew either way, in whole seconds', () => {
    expect(checkFreshness(1795760000, now, 120)).toEqual({ fresh: true, skewS: 0 });
    expect(checkFreshness(1795760000 - 120, now, 120)).toEqual({ fresh: true, skewS: -120 });
    expect(checkFreshness(1795760000 + 120, now, 120)).toEqual({ fresh: true, skewS: 120 });
  });

  it('refuses ts beyond the skew, naming how far off it is', () => {
    expect(checkFreshness(1795760000 - 121, now, 120)).toEqual({ fresh: false, detail: 'ts 1795759879 is 121 s old' });
    expect(checkFreshness(1795760000 + 365 * 86400, now, 120)).toEqual({ fresh: false, detail: 'ts 1827296000 is 31536000 s ahead' });
  });

  it('refuses ts 0: a lock without time proves nothing about when it sent', () => {
    expect(checkFreshness(0, now, 120)).toMatchObject({ fresh: false });
  });
});
