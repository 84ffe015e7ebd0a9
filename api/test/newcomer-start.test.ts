/**
 * What a newcomer sees from `npm start` (the built server, as npm start runs it): readable log
 * lines when asked (LOG_FORMAT=pretty, what a terminal gets), and, when the MQTT port is taken
 * (Mosquitto often holds 1883), the exact command that starts it anyway.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MAIN_JS } from '../src/test-support/server-process.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const dataDir = mkdtempSync(join(tmpdir(), 'smartlock-newcomer-'));
  dirs.push(dataDir);
  return { PATH: process.env.PATH, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MQTT_HOST: '127.0.0.1', MQTT_TLS_PORT: '0', MQTT_TOPIC_PREFIX: `test-${randomUUID()}`, SCRYPT_COST: '12', ...extra };
}

/** Runs the server until `done(stdout, stderr)` says so or it exits; then ends it. */
function run(environment: NodeJS.ProcessEnv, done: (out: string, err: string) => boolean): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN_JS], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer within 30 s; stdout:\n${out}\nstderr:\n${err}`));
    }, 30_000);
    const check = () => {
      if (done(out, err)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (chunk: Buffer) => ((out += chunk.toString()), check()));
    child.stderr.on('data', (chunk: Buffer) => ((err += chunk.toString()), check()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ out, err, code });
    });
  });
}

describe('npm start for a newcomer', () => {
  it('prints readable lines with LOG_FORMAT=pretty, and JSON by default when piped', async () => {
    const pretty = await run(env({ MQTT_PORT: '0', LOG_FORMAT: 'pretty' }), (out) => out.includes('Smartlock api listening on'));
    const line = pretty.out.split('\n').find((l) => l.includes('Smartlock api listening on'))!;
    expect(line.trimStart().startsWith('{')).toBe(false);
    expect(line).toMatch(/INFO/);
    const piped = await run(env({ MQTT_PORT: '0' }), (out) => out.includes('Smartlock api listening on'));
    const jsonLine = piped.out.split('\n').find((l) => l.includes('Smartlock api listening on'))!;
    expect((JSON.parse(jsonLine) as { msg: string }).msg).toMatch(/^Smartlock api listening on/);
  }, 60_000);

  it('names the exact command to run when the MQTT port is taken', async () => {
    const occupier = createServer();
    await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
    const { port } = occupier.address() as AddressInfo;
    try {
      const result = await run(env({ MQTT_PORT: String(port) }), () => false);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`is already in use`);
      expect(result.err).toContain(`To start on another port now, run: MQTT_PORT=${port + 1} npm start`);
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  }, 60_000);
});
