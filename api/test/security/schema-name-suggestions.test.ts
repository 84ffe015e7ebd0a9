/**
 * Issue 9, item 5: with introspection off (production's default), error messages must not
 * suggest schema names ("Did you mean the enum value ADMIN?", "Did you mean deviceId?"), in
 * validation and in variable coercion, over HTTP and WebSocket. With introspection on they
 * may, which is also the proof that these operations do produce suggestions.
 */
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUp, wsClient, wsQuery, type GraphQLResponse } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

/** Each probe names something the schema has, misspelled: graphql-js would suggest the right name. */
const PROBES: { name: string; query: string; variables: Record<string, unknown>; suggestion: RegExp }[] = [
  {
    name: 'an enum value in a variable',
    query: 'mutation ($role: Role!) { setUserRole(username: "nobody", role: $role) { id } }',
    variables: { role: 'ADMN' },
    suggestion: /Did you mean the enum value "ADMIN"\?/,
  },
  {
    name: 'an input field in a variable',
    query: 'query ($filter: AuditFilterInput) { auditLog(filter: $filter) { edges { node { id } } } }',
    variables: { filter: { deviceid: 'front' } },
    suggestion: /Did you mean "deviceId"( or "device")?\?/,
  },
  {
    name: 'an enum value in the query text',
    query: 'mutation { setUserRole(username: "nobody", role: ADMN) { id } }',
    variables: {},
    suggestion: /Did you mean the enum value "ADMIN"\?/,
  },
  {
    name: 'an argument in the query text',
    query: '{ lock(deviceid: "front") { name } }',
    variables: {},
    suggestion: /Did you mean "deviceId"( or "device")?\?/,
  },
];

const messages = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((e) => e.message).join('\n');

async function bothTransports(app: TestApp, client: Client, token: string, probe: (typeof PROBES)[number]) {
  return { http: messages(await gql(app.httpUrl, probe.query, probe.variables, token)), ws: messages(await wsQuery(client, probe.query, probe.variables)) };
}

for (const introspection of [false, true]) {
  describe(`with GRAPHQL_INTROSPECTION=${introspection}`, () => {
    let app: TestApp;
    let token: string;
    let client: Client;
    beforeAll(async () => {
      app = await startTestApp({ GRAPHQL_INTROSPECTION: String(introspection) });
      token = (await signUp(app.httpUrl, 'speller')).accessToken;
      client = wsClient(app.wsUrl, token);
    });
    afterAll(async () => {
      await client.dispose();
      await app.close();
    });

    for (const probe of PROBES) {
      it(`${introspection ? 'suggests' : 'does not suggest'} the name for ${probe.name}, over HTTP and WebSocket`, async () => {
        const { http, ws } = await bothTransports(app, client, token, probe);
        for (const text of [http, ws]) {
          expect(text).not.toBe(''); // the operation was refused, with a message
          if (introspection) expect(text).toMatch(probe.suggestion);
          else expect(text).not.toMatch(/Did you mean/);
        }
      });
    }
  });
}
