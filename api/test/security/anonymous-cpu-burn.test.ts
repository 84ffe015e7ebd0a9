/**
 * Issue 9, item 4: an anonymous 97 KB query repeating `me { username }` 7,500 times used to spend
 * about a second in validation before the cost limit refused it, stalling everything else. It must
 * be refused by its token count, before it is validated, over HTTP and WebSocket alike, while the
 * PWA's largest operation and GraphiQL's introspection query still pass.
 */
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, signUp, wsClient, wsQuery, type AuthResult, type GraphQLResponse } from '../../src/test-support/graphql-client.js';
import { countTokens, largestPwaOperation, pwaOperations } from '../../src/test-support/pwa-operations.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

let app: TestApp;
let session: AuthResult;
beforeAll(async () => {
  app = await startTestApp();
  session = await signUp(app.httpUrl, 'burner');
});
afterAll(async () => {
  await app.close();
});

/** The attack of the report: 97 KB, 30,000 tokens, valid but for its cost. */
const ATTACK = `{${'me{username} '.repeat(7500)}}`;

async function post(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ status: number; body: GraphQLResponse }> {
  const response = await fetch(app.httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

describe('an anonymous query of 30,000 tokens', () => {
  it('is refused over HTTP as QUERY_TOO_LARGE, naming the limit, and nothing else is reported', async () => {
    expect(ATTACK.length).toBeGreaterThan(95_000);
    const { status, body } = await post(ATTACK);
    expect(status).toBe(400);
    expect(errorCodes(body)).toEqual(['QUERY_TOO_LARGE']);
    expect(body.errors?.[0]?.message).toMatch(/more than 500 tokens/);
    expect(body.errors?.[0]?.extensions?.maxTokens).toBe(500);
  });

  it('is refused over WebSocket the same way, and the socket stays usable', async () => {
    const client = wsClient(app.wsUrl, session.accessToken);
    try {
      // Under the socket's 64 KB message limit, still far over the token limit.
      const result = await wsQuery(client, `{${'me{username} '.repeat(4000)}}`);
      expect(errorCodes(result)).toEqual(['QUERY_TOO_LARGE']);
      expect((await wsQuery<{ me: { username: string } }>(client, '{ me { username } }')).data?.me.username).toBe('burner');
    } finally {
      await client.dispose();
    }
  });

  it('is refused for its size even when it is also invalid: it is never validated', async () => {
    const { body } = await post(`{${'nosuchfield '.repeat(600)}}`);
    expect(errorCodes(body)).toEqual(['QUERY_TOO_LARGE']);
  });
});

describe('the cheap limits come before schema validation', () => {
  it('reports only the alias limit for 50 aliases of unknown fields (schema validation never ran)', async () => {
    const query = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: nosuchfield`).join(' ')} }`;
    const { status, body } = await post(query);
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.message).toMatch(/aliases/i);
    expect(errorCodes(body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const client = wsClient(app.wsUrl, session.accessToken);
    try {
      const overWs = await wsQuery(client, query);
      expect(overWs.errors).toHaveLength(1);
      expect(overWs.errors?.[0]?.message).toMatch(/aliases/i);
    } finally {
      await client.dispose();
    }
  });

  it('answers a plain syntax error over WebSocket as an error, not by closing the socket', async () => {
    const client = wsClient(app.wsUrl, session.accessToken);
    try {
      const result = await wsQuery(client, '{ me { username }');
      expect(errorCodes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect((await wsQuery<{ me: { username: string } }>(client, '{ me { username } }')).data?.me.username).toBe('burner');
    } finally {
      await client.dispose();
    }
  });
});

describe('legitimate large operations', () => {
  const registerLock = pwaOperations().find((operation) => operation.name === 'RegisterLock')!;

  it("pass every PWA operation, the largest included, through the size and validation checks", async () => {
    const largest = largestPwaOperation();
    for (const operation of pwaOperations()) {
      // No variables: coercion then refuses most of them (BAD_USER_INPUT), which runs after the token
      // limit, parsing and validation; whatever else happens (FORBIDDEN, NOT_FOUND) also comes later.
      const { body } = await post(operation.text, {}, session.accessToken);
      const codes = errorCodes(body);
      for (const refused of ['QUERY_TOO_LARGE', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']) expect(codes, `${operation.name}: ${JSON.stringify(body.errors)}`).not.toContain(refused);
    }
    expect(largest.tokens).toBeGreaterThanOrEqual(registerLock.tokens);
  });

  it('run RegisterLock, one of the largest, to the end over HTTP and WebSocket', async () => {
    const largest = registerLock;
    const { body } = await post(largest.text, { deviceId: 'burn-http', name: 'Front door' }, session.accessToken);
    expect(body.errors).toBeUndefined();
    const client = wsClient(app.wsUrl, session.accessToken);
    try {
      const overWs = await wsQuery(client, largest.text, { deviceId: 'burn-ws', name: 'Back door' });
      expect(overWs.errors).toBeUndefined();
    } finally {
      await client.dispose();
    }
  });

  it("run GraphiQL's introspection query (the playground's largest)", async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
    expect(countTokens(query)).toBeLessThan(500);
    const { body } = await post(query);
    expect(body.errors).toBeUndefined();
  });
});
