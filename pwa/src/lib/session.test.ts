// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { FetchLike } from './graphql-http';
import { SessionManager } from './session';
import { readSession, writeSession, type Session } from './session-store';

const NOW = Date.parse('2025-01-01T12:00:00Z');

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

function session(n: number, expiresInMs = 15 * 60_000): Session {
  return { accessToken: `access-${n}`, expiresAt: NOW + expiresInMs, user: { id: 'u1', username: 'alice', role: 'USER' } };
}

/** What POST /auth/refresh answers: no refresh token (it is an HttpOnly cookie). */
function payload(n: number) {
  return {
    accessToken: `access-${n}`,
    expiresAt: new Date(NOW + 15 * 60_000).toISOString(),
    user: { id: 'u1', username: 'alice', role: 'USER' },
  };
}

const REFUSED = { errors: [{ message: 'Your session has ended. Sign in again.', extensions: { code: 'UNAUTHENTICATED' } }] };

/** A fake api whose answers the test releases by hand, recording what was sent (the cookie is the browser's business). */
function fakeServer() {
  const sent: { url: string; body: unknown; authorization?: string | undefined }[] = [];
  const pending: ((body: unknown) => void)[] = [];
  const fetch: FetchLike = (url, init) => {
    const headers = init.headers as Record<string, string>;
    sent.push({ url, body: JSON.parse(init.body as string), authorization: headers.authorization });
    return new Promise((resolve) => pending.push((answer) => resolve(new Response(JSON.stringify(answer), { status: answer === REFUSED ? 401 : 200 }))));
  };
  const answer = (body: unknown) => {
    const next = pending.shift();
    if (!next) throw new Error('no request is waiting');
    next(body);
  };
  return { fetch, sent, answer };
}

function manager(fetch: FetchLike, initial: Session | null = session(1)) {
  const storage = new MemoryStorage();
  writeSession(storage, initial);
  return { storage, sessions: new SessionManager({ fetch, storage, now: () => NOW, autoRefresh: false }) };
}

describe('SessionManager refresh', () => {
  it('sends one refresh however many callers ask at once', async () => {
    const server = fakeServer();
    const { sessions, storage } = manager(server.fetch);
    const all = Promise.all([sessions.refresh('access-1'), sessions.refresh('access-1'), sessions.refresh()]);
    await vi.waitFor(() => expect(server.sent).toHaveLength(1));
    server.answer(payload(2));
    const results = await all;
    expect(results.map((s) => s.accessToken)).toEqual(['access-2', 'access-2', 'access-2']);
    expect(server.sent).toEqual([{ url: '/auth/refresh', body: {}, authorization: undefined }]);
    expect(readSession(storage)?.accessToken).toBe('access-2');
    expect(storage.getItem('smartlock.session')).not.toContain('refresh');
  });

  it('does not refresh again for a token that was already replaced', async () => {
    const server = fakeServer();
    const { sessions } = manager(server.fetch);
    const first = sessions.refresh('access-1');
    await vi.waitFor(() => expect(server.sent).toHaveLength(1));
    server.answer(payload(2));
    await first;
    // A request that went out with the old token fails late: the new session answers it.
    await expect(sessions.refresh('access-1')).resolves.toMatchObject({ accessToken: 'access-2' });
    expect(server.sent).toHaveLength(1);
  });

  it('rotates again through the cookie when the new access token is refused', async () => {
    const server = fakeServer();
    const { sessions } = manager(server.fetch);
    const first = sessions.refresh();
    await vi.waitFor(() => expect(server.sent).toHaveLength(1));
    server.answer(payload(2));
    await first;
    const second = sessions.refresh('access-2');
    await vi.waitFor(() => expect(server.sent).toHaveLength(2));
    server.answer(payload(3));
    await second;
    expect(server.sent.map((s) => s.url)).toEqual(['/auth/refresh', '/auth/refresh']);
  });

  it('ends the session when the server refuses the refresh', async () => {
    const server = fakeServer();
    const { sessions, storage } = manager(server.fetch);
    const listener = vi.fn();
    sessions.subscribe(listener);
    const refused = sessions.refresh('access-1');
    await vi.waitFor(() => expect(server.sent).toHaveLength(1));
    server.answer(REFUSED);
    await expect(refused).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(sessions.current()).toBeNull();
    expect(sessions.lastEnd).toBe('expired');
    expect(readSession(storage)).toBeNull();
    expect(listener).toHaveBeenCalled();
  });

  it('keeps the session when the network fails', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const { sessions } = manager(fetch);
    await expect(sessions.refresh('access-1')).rejects.toMatchObject({ name: 'NetworkError' });
    expect(sessions.current()?.accessToken).toBe('access-1');
  });

  it('adopts a session another tab already rotated instead of reusing the old token', async () => {
    const server = fakeServer();
    const { sessions, storage } = manager(server.fetch);
    writeSession(storage, session(7)); // the other tab's refresh landed in localStorage
    await expect(sessions.refresh('access-1')).resolves.toMatchObject({ accessToken: 'access-7' });
    expect(server.sent).toHaveLength(0);
  });

  it('refreshes before handing out a token that is about to expire', async () => {
    const server = fakeServer();
    const { sessions } = manager(server.fetch, session(1, 30_000));
    const token = sessions.accessToken();
    await vi.waitFor(() => expect(server.sent).toHaveLength(1));
    server.answer(payload(2));
    await expect(token).resolves.toBe('access-2');
  });

  it('hands out a token with time left without asking the server', async () => {
    const server = fakeServer();
    const { sessions } = manager(server.fetch);
    await expect(sessions.accessToken()).resolves.toBe('access-1');
    expect(server.sent).toHaveLength(0);
  });
});
