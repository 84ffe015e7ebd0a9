import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { LockAccessLostDocument, LockChangedDocument, LocksDocument } from '../operations/locks';
import type { Request } from './api-client';
import type { LiveClient } from './live-client';
import { LocksStore, type Lock } from './locks-store';
import { writeSession } from './session-store';
import { aLock } from '../test-support/lock-fixture';

function lock(deviceId: string, status: Lock['status'] = 'LOCKED', name = deviceId): Lock {
  return aLock({ deviceId, name, status });
}

/** A live client whose events the test sends by hand. */
class FakeLive implements LiveClient {
  readonly handlers = new Map<unknown, (data: unknown) => void>();
  readonly missed = new Set<() => void>();

  subscribe<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, _variables: V, handlers: { next: (data: R) => void }): () => void {
    this.handlers.set(document, handlers.next as (data: unknown) => void);
    return () => this.handlers.delete(document);
  }

  onMissedEvents(listener: () => void): () => void {
    this.missed.add(listener);
    return () => this.missed.delete(listener);
  }

  /** Never open: operations go over HTTP. */
  execute(): null {
    return null;
  }

  dispose(): void {}

  send(document: unknown, data: unknown): void {
    const next = this.handlers.get(document);
    if (!next) throw new Error('not subscribed');
    next(data);
  }
}

/** `locks` answers that the test releases one by one, in any order. */
function controlledLoads() {
  const pending: { resolve: (locks: Lock[]) => void }[] = [];
  const request = ((document: unknown) => {
    if (document !== LocksDocument) return Promise.reject(new Error('unexpected request'));
    return new Promise<{ locks: Lock[] }>((resolve) => pending.push({ resolve: (locks) => resolve({ locks }) }));
  }) as Request;
  return { request, pending };
}

const names = (store: LocksStore) => store.getState().locks.map((l) => `${l.deviceId}:${l.status}`);
const flush = () => new Promise((resolve) => setTimeout(resolve));

describe('LocksStore: live events against late snapshots', () => {
  let live: FakeLive;
  beforeEach(() => {
    localStorage.clear();
    // The store keeps its offline copy only while its user is the one signed in.
    writeSession(localStorage, { accessToken: 'a', expiresAt: Date.now() + 3_600_000, user: { id: 'u1', username: 'alice', role: 'USER' } });
    live = new FakeLive();
  });

  it('drops a lock when lockAccessLost arrives and remembers why', async () => {
    const { request, pending } = controlledLoads();
    const store = new LocksStore({ request, live, storage: localStorage, userId: 'u1' });
    store.retain();
    pending[0]?.resolve([lock('front'), lock('back')]);
    await flush();
    expect(names(store)).toEqual(['front:LOCKED', 'back:LOCKED']);

    live.send(LockAccessLostDocument, { lockAccessLost: { deviceId: 'front', reason: 'REASSIGNED', at: '2026-01-01T00:00:01.000Z' } });
    expect(names(store)).toEqual(['back:LOCKED']);
    expect(store.lostReason('front')).toBe('REASSIGNED');
    expect(store.getState().lost).toEqual({ front: 'REASSIGNED' });
    // The offline copy forgets it too.
    expect((JSON.parse(localStorage.getItem('smartlock.locks.u1') ?? '[]') as Lock[]).map((l) => l.deviceId)).toEqual(['back']);
  });

  it('a load that started before a live change and finishes after it does not bring the old state back', async () => {
    const { request, pending } = controlledLoads();
    const store = new LocksStore({ request, live, storage: localStorage, userId: 'u1' });
    store.retain();
    pending[0]?.resolve([lock('front'), lock('back'), lock('side')]);
    await flush();

    // A reload starts (e.g. after a resync)…
    void store.load();
    expect(pending).toHaveLength(2);
    // …then live events arrive before its answer: front unlocks, back is removed elsewhere, a new lock appears.
    live.send(LockChangedDocument, { lockChanged: lock('front', 'UNLOCKED') });
    live.send(LockAccessLostDocument, { lockAccessLost: { deviceId: 'back', reason: 'REMOVED', at: '2026-01-01T00:00:01.000Z' } });
    live.send(LockChangedDocument, { lockChanged: lock('garage', 'LOCKED') });
    // The snapshot, taken before those, answers late.
    pending[1]?.resolve([lock('front', 'LOCKED'), lock('back', 'LOCKED'), lock('side', 'JAMMED')]);
    await flush();

    expect(names(store)).toEqual(['front:UNLOCKED', 'side:JAMMED', 'garage:LOCKED']);
    expect(store.lostReason('back')).toBe('REMOVED');
  });

  it('a load that started after the live change is trusted again', async () => {
    const { request, pending } = controlledLoads();
    const store = new LocksStore({ request, live, storage: localStorage, userId: 'u1' });
    store.retain();
    pending[0]?.resolve([lock('front')]);
    await flush();
    live.send(LockAccessLostDocument, { lockAccessLost: { deviceId: 'front', reason: 'REASSIGNED', at: '2026-01-01T00:00:01.000Z' } });
    live.send(LockChangedDocument, { lockChanged: lock('side', 'UNLOCKED') });

    // Reassigned back, and side changed since: this newer snapshot wins for both.
    void store.load();
    pending[1]?.resolve([lock('front', 'UNLOCKED'), lock('side', 'LOCKED')]);
    await flush();
    expect(names(store)).toEqual(['front:UNLOCKED', 'side:LOCKED']);
    expect(store.lostReason('front')).toBeUndefined();
  });

  it('a lock given back live clears its lost reason', async () => {
    const { request, pending } = controlledLoads();
    const store = new LocksStore({ request, live, storage: localStorage, userId: 'u1' });
    store.retain();
    pending[0]?.resolve([lock('front')]);
    await flush();
    live.send(LockAccessLostDocument, { lockAccessLost: { deviceId: 'front', reason: 'REASSIGNED', at: '2026-01-01T00:00:01.000Z' } });
    live.send(LockChangedDocument, { lockChanged: lock('front', 'UNLOCKED') });
    expect(names(store)).toEqual(['front:UNLOCKED']);
    expect(store.lostReason('front')).toBeUndefined();
  });

  it('subscribes to lockAccessLost while retained, and stops when released', () => {
    const { request } = controlledLoads();
    const store = new LocksStore({ request, live, storage: localStorage, userId: 'u1' });
    const release = store.retain();
    expect(live.handlers.has(LockAccessLostDocument)).toBe(true);
    release();
    expect(live.handlers.size).toBe(0);
  });
});
