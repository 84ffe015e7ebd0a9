/**
 * The QR codes of `simulate --unclaimed` (api/src/simulator/terminal-qr.ts): the simulator's own
 * command line, run against a real api and its broker, prints each lock's code and under it the
 * code drawn in half blocks. A real QR decoder (jsQR, test-support/terminal-qr-reader.ts) must read
 * the drawing as the printed code (or, with --api, as the link <api>/claim#<code>), the api's parser
 * (the app's too: pwa/src/lib/claim-code.ts) must take it, and claimLock with exactly the decoded
 * text must claim that lock.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatClaimCode, parseClaimCode } from '../src/claims/claim-code.js';
import { sha256 } from '../src/claims/claim-crypto.js';
import { terminalQr } from '../src/simulator/terminal-qr.js';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { modulesOf, qrLinesAt, readTerminalQr } from '../src/test-support/terminal-qr-reader.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'api/src/simulator/cli.ts');
const CLAIM = 'mutation ($c: String!, $n: String!) { claimLock(code: $c, name: $n) { deviceId } }';
const WAIT_MS = 20_000;

let app: TestApp;
let alice: AuthResult;
const started: { proc: ChildProcessWithoutNullStreams; dir: string }[] = [];

beforeAll(async () => {
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice');
});

afterAll(async () => {
  for (const { proc, dir } of started) {
    if (proc.exitCode === null) await new Promise((done) => proc.once('exit', done).kill('SIGTERM'));
    rmSync(dir, { recursive: true, force: true });
  }
  await app?.close();
});

/** `simulate --unclaimed 1`, its stdout kept line by line. */
function simulate(extraArgs: readonly string[]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'smartlock-sim-qr-'));
  const args = [CLI, '--unclaimed', '1', '--broker', app.brokerUrl, '--prefix', app.topics.prefix, '--state-dir', dir, ...extraArgs];
  const proc = spawn(TSX, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  started.push({ proc, dir });
  const lines: string[] = [];
  createInterface({ input: proc.stdout }).on('line', (line) => lines.push(line));
  return lines;
}

/** The code line's code, and what the QR drawn under it decodes to (read again until all of it is in). */
async function printed(lines: string[]): Promise<{ code: string; decoded: string }> {
  return eventually(
    async () => {
      const at = lines.findIndex((line) => / code SL1-/.test(line));
      if (at < 0) return null;
      const code = (lines[at] ?? '').replace(/^.* code /, '');
      const firstQrLine = lines.findIndex((line, i) => i > at && line.startsWith('\x1b['));
      const decoded = firstQrLine < 0 ? null : readTerminalQr(qrLinesAt(lines, firstQrLine));
      return decoded === null ? null : { code, decoded };
    },
    WAIT_MS,
    50,
  ).catch(() => {
    throw new Error(`no decodable QR code under the claim code:\n${lines.join('\n')}`);
  });
}

/** claimLock with the scanned text, once the lock's hello has reached the api. */
async function claimWith(text: string, name: string): Promise<string> {
  const response = await eventually(async () => {
    const answer = await gql<{ claimLock: { deviceId: string } }>(app.httpUrl, CLAIM, { c: text, n: name }, alice.accessToken);
    return errorCodes(answer).includes('BAD_USER_INPUT') ? null : answer;
  }, WAIT_MS, 200);
  expect(response.errors).toBeUndefined();
  return response.data?.claimLock.deviceId ?? '';
}

async function acceptedByParser(text: string, code: string): Promise<void> {
  const parsed = await parseClaimCode(text, sha256);
  if (!parsed.ok) throw new Error(`the app's parser refuses ${text}: ${parsed.reason}`);
  expect(await formatClaimCode(parsed.code, sha256)).toBe(code);
}

describe('simulate --unclaimed', () => {
  it('draws each code as a QR code that decodes to the printed code, which claims the lock', { timeout: 60_000 }, async () => {
    const lines = simulate([]);
    const { code, decoded } = await printed(lines);
    expect(decoded).toBe(code);
    await acceptedByParser(decoded, code);
    const deviceId = await claimWith(decoded, 'Scanned code');
    await eventually(async () => lines.some((line) => line.includes(`as ${deviceId};`)), WAIT_MS);
  });

  it('with --api, the QR code holds the link <api>/claim#<code>, which claims the lock too', { timeout: 60_000 }, async () => {
    const api = app.httpUrl.replace(/\/graphql$/, '');
    const lines = simulate(['--api', api]);
    const { code, decoded } = await printed(lines);
    expect(decoded).toBe(`${api}/claim#${code}`);
    expect(lines).toContain(`  or open ${api}/claim#${code}`);
    await acceptedByParser(decoded, code);
    const deviceId = await claimWith(decoded, 'Scanned link');
    await eventually(async () => lines.some((line) => line.includes(`as ${deviceId};`)), WAIT_MS);
  });
});

describe('terminalQr', () => {
  it('draws an upper-case code as version 3 (29 modules) inside a 4-module quiet zone, as the virtual lock does', () => {
    const modules = modulesOf(terminalQr('SL1-0123456789ABCDEF-ABCD-EFGH-JKMN-PQRS-XY'));
    const side = 29 + 8;
    expect(modules[0]?.length).toBe(side);
    expect(modules.length).toBe(side + 1); // two rows a line: the last line's lower half is spare
    const light = (row: boolean[] | undefined) => (row ?? []).every((dark) => !dark);
    expect([0, 1, 2, 3, side - 4, side - 3, side - 2, side - 1, side].every((r) => light(modules[r]))).toBe(true);
    expect(modules.every((row) => row.slice(0, 4).concat(row.slice(side - 4)).every((dark) => !dark))).toBe(true);
  });


  it('reads nothing from a code drawn light on dark, the mistake the colours prevent', () => {
    const drawn = terminalQr('SL1-0123456789ABCDEF-ABCD-EFGH-JKMN-PQRS-XY');
    expect(readTerminalQr(drawn)).toBe('SL1-0123456789ABCDEF-ABCD-EFGH-JKMN-PQRS-XY');
    const swap: Record<string, string> = { ' ': '█', '█': ' ', '▀': '▄', '▄': '▀' };
    const inverted = drawn.map((line) => line.replace(/[ █▀▄]/g, (ch) => swap[ch] ?? ch));
    expect(readTerminalQr(inverted)).toBeNull();
  });
});
