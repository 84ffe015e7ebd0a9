import { describe, expect, it } from 'vitest';
import { applicationServerKey, deviceLabel, pushAvailability, subscriptionFields } from './push-support';

const ANDROID = { userAgent: 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36', maxTouchPoints: 5, standalone: false };
const IPHONE = { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1', maxTouchPoints: 5, standalone: false };

describe('push availability', () => {
  it('sends iPhone and iPad browser tabs to the Home Screen first, whatever the permission', () => {
    expect(pushAvailability(IPHONE, false, null)).toBe('needs-home-screen');
    expect(pushAvailability({ ...IPHONE, userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15' }, true, 'default')).toBe('needs-home-screen');
    // Added to the Home Screen, iOS 16.4+ has the Push API.
    expect(pushAvailability({ ...IPHONE, standalone: true }, true, 'default')).toBe('ask');
  });

  it('follows the permission elsewhere, and says when there is no Push API', () => {
    expect(pushAvailability(ANDROID, true, 'default')).toBe('ask');
    expect(pushAvailability(ANDROID, true, 'granted')).toBe('granted');
    expect(pushAvailability(ANDROID, true, 'denied')).toBe('denied');
    expect(pushAvailability(ANDROID, false, 'default')).toBe('unsupported');
    expect(pushAvailability(ANDROID, true, null)).toBe('unsupported');
  });
});

describe('push conversions', () => {
  it('decodes the base64url VAPID key into its 65 bytes', () => {
    const raw = new Uint8Array(65).map((_, i) => (i * 37) % 256);
    raw[0] = 4;
    let binary = '';
    for (const byte of raw) binary += String.fromCharCode(byte);
    const base64url = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(Array.from(applicationServerKey(base64url))).toEqual(Array.from(raw));
  });

  it("takes the endpoint and keys from the browser's subscription, or nothing without keys", () => {
    expect(subscriptionFields({ endpoint: 'https://push.example/1', keys: { p256dh: 'BPk', auth: 'au' } })).toEqual({ endpoint: 'https://push.example/1', p256dh: 'BPk', auth: 'au' });
    expect(subscriptionFields({ endpoint: 'https://push.example/1' })).toBeNull();
  });

  it('names the device by browser and system', () => {
    expect(deviceLabel(ANDROID.userAgent)).toBe('Chrome on Android');
    expect(deviceLabel(IPHONE.userAgent)).toBe('Safari on iOS');
    expect(deviceLabel('curl/8')).toBe('Browser');
  });
});
