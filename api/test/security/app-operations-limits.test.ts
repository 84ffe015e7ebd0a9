/**
 * The app's own operations must pass the limits the server puts on every client (depth, aliases,
 * cost) at their defaults: a fragment nested one level deeper once made the app's RegisterLock fail
 * validation ("Query depth limit of 10 exceeded") while each piece looked harmless.
 */
import { buildSchema, validate } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiRoot } from '../../src/app/paths.js';
import { parseConfig } from '../../src/config/config.js';
import { abuseRules } from '../../src/graphql/limits.js';
import { appOperations } from '../../src/postman/app-operations.js';

describe("the app's operations within the server's default limits", () => {
  const schema = buildSchema(readFileSync(join(apiRoot(), '..', 'schema.graphql'), 'utf8'));
  const limits = parseConfig({}).graphql;
  const operations = appOperations();

  it('reads every operation the app sends', () => {
    expect(operations.length).toBeGreaterThan(50);
  });

  it.each(operations.map((operation) => [operation.name, operation] as const))('%s', (_name, operation) => {
    const errors = validate(schema, operation.document, abuseRules(limits)).map((error) => error.message);
    expect(errors).toEqual([]);
  });
});
