/** Where the generated Postman files live, and whether the committed ones are current. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiRoot } from '../app/paths.js';
import { appOperations } from './app-operations.js';
import { buildPostmanFiles, type PostmanFiles } from './collection.js';

const POSTMAN_DIR = join(apiRoot(), '..', 'postman');
export const COLLECTION_FILE = join(POSTMAN_DIR, 'smartlock.postman_collection.json');
export const ENVIRONMENT_FILE = join(POSTMAN_DIR, 'smartlock.postman_environment.json');
const SCHEMA_FILE = join(apiRoot(), '..', 'schema.graphql');

/** Builds both files from the committed schema.graphql and the app's compiled operations. */
export function freshPostmanFiles(): PostmanFiles {
  return buildPostmanFiles(readFileSync(SCHEMA_FILE, 'utf8'), appOperations());
}

export function writePostmanFiles(files: PostmanFiles = freshPostmanFiles()): void {
  writeFileSync(COLLECTION_FILE, files.collection);
  writeFileSync(ENVIRONMENT_FILE, files.environment);
}

/** The committed files that differ from `files` (none: current). */
export function stalePostmanFiles(files: PostmanFiles = freshPostmanFiles()): string[] {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  return [
    ...(read(COLLECTION_FILE) === files.collection ? [] : [COLLECTION_FILE]),
    ...(read(ENVIRONMENT_FILE) === files.environment ? [] : [ENVIRONMENT_FILE]),
  ];
}
