/**
 * The committed Postman collection and environment: current with schema.graphql and the
 * app's operations, every request valid against the schema, every Query and Mutation
 * field covered, and a field added to the schema picked up without touching the plan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { appOperations } from '../src/postman/app-operations.js';
import { buildPostmanFiles } from '../src/postman/collection.js';
import { freshPostmanFiles, stalePostmanFiles } from '../src/postman/postman-files.js';
import { apiRoot } from '../src/app/paths.js';

interface Item {
  name: string;
  item?: Item[];
  event?: { listen: string; script: { exec: string[] } }[];
  request?: { auth?: { type: string }; body: { mode: string; graphql: { query: string; variables: string } } };
}
interface Collection {
  auth: { type: string };
  item: Item[];
}

const schemaText = readFileSync(join(apiRoot(), '..', 'schema.graphql'), 'utf8');

function requests(items: Item[]): Item[] {
  return items.flatMap((item) => (item.item ? requests(item.item) : [item]));
}

function operationOf(item: Item): OperationDefinitionNode {
  const document = parse(item.request?.body.graphql.query ?? '');
  const operation = document.definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error(`${item.name} has no operation`);
  return operation;
}

function rootFieldsOf(collection: Collection): Set<string> {
  return new Set(
    requests(collection.item).flatMap((item) => {
      const operation = operationOf(item);
      return operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [`${operation.operation}.${selection.name.value}`] : []));
    }),
  );
}

describe('the Postman collection', () => {
  const files = freshPostmanFiles();
  const collection = JSON.parse(files.collection) as Collection;

  it('is committed and current (else: npm run postman)', () => {
    expect(stalePostmanFiles(files)).toEqual([]);
  });

  it('is detected as stale when the schema changes', () => {
    const changed = buildPostmanFiles(schemaText.replace('type Query {', 'type Query {\n  postmanProbe: Boolean!'), appOperations());
    expect(stalePostmanFiles(changed)).toHaveLength(1);
    expect(stalePostmanFiles({ ...changed, environment: '{}\n' })).toHaveLength(2);
  });

  it('has a request for every Query and Mutation field of schema.graphql', () => {
    const schema = buildSchema(schemaText);
    const fields = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((name) => `query.${name}`),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((name) => `mutation.${name}`),
    ];
    expect(fields.length).toBeGreaterThan(60);
    const covered = rootFieldsOf(collection);
    expect(fields.filter((field) => !covered.has(field))).toEqual([]);
  });

  it('sends only operations valid against schema.graphql, with variables as JSON', () => {
    const schema = buildSchema(schemaText);
    for (const item of requests(collection.item)) {
      expect(item.request?.body.mode, item.name).toBe('graphql');
      const errors = validate(schema, parse(item.request?.body.graphql.query ?? ''));
      expect(errors.map((error) => `${item.name}: ${error.message}`)).toEqual([]);
      expect(() => JSON.parse(item.request?.body.graphql.variables ?? '') as unknown, item.name).not.toThrow();
    }
  });

  it('signs up, then signs in saving the token to the environment, and sends it as a bearer token', () => {
    const [auth] = collection.item;
    expect(auth?.name).toBe('Auth');
    expect(auth?.item?.slice(0, 2).map((item) => item.name)).toEqual(['SignUp', 'SignIn']);
    const signInTests = auth?.item?.[1]?.event?.find((event) => event.listen === 'test')?.script.exec.join('\n') ?? '';
    expect(signInTests).toContain('pm.environment.set("token", body.data["signIn"]["accessToken"])');
    expect(collection.auth.type).toBe('bearer');
  });

  it('refers only to environment variables the environment defines (or Postman dynamic ones)', () => {
    const defined = new Set((JSON.parse(files.environment) as { values: { key: string }[] }).values.map((value) => value.key));
    const used = new Set([...files.collection.matchAll(/\{\{([^}]+)\}\}/g)].map(([, name]) => name as string).filter((name) => !name.startsWith('$')));
    expect([...used].filter((name) => !defined.has(name))).toEqual([]);
  });

  it('gives a field added to the schema a request that checks for a GraphQL answer without an internal error', () => {
    const extended = schemaText.replace('type Query {', 'type Query {\n  postmanProbe(deviceId: ID!, first: Int, note: String): [Lock!]!');
    const built = buildPostmanFiles(extended, appOperations());
    const probe = requests((JSON.parse(built.collection) as Collection).item).find((item) => item.name === 'PostmanProbe');
    expect(probe).toBeDefined();
    expect(validate(buildSchema(extended), parse(probe?.request?.body.graphql.query ?? ''))).toEqual([]);
    expect(JSON.parse(probe?.request?.body.graphql.variables ?? '')).toEqual({ deviceId: '{{deviceId}}', first: 10 });
    const tests = probe?.event?.find((event) => event.listen === 'test')?.script.exec.join('\n') ?? '';
    expect(tests).toContain("pm.expect(codes).to.not.include('INTERNAL_SERVER_ERROR')");
    expect(built.unplanned).toEqual(['PostmanProbe']);
    expect(files.unplanned).toEqual([]);
  });

  it('runs the operations that end the session last', () => {
    const names = requests(collection.item).map((item) => item.name);
    expect(names.slice(-3)).toEqual(['SignOutEverywhere', 'SignIn (again)', 'DeleteAccount']);
  });
});
