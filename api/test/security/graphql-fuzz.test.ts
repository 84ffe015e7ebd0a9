/**
 * Attack: send every operation of the schema with random variables (wrong
 * types, huge and odd numbers, long and strange strings, nested objects,
 * other people's ids), anonymously and signed in, hoping for a crash, a 5xx
 * or an internal error that leaks details.
 * Defence: GraphQL variable coercion, argument checks in the services, and
 * error masking (http/apollo.ts).
 * Oracle: every answer is a JSON GraphQL response below 500 with no
 * INTERNAL_SERVER_ERROR, and the api is healthy afterwards.
 * 300 requests in `npm test`; SECURITY_FUZZ_FULL=1 sends 5,000.
 * A failure prints its seed; SECURITY_FUZZ_SEED=<seed> replays it.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isCompositeType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../../src/graphql/schema-file.js';
import { errorCodes, gql, signUp, type AuthResult, type GraphQLResponse } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';
import { fuzzCount, fuzzSeed, seededRandom, stillHealthy, withSeed } from './attack-kit.js';

const REQUESTS = fuzzCount(300, 5_000);
const IN_FLIGHT = 8;

let app: TestApp;
let user: AuthResult;
let other: AuthResult;
const knownIds: string[] = [];

beforeAll(async () => {
  app = await startTestApp();
  user = await signUp(app.httpUrl, 'fuzzer');
  other = await signUp(app.httpUrl, 'fuzz-victim');
  knownIds.push((await registerLock(app, user.accessToken)).deviceId, (await registerLock(app, other.accessToken)).deviceId, user.user.id, other.user.id);
});
afterAll(async () => {
  await app.close();
});

interface Operation {
  name: string;
  query: string;
  variables: string[];
}

/** One document per Query/Mutation field with arguments, every argument a variable of its declared type. */
function operationsFromSchema(): Operation[] {
  const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
  const roots: [string, GraphQLObjectType | null | undefined][] = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]];
  return roots.flatMap(([kind, root]) =>
    Object.values(root?.getFields() ?? {})
      .filter((field: GraphQLField<unknown, unknown>) => field.args.length > 0)
      .map((field) => {
        const declarations = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
        const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
        const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
        return { name: field.name, query: `${kind} (${declarations}) { ${field.name}(${args})${selection} }`, variables: field.args.map((arg) => arg.name) };
      }),
  );
}

type Random = () => number;
const int = (random: Random, max: number) => Math.floor(random() * max);
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const STRINGS = ['', ' ', 'ADMIN', 'USER', 'null', 'undefined', '__proto__', 'constructor', '{"$gt":""}', "' OR 1=1 --", '../../etc/passwd', '\u0000', '\u202e', '\ud800', '😀'.repeat(30), 'a'.repeat(5000), '2024-02-30T25:61:00Z', 'NaN', '-0', 'slr_x'];

function randomString(random: Random): string {
  if (random() < 0.5) return pick(random, STRINGS);
  return Array.from({ length: int(random, 80) }, () => String.fromCodePoint(int(random, 0x3000))).join('');
}

function randomValue(random: Random, depth = 0): unknown {
  const roll = random();
  if (roll < 0.25) return randomString(random);
  if (roll < 0.35) return pick(random, knownIds);
  if (roll < 0.5) return pick(random, [0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 1e308, -1e308, 0.5, 1e-7]);
  if (roll < 0.55) return random() < 0.5;
  if (roll < 0.65) return null;
  if (roll < 0.8 && depth < 3) return Array.from({ length: int(random, 4) }, () => randomValue(random, depth + 1));
  if (depth < 3) {
    const object: Record<string, unknown> = {};
    for (let i = 0, n = int(random, 4); i < n; i++) object[pick(random, ['deviceId', 'actor', 'action', 'from', 'to', '__proto__', randomString(random).slice(0, 10)])] = randomValue(random, depth + 1);
    return object;
  }
  return randomString(random);
}

describe('random GraphQL variables', () => {
  it(`answer ${REQUESTS} requests without a 5xx or an internal error, and the api stays healthy`, async () => {
    const seed = fuzzSeed();
    await withSeed(seed, async () => {
      const random = seededRandom(seed);
      const operations = operationsFromSchema();
      expect(operations.length).toBeGreaterThan(10);
      const one = async () => {
        const operation = pick(random, operations);
        const variables: Record<string, unknown> = {};
        for (const name of operation.variables) if (random() < 0.9) variables[name] = randomValue(random);
        if (random() < 0.1) variables[randomString(random).slice(0, 12)] = randomValue(random);
        const token = random() < 0.8 ? user.accessToken : undefined;
        const response = await fetch(app.httpUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query: operation.query, variables }),
        });
        const text = await response.text();
        const context = `${operation.name} ${JSON.stringify(variables).slice(0, 300)} → ${response.status} ${text.slice(0, 300)}`;
        expect(response.status, context).toBeLessThan(500);
        const body = JSON.parse(text) as GraphQLResponse<unknown>;
        expect(body.data !== undefined || body.errors !== undefined, context).toBe(true);
        expect(errorCodes(body), context).not.toContain('INTERNAL_SERVER_ERROR');
      };
      for (let sent = 0; sent < REQUESTS; sent += IN_FLIGHT) {
        await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, REQUESTS - sent) }, one));
      }
      expect(await stillHealthy(app)).toEqual({ healthz: 200, readyz: 200 });
      expect((await gql<{ me: { username: string } }>(app.httpUrl, '{ me { username } }', {}, user.accessToken)).data?.me.username).toBe('fuzzer');
    });
  }, 300_000);
});
