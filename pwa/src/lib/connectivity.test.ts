import { describe, expect, it } from 'vitest';
import { Connectivity } from './connectivity';

function browser(onLine: boolean) {
  const listeners = new Map<string, () => void>();
  return {
    navigator: { onLine },
    addEventListener: (type: string, listener: () => void) => void listeners.set(type, listener),
    fire: (type: 'online' | 'offline') => listeners.get(type)?.(),
  };
}

describe('Connectivity.situation', () => {
  it('tells a phone without network from a server that does not answer', () => {
    const target = browser(true);
    const connectivity = new Connectivity(target as unknown as Window);
    expect(connectivity.situation()).toBe('live');
    connectivity.reportUnreachable();
    expect(connectivity.situation()).toBe('server-unreachable');
    target.fire('offline');
    expect(connectivity.situation()).toBe('phone-offline');
    // Back online: worth trying the server again.
    target.fire('online');
    expect(connectivity.situation()).toBe('live');
    connectivity.reportUnreachable();
    connectivity.reportReachable();
    expect(connectivity.situation()).toBe('live');
  });

  it('starts as the browser says', () => {
    expect(new Connectivity(browser(false) as unknown as Window).situation()).toBe('phone-offline');
  });
});
