/** `npm run schema`: regenerates schema.graphql; `npm run schema -- --check` only compares. */
import 'reflect-metadata';
import { buildAppSchema, printAppSchema } from '../graphql/schema.js';
import { emitSchemaFile, SCHEMA_FILE, schemaFileStatus } from '../graphql/schema-file.js';

async function run(): Promise<void> {
  if (process.argv.includes('--check')) {
    const status = schemaFileStatus(SCHEMA_FILE, printAppSchema(await buildAppSchema()));
    if (status !== 'current') {
      process.stderr.write(`${SCHEMA_FILE} is ${status}: run \`npm run schema\` and commit it.\n`);
      process.exit(1);
    }
    process.stdout.write(`${SCHEMA_FILE} is current.\n`);
    return;
  }
  await emitSchemaFile();
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}

run().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
