/**
 * Attack: make one request cost the server a lot: deep nesting, many aliases
 * (e.g. a hundred sign-in guesses in one request), batched operations, fragment
 * cycles, expensive selections, oversized bodies and socket messages.
 * Defence: graphql-armor depth/alias/cost rules on HTTP and WebSocket alike,
 * run in validation (before any resolver), no batching, BODY_LIMIT, ws maxPayload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { errorCodes, gql, signUp, wsClient, wsQuery, type AuthResult, type GraphQLResponse } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';
import { counter } from './attack-kit.js';

// Small limits so the attacks stay small; the rules are the same at the defaults.
const MAX_DEPTH = 3; // the schema has no cycles: its deepest valid selection is 4
const MAX_ALIASES = 5;
let app: TestApp;
let session: AuthResult;

beforeAll(async () => {
  app = await startTestApp({ GRAPHQL_MAX_DEPTH: String(MAX_DEPTH), GRAPHQL_MAX_ALIASES: String(MAX_ALIASES), GRAPHQL_MAX_COST: '100', BODY_LIMIT: '20kb' });
  session = await signUp(app.httpUrl, 'limits');
});
afterAll(async () => {
  await app.close();
});

/** registerLock selecting `selection`: if its resolver ran, the lock would exist. */
const registerSelecting = (deviceId: string, selection: string) => `mutation { registerLock(deviceId: "${deviceId}", name: "Deep") ${selection} }`;
const DEPTH_3 = '{ lock { deviceId } }'; // registerLock → lock → deviceId
const DEPTH_4 = '{ lock { owner { username } } }';
const aliasedSignIns = (n: number) =>
  `mutation { ${Array.from({ length: n }, (_, i) => `g${i}: signIn(username: "limits", password: "guess number ${i}") { accessToken }`).join(' ')} }`;
const lockExists = async (deviceId: string) => (await app.services.store.locks.findByDeviceId(deviceId)) !== null;
const userExists = async (username: string) => (await app.services.store.users.findByUsername(username)) !== null;
const signInFailures = () => counter(app, 'smartlock_signin_failures_total');
const mentions = (response: GraphQLResponse, word: RegExp) => response.errors?.some((e) => word.test(e.message)) ?? false;

async function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(app.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('query depth', () => {
  it('runs a mutation at the depth limit (the control case)', async () => {
    const response = await gql(app.httpUrl, registerSelecting('deep-ok', DEPTH_3), {}, session.accessToken);
    expect(errorCodes(response)).toEqual([]);
    expect(await lockExists('deep-ok')).toBe(true);
  });

  it('refuses one level deeper before any resolver runs (HTTP)', async () => {
    const response = await gql(app.httpUrl, registerSelecting('deep-http', DEPTH_4), {}, session.accessToken);
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(mentions(response, /depth/i)).toBe(true);
    expect(await lockExists('deep-http')).toBe(false);
  });

  it('refuses depth hidden in fragments', async () => {
    const query = `${registerSelecting('deep-fragment', '{ ...R }')} fragment R on LockRegistration { lock { ...L } } fragment L on Lock { deviceId }`;
    const response = await gql(app.httpUrl, query, {}, session.accessToken);
    expect(mentions(response, /depth/i)).toBe(true);
    expect(await lockExists('deep-fragment')).toBe(false);
  });

  it('refuses the same over WebSocket, before any resolver runs', async () => {
    const client = wsClient(app.wsUrl, session.accessToken);
    try {
      expect(mentions(await wsQuery(client, registerSelecting('deep-ws', DEPTH_4)), /depth/i)).toBe(true);
      expect(await lockExists('deep-ws')).toBe(false);
    } finally {
      await client.dispose();
    }
  });
});

describe('aliases', () => {
  it('refuses more aliases than the limit: no sign-in guess is even tried (HTTP)', async () => {
    const before = await signInFailures();
    const response = await gql(app.httpUrl, aliasedSignIns(MAX_ALIASES + 1));
    expect(mentions(response, /aliases/i)).toBe(true);
    expect(response.data).toBeUndefined();
    expect(await signInFailures()).toBe(before);
  });

  it('refuses them over WebSocket too', async () => {
    const client = wsClient(app.wsUrl, session.accessToken);
    try {
      const before = await signInFailures();
      expect(mentions(await wsQuery(client, aliasedSignIns(MAX_ALIASES + 1)), /aliases/i)).toBe(true);
      expect(await signInFailures()).toBe(before);
    } finally {
      await client.dispose();
    }
  });

  it('allows aliases within the limit (the control case)', async () => {
    const response = await gql(app.httpUrl, `{ ${Array.from({ length: MAX_ALIASES }, (_, i) => `a${i}: me { id }`).join(' ')} }`, {}, session.accessToken);
    expect(errorCodes(response)).toEqual([]);
  });
});

describe('cost and shape', () => {
  it('refuses a selection over the cost limit', async () => {
    const response = await gql(app.httpUrl, `{ me { ${'id username role createdAt '.repeat(40)} } }`, {}, session.accessToken);
    expect(mentions(response, /cost/i)).toBe(true);
    expect(response.data).toBeUndefined();
  });

  it('refuses fragment cycles', async () => {
    const response = await gql(app.httpUrl, '{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }', {}, session.accessToken);
    expect(errorCodes(response)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(response.data).toBeUndefined();
  });
});

describe('batching', () => {
  it('refuses an array of operations (HTTP batching) and runs none of them', async () => {
    const signUpOp = (name: string) => ({ query: `mutation { signUp(username: "${name}", password: "long enough password") { accessToken } }` });
    const response = await post(JSON.stringify([signUpOp('batch-one'), signUpOp('batch-two')]));
    expect(response.status).toBe(400);
    expect(await userExists('batch-one')).toBe(false);
    expect(await userExists('batch-two')).toBe(false);
  });

  it('runs only one operation of a multi-operation document, the named one', async () => {
    const before = await signInFailures();
    const document = `mutation A { signIn(username: "limits", password: "guess a") { accessToken } }
      mutation B { signIn(username: "limits", password: "guess b") { accessToken } }`;
    const unnamed = await post(JSON.stringify({ query: document }));
    expect(unnamed.status).toBe(400); // which one to run is ambiguous: none is run
    expect(await signInFailures()).toBe(before);
  });
});

describe('body size', () => {
  it('refuses an HTTP body over BODY_LIMIT with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(30_000) } }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts a body under the limit (the control case)', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(10_000) } }));
    expect(response.status).toBe(200);
  });

  it('closes a WebSocket that sends a message over 64 KB (1009 Message Too Big)', async () => {
    const code = await new Promise<number>((resolve) => {
      const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws');
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${session.accessToken}` } }));
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ me { id } }', variables: { pad: 'x'.repeat(70_000) } } }));
      });
      socket.on('close', (closeCode) => resolve(closeCode));
      // Any answer to the oversized subscribe means it was read: the limit is gone.
      socket.on('message', (data: Buffer) => {
        if ((JSON.parse(data.toString()) as { id?: string }).id === '1') resolve(-1);
      });
      socket.on('error', () => undefined);
    });
    expect(code).toBe(1009);
  });
});
