import { describe, expect, it, vi } from 'vitest';
import { createRequest } from './api-client';
import type { Connectivity } from './connectivity';
import { ApiError, NetworkError } from './graphql-http';
import type { LiveClient } from './live-client';
import type { SessionManager } from './session';
import { StepUpGate } from './step-up';

const DOCUMENT = { kind: 'Document', definitions: [] } as never;
const OK = { lock: { id: 'c1' } };

function setUp(socketAnswers: (Promise<unknown> | null)[], stepUp?: StepUpGate) {
  const overHttp: unknown[] = [];
  const fetchFn = vi.fn((_url: string, init?: { body?: unknown }) => {
    overHttp.push(init?.body);
    return Promise.resolve(new Response(JSON.stringify({ data: OK }), { status: 200, headers: { 'content-type': 'application/json' } }));
  });
  const overSocket: unknown[] = [];
  const live: Pick<LiveClient, 'execute'> = {
    execute: <R>(_document: unknown, variables: unknown) => {
      const answer = socketAnswers.shift() ?? null;
      if (answer) overSocket.push(variables);
      return answer as Promise<R> | null;
    },
  };
  const session = { accessToken: () => Promise.resolve('token'), refresh: () => Promise.resolve({ accessToken: 'fresh' }) } as unknown as SessionManager;
  const connectivity = { reportReachable: () => undefined, reportUnreachable: () => undefined } as unknown as Connectivity;
  return { request: createRequest(session, connectivity, fetchFn, stepUp, live), overHttp, overSocket };
}

describe('requests that prefer the live socket', () => {
  it('go on the socket when it is open, and never over HTTP as well', async () => {
    const { request, overHttp, overSocket } = setUp([Promise.resolve(OK)]);
    expect(await request(DOCUMENT, { deviceId: 'd' }, { preferLiveSocket: true })).toEqual(OK);
    expect(overSocket).toEqual([{ deviceId: 'd' }]);
    expect(overHttp).toHaveLength(0);
  });

  it('go over HTTP when the socket is not open, and so does every request that does not ask for it', async () => {
    const { request, overHttp, overSocket } = setUp([null, Promise.resolve(OK)]);
    expect(await request(DOCUMENT, { deviceId: 'd' }, { preferLiveSocket: true })).toEqual(OK);
    expect(await request(DOCUMENT, { deviceId: 'd' })).toEqual(OK);
    expect(overSocket).toHaveLength(0);
    expect(overHttp).toHaveLength(2);
  });

  it('go over HTTP with the session\'s token when the socket\'s own was refused', async () => {
    const { request, overHttp } = setUp([Promise.reject(new ApiError('Your session has ended.', 'UNAUTHENTICATED'))]);
    expect(await request(DOCUMENT, { deviceId: 'd' }, { preferLiveSocket: true })).toEqual(OK);
    expect(overHttp).toHaveLength(1);
  });

  it('ask for the step-up the api wants on the socket, then send once more over HTTP', async () => {
    const gate = new StepUpGate();
    const { request, overHttp, overSocket } = setUp([Promise.reject(new ApiError('Confirm it is you', 'STEP_UP_REQUIRED', { maxAgeSeconds: 300 }))], gate);
    const result = request(DOCUMENT, { deviceId: 'd' }, { preferLiveSocket: true });
    await vi.waitFor(() => expect(gate.question).toEqual({ maxAgeSeconds: 300 }));
    gate.settle(true);
    expect(await result).toEqual(OK);
    expect(overSocket).toHaveLength(1);
    expect(overHttp).toHaveLength(1);
  });

  it('leave a dropped socket to the caller (a command retries under its idempotency key)', async () => {
    const { request, overHttp } = setUp([Promise.reject(new NetworkError('closed'))]);
    await expect(request(DOCUMENT, { deviceId: 'd' }, { preferLiveSocket: true })).rejects.toBeInstanceOf(NetworkError);
    expect(overHttp).toHaveLength(0);
  });
});
