import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Lock } from '../lib/locks-store';
import { LockFacts } from './lock-facts';
import { aLock } from '../test-support/lock-fixture';

const NOW = Date.parse('2025-01-01T12:00:00Z');

function lock(overrides: Partial<Lock> = {}): Lock {
  return aLock({ lastSeen: new Date(NOW - 12_000).toISOString(), updatedAt: new Date(NOW).toISOString(), ...overrides });
}

describe('<LockFacts>', () => {
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows a badge per alert in force, in words', () => {
    vi.useFakeTimers({ now: NOW });
    const alerts = [
      { kind: 'DOOR_AJAR' as const, message: 'Door left open' },
      { kind: 'BAD_SIGNATURES' as const, message: 'Messages with bad signatures' },
    ];
    render(<LockFacts lock={lock({ alerts })} />);
    expect(screen.getByText('Door left open')).toBeTruthy();
    expect(screen.getByText('Messages with bad signatures')).toBeTruthy();
  });

  it('shows status, availability, battery and issue badges', () => {
    vi.useFakeTimers({ now: NOW });
    render(<LockFacts lock={lock({ status: 'JAMMED', state: 'UNAVAILABLE', battery: 80, issue: 'Motor jammed' })} />);
    expect(screen.getByText('Last known: JAMMED')).toBeTruthy();
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

  it('shows no age while the lock is online (it would drift: unchanged heartbeats are not pushed)', () => {
    vi.useFakeTimers({ now: NOW });
    const { container } = render(<LockFacts lock={lock({ lastSeen: new Date(NOW - 44_000).toISOString() })} />);
    expect(screen.getByText('Online')).toBeTruthy();
    expect(container.querySelector('.last-seen')).toBeNull();
  });

  it('ticks "Last seen" every second once the lock is offline', async () => {
    vi.useFakeTimers({ now: NOW });
    render(<LockFacts lock={lock({ state: 'UNAVAILABLE', online: false })} />);
    expect(screen.getByText('Last seen 12 s ago')).toBeTruthy();
    await vi.advanceTimersByTimeAsync(3000);
    expect(screen.getByText('Last seen 15 s ago')).toBeTruthy();
  });

  it('says "Never seen" for a lock that never reported', () => {
    render(<LockFacts lock={lock({ lastSeen: null, status: 'UNKNOWN', state: 'UNAVAILABLE', online: false })} />);
    expect(screen.getByText('Never seen')).toBeTruthy();
    expect(screen.getByText('UNKNOWN')).toBeTruthy();
  });

  it('shows the door and what moved the bolt for a v2 lock', () => {
    vi.useFakeTimers({ now: NOW });
    render(<LockFacts lock={lock({ status: 'UNLOCKED', door: 'CLOSED', lastChangeSource: 'REMOTE', lastChangedBy: 'alice' })} />);
    expect(screen.getByText('Door closed')).toBeTruthy();
    expect(screen.getByText('Unlocked by alice')).toBeTruthy();
  });

  it('makes a locked bolt in an open door loud, with a "Door open" badge', () => {
    vi.useFakeTimers({ now: NOW });
    render(<LockFacts lock={lock({ door: 'OPEN', lastChangeSource: 'MANUAL', lastChangedAt: new Date(NOW - 125_000).toISOString() })} />);
    expect(screen.getByText('Door open').className).toContain('badge-bad');
    expect(screen.getByText('LOCKED · door open').className).toContain('badge-bad');
    expect(screen.queryByText('LOCKED')).toBeNull();
    expect(screen.getByText('Locked by hand · 2 min ago')).toBeTruthy();
  });

  it('says "No door sensor" for a v2 lock without one, and "Locking…" while the bolt moves', () => {
    vi.useFakeTimers({ now: NOW });
    render(<LockFacts lock={lock({ status: 'UNLOCKED', door: 'UNKNOWN', boltMotion: 'LOCKING', lastChangeSource: 'AUTO' })} />);
    expect(screen.getByText('No door sensor')).toBeTruthy();
    expect(screen.getByText('Locking…')).toBeTruthy();
    expect(screen.queryByText(/Locked automatically/)).toBeNull();
  });

  it('adds nothing for a v1 lock', () => {
    vi.useFakeTimers({ now: NOW });
    const { container } = render(<LockFacts lock={lock()} />);
    expect(container.querySelector('.last-change')).toBeNull();
    expect(screen.queryByText(/door/i)).toBeNull();
  });
});

describe('<LockFacts> when nothing is live', () => {
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('greys an unreachable lock: "Last known: LOCKED", Offline, and how long ago', () => {
    vi.useFakeTimers({ now: NOW });
    render(<LockFacts lock={lock({ state: 'UNAVAILABLE', online: false, lastSeen: new Date(NOW - 300_000).toISOString() })} />);
    expect(screen.getByText('Last known: LOCKED')).toBeTruthy();
    expect(screen.getByText('Offline')).toBeTruthy();
    expect(screen.getByText('Last seen 5 min ago')).toBeTruthy();
    expect(screen.queryByText('LOCKED')).toBeNull();
  });

  it.each(['phone-offline', 'server-unreachable'] as const)('with the app cut off (%s) shows no green "Online" and no live bolt', (situation) => {
    vi.useFakeTimers({ now: NOW });
    render(<LockFacts lock={lock({ door: 'CLOSED' })} situation={situation} />);
    expect(screen.queryByText('Online')).toBeNull();
    expect(screen.getByText('Unknown now')).toBeTruthy();
    expect(screen.getByText('Last known: LOCKED')).toBeTruthy();
    expect(screen.getByText('Last known: Door closed')).toBeTruthy();
    expect(screen.getByText('Last seen 12 s ago')).toBeTruthy();
  });
});
