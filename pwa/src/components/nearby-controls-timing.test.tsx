/**
 * The lock page left open: the offline key is renewed once half of its window has passed (while
 * online), and "Open nearby" goes away when the key expires with no network to renew it.
 */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ServicesContext } from '../hooks/use-services';
import type { Request } from '../lib/api-client';
import { NetworkError } from '../lib/graphql-http';
import type { AppServices } from '../lib/services';
import { FakeBleLock, issueKey } from '../test-support/fake-ble-lock';
import { aLock } from '../test-support/lock-fixture';
import { NearbyControls } from './nearby-controls';

const SECRET = Buffer.alloc(32, 5);
const HOUR_MS = 3_600_000;

function renderWith(request: unknown) {
  const connectivity = { subscribe: () => () => undefined, online: () => true } as unknown as AppServices['connectivity'];
  const session = { current: () => ({ accessToken: 'a', expiresAt: 0, user: { id: 'u1', username: 'alice', role: 'USER' } }) };
  render(
    <ServicesContext.Provider value={{ request, connectivity, session, storage: localStorage } as unknown as AppServices}>
      <NearbyControls lock={aLock({ deviceId: 'front' })} />
    </ServicesContext.Provider>,
  );
}

/** The api: an 8 h key while `reachable`, else no answer. */
function api() {
  const state = { reachable: true, issued: 0 };
  const request = vi.fn(((_document: unknown, variables: { lockId: string }) => {
    if (!state.reachable) return Promise.reject(new NetworkError('offline'));
    state.issued += 1;
    const nb = Math.floor(Date.now() / 1000);
    const key = issueKey(SECRET, { dev: variables.lockId, uid: 'u1', act: 'LU', nb, na: nb + 8 * 3600 });
    return Promise.resolve({ issueOfflineKey: { keyId: key.kid, deviceId: variables.lockId, capability: key.capability, secret: key.secret } });
  }) as Request);
  return { request, state };
}

beforeEach(() => {
  localStorage.clear();
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
  const lock = new FakeBleLock({ deviceId: 'front', deviceSecret: SECRET });
  Object.defineProperty(navigator, 'bluetooth', { value: lock.bluetooth(), configurable: true, writable: true });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  Reflect.deleteProperty(navigator, 'bluetooth');
});

it('renews the key once half of it has passed, and not before', async () => {
  const { request, state } = api();
  renderWith(request);
  await screen.findByRole('button', { name: 'Open Front door nearby' });
  expect(state.issued).toBe(1);
  await act(() => vi.advanceTimersByTimeAsync(4 * HOUR_MS - 60_000));
  expect(state.issued).toBe(1);
  await act(() => vi.advanceTimersByTimeAsync(60_000));
  await waitFor(() => expect(state.issued).toBe(2));
});

it('hides "Open nearby" when the key expires with no network to renew it', async () => {
  const { request, state } = api();
  renderWith(request);
  await screen.findByRole('button', { name: 'Open Front door nearby' });
  state.reachable = false;
  await act(() => vi.advanceTimersByTimeAsync(8 * HOUR_MS - 60_000));
  expect(screen.queryByRole('button', { name: 'Open Front door nearby' })).not.toBeNull();
  await act(() => vi.advanceTimersByTimeAsync(60_000));
  await waitFor(() => expect(screen.queryByRole('button', { name: 'Open Front door nearby' })).toBeNull());
});
