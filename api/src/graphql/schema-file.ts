import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiRoot } from '../app/paths.js';
import { buildAppSchema, printAppSchema } from './schema.js';

/** The committed SDL at the repository root, which the PWA's codegen reads. */
export const SCHEMA_FILE = join(apiRoot(), '..', 'schema.graphql');

export type SchemaFileStatus = 'current' | 'stale' | 'missing';

export function schemaFileStatus(file: string, expected: string): SchemaFileStatus {
  let committed: string;
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    return 'missing';
  }
  return committed === expected ? 'current' : 'stale';
}

export async function emitSchemaFile(file: string = SCHEMA_FILE): Promise<void> {
  writeFileSync(file, printAppSchema(await buildAppSchema()));
}
