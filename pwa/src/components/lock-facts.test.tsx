import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Lock } from '../lib/locks-store';
import { LockFacts } from './lock-facts';

const NOW = Date.parse('2025-01-01T12:00:00Z');

function lock(overrides: Partial<Lock> = {}): Lock {
  return {
    deviceId: 'front-door',
    name: 'Front door',
    status: 'LOCKED',
    state: 'AVAILABLE',
    online: true,
    lastSeen: new Date(NOW - 12_000).toISOString(),
    battery: null,
    power: null,
    issue: null,
    rssi: null,
    firmware: null,
    updatedAt: new Date(NOW).toISOString(),
    owner: { username: 'alice' },
    ...overrides,
  };
}

describe('<LockFacts>', () => {
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows status, availability, battery and issue badges', () => {
    vi.useFakeTimers({ now: NOW });
    render(<LockFacts lock={lock({ status: 'JAMMED', state: 'UNAVAILABLE', battery: 80, issue: 'Motor jammed' })} />);
    expect(screen.getByText('JAMMED')).toBeTruthy();
    expect(screen.getByText('Offline')).toBeTruthy();
    expect(screen.getByText('Battery 80%')).toBeTruthy();
    expect(screen.getByText('Motor jammed')).toBeTruthy();
  });

  it('leaves out battery and issue badges when there is nothing to say', () => {
    vi.useFakeTimers({ now: NOW });
    const { container } = render(<LockFacts lock={lock()} />);
    expect(screen.getByText('LOCKED')).toBeTruthy();
    expect(screen.getByText('Online')).toBeTruthy();
    expect(container.querySelectorAll('.badge')).toHaveLength(2);
  });

  it('ticks "Last seen" every second', async () => {
    vi.useFakeTimers({ now: NOW });
    render(<LockFacts lock={lock()} />);
    expect(screen.getByText('Last seen 12 s ago')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(3000);
    expect(screen.getByText('Last seen 15 s ago')).toBeTruthy();
  });

  it('says "Never seen" for a lock that never reported', () => {
    render(<LockFacts lock={lock({ lastSeen: null, status: 'UNKNOWN' })} />);
    expect(screen.getByText('Never seen')).toBeTruthy();
    expect(screen.getByText('UNKNOWN')).toBeTruthy();
  });
});
