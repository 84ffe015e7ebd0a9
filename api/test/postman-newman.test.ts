/**
 * The generated Postman collection, run by newman against the built api: every request
 * runs in order and every test script in it passes (sign-up, the saved token, each
 * query and mutation's expected answer, never INTERNAL_SERVER_ERROR).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as newman from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION_FILE, ENVIRONMENT_FILE } from '../src/postman/postman-files.js';
import { spawnServer, type RunningServer } from '../src/test-support/server-process.js';

interface CollectionItem {
  name: string;
  item?: CollectionItem[];
}

function requestNames(items: CollectionItem[]): string[] {
  return items.flatMap((item) => (item.item ? requestNames(item.item) : [item.name]));
}

function runNewman(collection: unknown, environment: unknown, baseUrl: string): Promise<newman.NewmanSummary> {
  return new Promise((resolve, reject) => {
    newman.run({ collection, environment, envVar: [{ key: 'baseUrl', value: baseUrl }], reporters: [], timeoutRequest: 10_000 }, (error, summary) =>
      error ? reject(error) : resolve(summary),
    );
  });
}

describe('the Postman collection under newman', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'smartlock-postman-'));
  let server: RunningServer;

  beforeAll(async () => {
    server = await spawnServer({
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: '0',
      MQTT_TLS_PORT: '0',
      MQTT_TOPIC_PREFIX: `test-${randomUUID()}`,
      SCRYPT_COST: '12',
    });
  });

  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every request against a live api with no failed test', async () => {
    const collection = JSON.parse(readFileSync(COLLECTION_FILE, 'utf8')) as { item: CollectionItem[] };
    const environment: unknown = JSON.parse(readFileSync(ENVIRONMENT_FILE, 'utf8'));
    const summary = await runNewman(collection, environment, server.url);

    const failures = summary.run.failures.map((failure) => `${failure.source?.name ?? '?'}: ${failure.error.test ?? failure.error.name}: ${failure.error.message}`);
    expect(failures).toEqual([]);
    expect(summary.run.executions.map((execution) => execution.item.name)).toEqual(requestNames(collection.item));
    expect(summary.run.executions.every((execution) => execution.response?.code === 200)).toBe(true);
    // Every request's script ran its checks (status, a GraphQL answer, no internal error, at least).
    for (const execution of summary.run.executions) expect(execution.assertions?.length ?? 0, execution.item.name).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
