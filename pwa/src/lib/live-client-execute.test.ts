import { describe, expect, it, vi } from 'vitest';
import { ResyncDocument } from '../operations/live';
import { LockCommandDocument } from '../operations/commands';
import { FakeApiSocket, useFakeApiSocket } from '../test-support/fake-api-socket';
import { Connectivity } from './connectivity';
import { ApiError, NetworkError } from './graphql-http';
import { createLiveClient, type LiveClient } from './live-client';
import { SessionManager } from './session';
import { writeSession } from './session-store';

const COMMAND = { id: 'c1', deviceId: 'lock-1', action: 'LOCK', state: 'SENT', reason: null, createdAt: '2026-01-01T00:00:00.000Z', completedAt: null };
const VARIABLES = { deviceId: 'lock-1', idempotencyKey: 'k-1' };

/** A live client whose socket is open (a page listens for `resync`), and that socket. */
async function openLive(): Promise<{ live: LiveClient; socket: FakeApiSocket; stop: () => void }> {
  writeSession(localStorage, { accessToken: 'a', expiresAt: Date.now() + 3_600_000, user: { id: 'u1', username: 'alice', role: 'USER' } });
  const session = new SessionManager({ fetch: () => Promise.reject(new Error('no http here')), storage: localStorage, autoRefresh: false });
  const live = createLiveClient(session, new Connectivity(window), 'ws://api.test/graphql');
  const stop = live.subscribe(ResyncDocument, {}, { next: () => undefined });
  await vi.waitFor(() => expect(FakeApiSocket.opened[0]?.operations()).toEqual(['Resync']));
  const socket = FakeApiSocket.opened[0];
  if (!socket) throw new Error('no socket');
  // Open once the api acknowledged the connection: probed with an operation that times out at once.
  let probe: Promise<unknown> | null = null;
  await vi.waitFor(() => {
    probe = live.execute(LockCommandDocument, VARIABLES, 1);
    probe?.catch(() => undefined);
    expect(probe).not.toBeNull();
  });
  await expect(probe).rejects.toBeInstanceOf(NetworkError);
  socket.started.length = 0;
  socket.completedByClient.length = 0;
  return { live, socket, stop };
}

/** The one operation named `name` started on the socket (waits for it). */
async function startedOn(socket: FakeApiSocket, name: string) {
  await vi.waitFor(() => expect(socket.started.filter((o) => o.operationName === name)).toHaveLength(1));
  const [operation] = socket.started.filter((o) => o.operationName === name);
  if (!operation) throw new Error('not started');
  return operation;
}

describe('LiveClient.execute: commands on the open socket', () => {
  useFakeApiSocket();

  it('answers null while no socket is open, so that the caller uses HTTP, and opens none', () => {
    const session = new SessionManager({ fetch: () => Promise.reject(new Error('no http here')), storage: localStorage, autoRefresh: false });
    const live = createLiveClient(session, new Connectivity(window), 'ws://api.test/graphql');
    expect(live.execute(LockCommandDocument, VARIABLES)).toBeNull();
    expect(FakeApiSocket.opened).toHaveLength(0);
    live.dispose();
  });

  it('sends the mutation with its variables on the socket and resolves with the data the api answers', async () => {
    const { live, socket, stop } = await openLive();
    const result = live.execute(LockCommandDocument, VARIABLES);
    const operation = await startedOn(socket, 'LockCommand');
    expect(operation.query).toContain('mutation LockCommand');
    expect(operation.variables).toEqual(VARIABLES);
    socket.answer(operation.id, { data: { lock: COMMAND } });
    expect(await result).toEqual({ lock: COMMAND });
    expect(FakeApiSocket.opened).toHaveLength(1);
    stop();
    live.dispose();
  });

  it('resolves with the answer as it comes, not a frame later with its complete', async () => {
    const { live, socket, stop } = await openLive();
    const result = live.execute(LockCommandDocument, VARIABLES);
    await startedOn(socket, 'LockCommand');
    socket.push('LockCommand', { lock: COMMAND }); // `next` alone
    expect(await result).toEqual({ lock: COMMAND });
    stop();
    live.dispose();
  });

  it('rejects with the api\'s code, whether the operation failed or was refused before it ran', async () => {
    const { live, socket, stop } = await openLive();
    const failed = live.execute(LockCommandDocument, VARIABLES);
    socket.answer((await startedOn(socket, 'LockCommand')).id, { errors: [{ message: 'The lock is offline', extensions: { code: 'LOCK_OFFLINE' } }] });
    await expect(failed).rejects.toMatchObject({ name: 'ApiError', code: 'LOCK_OFFLINE' });

    socket.started.length = 0;
    const refused = live.execute(LockCommandDocument, VARIABLES);
    socket.refuse((await startedOn(socket, 'LockCommand')).id, [{ message: 'Your session has ended.', extensions: { code: 'UNAUTHENTICATED' } }]);
    const error: unknown = await refused?.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
    stop();
    live.dispose();
  });

  it('ends with a NetworkError when the socket drops first, and is not sent again on the next socket', async () => {
    const { live, socket, stop } = await openLive();
    const result = live.execute(LockCommandDocument, VARIABLES);
    await startedOn(socket, 'LockCommand');
    socket.close(1006, 'gone');
    await expect(result).rejects.toBeInstanceOf(NetworkError);
    expect(live.execute(LockCommandDocument, VARIABLES)).toBeNull(); // closed: the retry goes over HTTP

    // graphql-ws reconnects for the subscription; the command must not ride along, however late.
    await vi.waitFor(() => expect(FakeApiSocket.opened[1]?.operations()).toEqual(['Resync']), { timeout: 10_000 });
    expect(FakeApiSocket.opened[1]?.started.map((o) => o.operationName)).toEqual(['Resync']);
    stop();
    live.dispose();
  });

  it('ends with a NetworkError when no answer comes in time, and tells the api to stop it', async () => {
    const { live, socket, stop } = await openLive();
    const endsInTime = expect(live.execute(LockCommandDocument, VARIABLES, 50)).rejects.toBeInstanceOf(NetworkError);
    const operation = await startedOn(socket, 'LockCommand');
    await endsInTime;
    expect(socket.completedByClient).toContain(operation.id);
    stop();
    live.dispose();
  });
});
