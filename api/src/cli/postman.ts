/**
 * `npm run postman`: regenerates postman/smartlock.postman_{collection,environment}.json
 * from schema.graphql and the app's operations; `npm run postman -- --check` only compares.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { COLLECTION_FILE, freshPostmanFiles, stalePostmanFiles, writePostmanFiles } from '../postman/postman-files.js';

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
  const files = freshPostmanFiles();
  mkdirSync(dirname(COLLECTION_FILE), { recursive: true });
  writePostmanFiles(files);
  process.stdout.write(`wrote ${dirname(COLLECTION_FILE)}/\n`);
  if (files.unplanned.length > 0) {
    process.stdout.write(`Not in api/src/postman/request-plan.ts, so only checked for an answer without an internal error: ${files.unplanned.join(', ')}.\n`);
  }
}

try {
  run();
} catch (error: unknown) {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
}
