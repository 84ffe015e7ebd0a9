import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocksDocument } from '../operations/locks';
import type { Request } from './api-client';
import { Connectivity } from './connectivity';
import { createLiveClient } from './live-client';
import { LocksStore, type Lock } from './locks-store';
import { SessionManager } from './session';
import { writeSession } from './session-store';
import { aLock } from '../test-support/lock-fixture';

/**
 * The api's end of a graphql-transport-ws socket, in memory: acknowledges the connection, records
 * which operations are subscribed, and sends `next` messages when the test says so.
 */
class FakeApiSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static readonly opened: FakeApiSocket[] = [];

  readyState = FakeApiSocket.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((error: unknown) => void) | null = null;
  /** Subscription id → operation name. */
  readonly subscriptions = new Map<string, string>();

  constructor() {
    FakeApiSocket.opened.push(this);
    setTimeout(() => {
      this.readyState = FakeApiSocket.OPEN;
      this.onopen?.();
    });
  }

  send(text: string): void {
    const message = JSON.parse(text) as { type: string; id?: string; payload?: { operationName?: string } };
    if (message.type === 'connection_init') this.reply({ type: 'connection_ack' });
    if (message.type === 'subscribe' && message.id) this.subscriptions.set(message.id, message.payload?.operationName ?? '');
    if (message.type === 'complete' && message.id) this.subscriptions.delete(message.id);
  }

  close(code = 1000, reason = ''): void {
    this.readyState = FakeApiSocket.CLOSED;
    this.onclose?.({ code, reason });
  }

  /** Sends `data` to every subscription of the named operation. */
  push(operationName: string, data: unknown): void {
    for (const [id, name] of this.subscriptions) if (name === operationName) this.reply({ type: 'next', id, payload: { data } });
  }

  operations(): string[] {
    return [...this.subscriptions.values()].sort();
  }

  private reply(message: unknown): void {
    setTimeout(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }
}

function lock(name: string): Lock {
  return aLock({ name });
}

describe('LocksStore on a live client', () => {
  beforeEach(() => {
    FakeApiSocket.opened.length = 0;
    vi.stubGlobal('WebSocket', FakeApiSocket);
    localStorage.clear();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

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
