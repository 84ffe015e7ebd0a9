/**
 * "Open nearby" / "Lock nearby" against a fake `navigator.bluetooth` whose GATT server is the lock's
 * side written from the design (test-support/fake-ble-lock.ts): the lock checks the signature, the
 * nonce and the window itself, so a wrong key, an expired one or a replayed nonce fails visibly.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServicesContext } from '../hooks/use-services';
import type { Request } from '../lib/api-client';
import { offlineKeyFrom } from '../lib/ble-messages';
import type { BluetoothLike } from '../lib/ble-nearby';
import { ApiError } from '../lib/graphql-http';
import { OfflineKeyStore } from '../lib/offline-keys';
import type { AppServices } from '../lib/services';
import { FakeBleLock, issueKey, SERVICE, type FakeBleLockOptions } from '../test-support/fake-ble-lock';
import { aLock } from '../test-support/lock-fixture';
import { NearbyControls } from './nearby-controls';

const SECRET = Buffer.alloc(32, 3);
const HOUR = 3600;
const nowS = () => Math.floor(Date.now() / 1000);

/** The api issuing 8 h keys for `act`, signed with `secret` (the lock's, unless a test says otherwise). */
function api({ act = 'LU', secret = SECRET, refuse }: { act?: string; secret?: Buffer; refuse?: ApiError } = {}) {
  const issued: string[] = [];
  const request = vi.fn(((_document: unknown, variables: { lockId: string }) => {
    if (refuse) return Promise.reject(refuse);
    const key = issueKey(secret, { dev: variables.lockId, uid: 'u1', act, nb: nowS(), na: nowS() + 8 * HOUR });
    issued.push(key.kid);
    return Promise.resolve({ issueOfflineKey: { keyId: key.kid, deviceId: variables.lockId, capability: key.capability, secret: key.secret } });
  }) as Request);
  return { request, issued };
}

// `request` is a vi.fn standing for the api (a Mock is not assignable to the generic Request type).
function renderNearby(request: unknown, online = true) {
  const connectivity = { subscribe: () => () => undefined, online: () => online } as unknown as AppServices['connectivity'];
  const session = { current: () => ({ accessToken: 'a', expiresAt: 0, user: { id: 'u1', username: 'alice', role: 'USER' } }) };
  const services = { request, connectivity, session, storage: localStorage } as unknown as AppServices;
  render(
    <ServicesContext.Provider value={services}>
      <NearbyControls lock={aLock({ deviceId: 'front' })} />
    </ServicesContext.Provider>,
  );
}

function withBluetooth(bluetooth: BluetoothLike | undefined) {
  Object.defineProperty(navigator, 'bluetooth', { value: bluetooth, configurable: true, writable: true });
}

function aLockNearby(options: Partial<FakeBleLockOptions> = {}) {
  const lock = new FakeBleLock({ deviceId: 'front', deviceSecret: SECRET, ...options });
  const bluetooth = lock.bluetooth();
  withBluetooth(bluetooth);
  return { lock, bluetooth };
}

async function press(name: 'Open' | 'Lock'): Promise<string> {
  fireEvent.click(await screen.findByRole('button', { name: `${name} Front door nearby` }));
  await waitFor(() => expect(screen.getByRole('status').textContent).not.toMatch(/^$|…$/));
  return screen.getByRole('status').textContent ?? '';
}

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  withBluetooth(undefined);
  Reflect.deleteProperty(navigator, 'bluetooth');
});

describe('<NearbyControls> where the browser has Web Bluetooth', () => {
  it('opens the lock: the chooser asks for the lock service, the lock checks the key and records its use', async () => {
    const { lock, bluetooth } = aLockNearby();
    const { request, issued } = api();
    renderNearby(request);
    expect(await press('Open')).toBe('Unlocked over Bluetooth.');
    expect(bluetooth.requested).toEqual([{ filters: [{ services: [SERVICE] }] }]);
    expect(lock.status).toBe('UNLOCKED');
    expect(lock.uses).toEqual([expect.stringMatching(new RegExp(`^${issued[0]}\\.U\\.\\d+$`))]);
    expect(lock.isConnected).toBe(false);
    expect(await press('Lock')).toBe('Locked over Bluetooth.');
    expect(lock.status).toBe('LOCKED');
  });

  it('shows only "Lock nearby" for a key that only locks', async () => {
    aLockNearby();
    renderNearby(api({ act: 'L' }).request);
    expect(await screen.findByRole('button', { name: 'Lock Front door nearby' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Open Front door nearby' })).toBeNull();
  });

  it('says so when the lock refuses the signature (a key not derived from its secret)', async () => {
    const { lock } = aLockNearby();
    renderNearby(api({ secret: Buffer.alloc(32, 4) }).request);
    expect(await press('Open')).toMatch(/^The lock does not accept this key .* connect to the internet to get a new one\.$/);
    expect(lock.status).toBe('LOCKED');
  });

  it('says when the key expired by the lock’s clock', async () => {
    const { lock } = aLockNearby({ clock: () => nowS() + 9 * HOUR });
    renderNearby(api().request);
    expect(await press('Open')).toMatch(/^This key expired at .*\d\d:\d\d.* — connect to the internet to get a new one\.$/);
    expect(lock.uses).toEqual([]);
  });

  it('fails visibly when the nonce was replaced before the request arrived (replay protection)', async () => {
    let again = true;
    const { lock } = aLockNearby({
      onChallengeRead: (door) => {
        if (!again) return;
        again = false;
        door.readChallenge();
      },
    });
    renderNearby(api().request);
    expect(await press('Open')).toBe('The lock’s challenge was used or ran out (30 s). Try again.');
    expect(lock.status).toBe('LOCKED');
  });

  it('says the lock does not know the time yet', async () => {
    aLockNearby({ clock: () => null });
    renderNearby(api().request);
    expect(await press('Open')).toMatch(/^The lock does not know the time yet/);
  });

  it('says the access was withdrawn when the lock has the key on its revocation list', async () => {
    const { lock } = aLockNearby();
    const { request, issued } = api();
    renderNearby(request);
    await screen.findByRole('button', { name: 'Open Front door nearby' });
    lock.revokedKids = [...issued];
    expect(await press('Open')).toBe('Your access was withdrawn.');
  });

  it('does not believe an unsigned "ok" (an impostor)', async () => {
    aLockNearby({ impostor: true });
    renderNearby(api().request);
    expect(await press('Open')).toBe('The lock’s answer could not be verified: check the door.');
  });

  it('sends nothing to another lock', async () => {
    const other = new FakeBleLock({ deviceId: 'back-door', deviceSecret: SECRET });
    withBluetooth(other.bluetooth());
    renderNearby(api().request);
    expect(await press('Open')).toMatch(/^That is not Front door \(it is “back-door”\)/);
    expect(other.written).toEqual([]);
  });

  it('works with no network, from the key held on this device', async () => {
    const { lock } = aLockNearby();
    const issued = issueKey(SECRET, { dev: 'front', uid: 'u1', act: 'LU', nb: nowS() - HOUR, na: nowS() + HOUR });
    const key = offlineKeyFrom(issued.capability, issued.secret);
    if (key) new OfflineKeyStore(localStorage, 'u1').put(key);
    const request = vi.fn(() => Promise.reject(new Error('no network')));
    renderNearby(request, false);
    expect(await press('Open')).toBe('Unlocked over Bluetooth.');
    expect(request).not.toHaveBeenCalled();
    expect(lock.uses).toHaveLength(1);
  });

  it('is hidden, and the key held dropped, when the api refuses a new one (access withdrawn, or no Bluetooth on that lock)', async () => {
    aLockNearby();
    // Held since 5 h of an 8 h window: due for renewal.
    const held = issueKey(SECRET, { dev: 'front', uid: 'u1', act: 'LU', nb: nowS() - 5 * HOUR, na: nowS() + 3 * HOUR });
    const key = offlineKeyFrom(held.capability, held.secret);
    if (key) new OfflineKeyStore(localStorage, 'u1').put(key);
    const { request } = api({ refuse: new ApiError('Your access to this lock ended.', 'FORBIDDEN') });
    renderNearby(request);
    await waitFor(() => expect(request).toHaveBeenCalled());
    await waitFor(() => expect(screen.queryByRole('button', { name: /nearby/ })).toBeNull());
    expect(localStorage.length).toBe(0);
  });
});

describe('<NearbyControls> without Web Bluetooth (iOS Safari, Firefox)', () => {
  it('shows no nearby buttons and fetches no key (a secret this browser cannot use)', () => {
    const { request } = api();
    renderNearby(request);
    // render() runs the effects, where a fetch would start.
    expect(request).not.toHaveBeenCalled();
    expect(localStorage.length).toBe(0);
    expect(screen.queryByRole('button', { name: /nearby/ })).toBeNull();
    expect(screen.queryByRole('group', { name: /Bluetooth/ })).toBeNull();
  });
});
