import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, wsClient, wsQuery, type AuthResult } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let session: AuthResult;

beforeAll(async () => {
  // A token limit this high lets the cost rule be seen on its own (the default 500 refuses hugeCost first).
  app = await startTestApp({ GRAPHQL_MAX_TOKENS: '20000' });
  session = await signUp(app.httpUrl, 'limits');
});
afterAll(async () => {
  await app.close();
});

/** A signUp wrapped in N levels of nesting: if any resolver ran, the user would exist. */
function deepSignUp(username: string, depth: number): string {
  let selection = 'id';
  for (let i = 0; i < depth - 2; i++) selection = `user { ${selection} }`;
  return `mutation { signUp(username: "${username}", password: "long enough password") { ${selection} } }`;
}
const manyAliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
const hugeCost = `{ me { ${'id username role createdAt '.repeat(2000)} } }`;

async function userExists(username: string): Promise<boolean> {
  return (await app.services.store.users.findByUsername(username)) !== null;
}

describe('abuse limits over HTTP', () => {
  it('rejects depth 12 before any resolver runs', async () => {
    const response = await gql(app.httpUrl, deepSignUp('deep-http', 12));
    expect(errorCodes(response)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.some((e) => /depth/i.test(e.message))).toBe(true);
    expect(await userExists('deep-http')).toBe(false);
  });

  it('rejects 50 aliases', async () => {
    const response = await gql(app.httpUrl, manyAliases(50), {}, session.accessToken);
    expect(response.errors?.some((e) => /aliases/i.test(e.message))).toBe(true);
    expect(response.data).toBeUndefined();
  });

  it('rejects a query over the cost limit', async () => {
    const response = await gql(app.httpUrl, hugeCost, {}, session.accessToken);
    expect(response.errors?.some((e) => /cost/i.test(e.message))).toBe(true);
    expect(response.data).toBeUndefined();
  });

  it('allows a reasonable query', async () => {
    expect(errorCodes(await gql(app.httpUrl, manyAliases(3), {}, session.accessToken))).toEqual([]);
  });

  it('does not batch', async () => {
    const response = await fetch(app.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('prevents CSRF: a simple GET/POST without a JSON content type is refused', async () => {
    const get = await fetch(`${app.httpUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    const form = await fetch(app.httpUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    expect(form.status).toBeGreaterThanOrEqual(400);
  });

  it('limits the body size', async () => {
    const response = await fetch(app.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(200_000) } }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('abuse limits over WebSocket', () => {
  it('rejects depth, aliases and cost the same way, before resolvers run', async () => {
    const client = wsClient(app.wsUrl, session.accessToken);
    try {
      const deep = await wsQuery(client, deepSignUp('deep-ws', 12));
      expect(deep.errors?.some((e) => /depth/i.test(e.message))).toBe(true);
      expect(await userExists('deep-ws')).toBe(false);
      expect((await wsQuery(client, manyAliases(50))).errors?.some((e) => /aliases/i.test(e.message))).toBe(true);
      expect((await wsQuery(client, hugeCost)).errors?.some((e) => /cost/i.test(e.message))).toBe(true);
      const fine = await wsQuery<{ me: { id: string } }>(client, '{ me { id } }');
      expect(fine.data?.me.id).toBe(session.user.id);
    } finally {
      await client.dispose();
    }
  });
});

describe('with introspection off', () => {
  it('refuses introspection and gives no field suggestions, on HTTP and WebSocket', async () => {
    const closed = await startTestApp({ GRAPHQL_INTROSPECTION: 'false' });
    try {
      const introspection = await gql(closed.httpUrl, '{ __schema { types { name } } }');
      expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
      const typo = await gql(closed.httpUrl, 'mutation { signUpp(username: "a", password: "b") { accessToken } }');
      expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
      const user = await signUp(closed.httpUrl, 'quiet');
      const client = wsClient(closed.wsUrl, user.accessToken);
      const wsTypo = await wsQuery(client, '{ mee { id } }');
      expect(wsTypo.errors?.[0]?.message).toMatch(/Cannot query field "mee"/);
      expect(wsTypo.errors?.[0]?.message).not.toMatch(/Did you mean/);
      await client.dispose();
    } finally {
      await closed.close();
    }
  });

  it('suggests fields when introspection is on (the control case)', async () => {
    const typo = await gql(app.httpUrl, '{ mee { id } }');
    expect(typo.errors?.[0]?.message).toMatch(/Did you mean "me"/);
  });
});
