import { describe, expect, it } from 'vitest';
import { boundedUserAgent, deviceName, MAX_USER_AGENT_LENGTH } from './device-name.js';

describe('deviceName', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0', 'Edge on Windows'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'Chrome on Linux'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Safari on macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', 'Safari on iOS'],
    ['Mozilla/5.0 (Android 14; Mobile; rv:120.0) Gecko/120.0 Firefox/120.0', 'Firefox on Android'],
    ['node', 'Node.js'],
    ['something else', 'Unknown device'],
  ])('names %s', (userAgent, name) => {
    expect(deviceName(userAgent)).toBe(name);
  });

  it('names a missing header', () => {
    expect(deviceName(null)).toBe('Unknown device');
  });

  it('keeps at most a bounded header and drops an empty or non-string one', () => {
    expect(boundedUserAgent('x'.repeat(1000))).toHaveLength(MAX_USER_AGENT_LENGTH);
    expect(boundedUserAgent('  ')).toBeNull();
    expect(boundedUserAgent(['a', 'b'])).toBeNull();
  });
});
