import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isIosBrowserTab } from '../lib/ios-install';
import { IosInstallHint } from './ios-install-hint';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const IPADOS = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

describe('isIosBrowserTab', () => {
  it('is true in Safari on iPhone and on iPadOS (which says Macintosh, with touch), false elsewhere or once installed', () => {
    expect(isIosBrowserTab({ userAgent: IPHONE, maxTouchPoints: 5, standalone: false })).toBe(true);
    expect(isIosBrowserTab({ userAgent: IPADOS, maxTouchPoints: 5, standalone: false })).toBe(true);
    expect(isIosBrowserTab({ userAgent: IPADOS, maxTouchPoints: 0, standalone: false })).toBe(false); // a Mac
    expect(isIosBrowserTab({ userAgent: ANDROID, maxTouchPoints: 5, standalone: false })).toBe(false);
    expect(isIosBrowserTab({ userAgent: IPHONE, maxTouchPoints: 5, standalone: true })).toBe(false);
  });
});

describe('<IosInstallHint>', () => {
  afterEach(() => {
    cleanup();
    localStorage.clear();
  });

  it('tells an iPhone user how to add the app to the home screen, and stays away once dismissed', () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(IPHONE);
    const first = render(<IosInstallHint />);
    expect(screen.getByText(/Add to Home Screen/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Got it' }));
    expect(screen.queryByText(/Add to Home Screen/)).toBeNull();
    first.unmount();
    render(<IosInstallHint />);
    expect(screen.queryByText(/Add to Home Screen/)).toBeNull();
  });

  it('is not shown on Android (which has an install prompt)', () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(ANDROID);
    render(<IosInstallHint />);
    expect(screen.queryByText(/Add to Home Screen/)).toBeNull();
  });
});
