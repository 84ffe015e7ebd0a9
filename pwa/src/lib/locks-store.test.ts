import { describe, expect, it, vi } from 'vitest';
import { LocksDocument } from '../operations/locks';
import type { Request } from './api-client';
import { Connectivity } from './connectivity';
import { createLiveClient } from './live-client';
import { LocksStore, type Lock } from './locks-store';
import { SessionManager } from './session';
import { writeSession } from './session-store';
import { FakeApiSocket, useFakeApiSocket } from '../test-support/fake-api-socket';
import { aLock } from '../test-support/lock-fixture';

function lock(name: string): Lock {
  return aLock({ name });
}

describe('LocksStore on a live client', () => {
  useFakeApiSocket();

  it('reloads the locks when the api sends resync, and stops listening for it when no page needs the locks', async () => {
    writeSession(localStorage, { accessToken: 'a', expiresAt: Date.now() + 3_600_000, user: { id: 'u1', username: 'alice', role: 'USER' } });
    const session = new SessionManager({ fetch: () => Promise.reject(new Error('no http here')), storage: localStorage, autoRefresh: false });
    const live = createLiveClient(session, new Connectivity(window), 'ws://api.test/graphql');
    const names = ['before the outage', 'after the outage'];
    let loads = 0;
    const request = ((document: unknown) => {
      if (document !== LocksDocument) return Promise.reject(new Error('unexpected request'));
      const name = names[Math.min(loads, names.length - 1)] ?? '';
      loads += 1;
      return Promise.resolve({ locks: [lock(name)] });
    }) as Request;
    const store = new LocksStore({ request, live, storage: localStorage, userId: 'u1' });

    const release = store.retain();
    await vi.waitFor(() => expect(store.getState().locks.map((l) => l.name)).toEqual(['before the outage']));
    await vi.waitFor(() => expect(FakeApiSocket.opened[0]?.operations()).toEqual(['LockAccessLost', 'LockChanged', 'Resync']));
    const socket = FakeApiSocket.opened[0];
    if (!socket) throw new Error('no socket');

    socket.push('Resync', { resync: { reason: 'RECONNECTED', at: '2026-01-01T00:00:01.000Z' } });
    await vi.waitFor(() => expect(store.getState().locks.map((l) => l.name)).toEqual(['after the outage']));
    expect(loads).toBe(2);

    release();
    await vi.waitFor(() => expect(socket.operations()).toEqual([]));
    live.dispose();
  });
});
