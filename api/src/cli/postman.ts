/**
 * `npm run postman`: regenerates postman/smartlock.postman_{collection,environment}.json
 * from schema.graphql and the app's operations; `npm run postman -- --check` only compares.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { COLLECTION_FILE, stalePostmanFiles, writePostmanFiles } from '../postman/postman-files.js';

function run(): void {
  if (process.argv.includes('--check')) {
    const stale = stalePostmanFiles();
    if (stale.length > 0) {
      process.stderr.write(`${stale.join(' and ')} stale or missing: run \`npm run postman\` and commit them.\n`);
      process.exit(1);
    }
    process.stdout.write('The Postman collection and environment are current.\n');
    return;
  }
  mkdirSync(dirname(COLLECTION_FILE), { recursive: true });
  writePostmanFiles();
  process.stdout.write(`wrote ${dirname(COLLECTION_FILE)}/\n`);
}

try {
  run();
} catch (error: unknown) {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
}
