/**
 * Issue 13 item 2, Wi-Fi provisioning: the Improv client (api/src/cli/improv.ts) against the worked
 * examples of docs/provisioning.md, and `npm run provision -- --stdio` end to end against
 * firmware/build/virtual-lock --improv-stdio (the lock's own Improv service, firmware/src/core/improv.cpp),
 * its two pipes crossed: the lock stores the provisioning file's values and the Wi-Fi settings in
 * its state directory, and a later virtual lock started on that directory alone runs as that device.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  encodePacket,
  PacketParser,
  PacketType,
  parseProvisioningFile,
  provisionLock,
  rpcPacket,
  setLockProvisioningPacket,
  wifiSettingsPacket,
} from '../src/cli/improv.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock } from '../src/test-support/virtual-lock.js';

const ROOT = path.resolve(__dirname, '../..');
const LOCK_BIN = path.join(ROOT, 'firmware/build/virtual-lock');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'api/src/cli/provision.ts');

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const EXAMPLE = {
  format: 'smartlock-provisioning',
  version: 1,
  deviceId: 'front-door',
  secret: '2b7e151628aed2a6abf7158809cf4f3c2b7e151628aed2a6abf7158809cf4f3c',
  broker: { host: 'smartlock.home.example', port: 1883, tlsPort: 8883, tls: 'psk', webSocketUrl: null },
  topicPrefix: 'smartlock',
  protocolVersion: 2,
};

/** The hex block after `<!-- improv-example NAME -->` in docs/provisioning.md. */
function docExample(name: string): Buffer {
  const doc = readFileSync(path.join(ROOT, 'docs/provisioning.md'), 'utf8');
  const at = doc.indexOf(`<!-- improv-example ${name} -->`);
  expect(at).toBeGreaterThan(0);
  const block = /```\n([\s\S]*?)```/.exec(doc.slice(at))![1]!;
  return Buffer.from(block.replace(/\s+/g, ''), 'hex');
}

describe('Improv client', () => {
  it('builds the worked examples of docs/provisioning.md byte for byte', () => {
    const file = parseProvisioningFile(JSON.stringify(EXAMPLE));
    expect(hex(wifiSettingsPacket('home', 'correct horse'))).toBe(docExample('wifi-settings').toString('hex'));
    expect(hex(setLockProvisioningPacket(file))).toBe(docExample('set-lock-provisioning').toString('hex'));
    expect(hex(encodePacket(PacketType.CurrentState, Buffer.from([4])))).toBe(docExample('provisioned').toString('hex'));
  });

  it('parses packets split anywhere, after log lines and a bad checksum', () => {
    const good = encodePacket(PacketType.RpcResult, Buffer.from([0xf0, 0]));
    const bad = good.slice();
    bad[bad.length - 1]! ^= 1;
    const stream = Buffer.concat([Buffer.from('[lock] boot 1\r\nIMPRO'), bad, good, Buffer.from('IMPR')]);
    const parser = new PacketParser();
    const packets = [];
    for (const byte of stream) packets.push(...parser.push(Buffer.from([byte])));
    expect(packets).toEqual([{ type: PacketType.RpcResult, data: new Uint8Array([0xf0, 0]) }]);
  });

  it('refuses a provisioning file with a message naming the member', () => {
    const bad = (patch: Record<string, unknown>) => () => parseProvisioningFile(JSON.stringify({ ...EXAMPLE, ...patch }));
    expect(bad({ format: 'x' })).toThrow(/format/);
    expect(bad({ version: 2 })).toThrow(/version/);
    expect(bad({ secret: 'ab' })).toThrow(/secret/);
    expect(bad({ deviceId: 'a b' })).toThrow(/deviceId/);
    expect(bad({ broker: { ...EXAMPLE.broker, tls: null } })).toThrow(/broker.tls/);
    expect(bad({ broker: { ...EXAMPLE.broker, port: 0 } })).toThrow(/broker.port/);
    expect(bad({ broker: { host: 'h', port: null, tlsPort: null, tls: null, webSocketUrl: 'wss://h/mqtt' } })).toThrow(/WebSocket/);
    expect(bad({ topicPrefix: 'a/#' })).toThrow(/topicPrefix/);
    expect(() => wifiSettingsPacket('', 'x')).toThrow(/ssid/);
    expect(hex(rpcPacket(0x02))).toBe('494d50524f560103020200e5');
  });
});

describe('npm run provision against the virtual lock (--improv-stdio)', () => {
  let skipReason: string | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    skipReason = await buildVirtualLock();
    if (skipReason) process.stderr.write(`improv e2e skipped: ${skipReason}\n`);
  }, BUILD_TIMEOUT_MS);
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function tempDir(): string {
    const d = mkdtempSync(path.join(tmpdir(), 'smartlock-improv-'));
    dirs.push(d);
    return d;
  }

  /** Runs the CLI with --stdio, its stdin/stdout crossed with the lock's; resolves with both exits and the CLI's stderr. */
  async function runCli(stateDir: string, file: object, extraLockArgs: string[] = [], password = 'correct horse') {
    const fileDir = tempDir();
    const filePath = path.join(fileDir, 'smartlock-front-door.json');
    writeFileSync(filePath, JSON.stringify(file));
    const lock = spawn(LOCK_BIN, ['--improv-stdio', '--state-dir', stateDir, ...extraLockArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
    const cli = spawn(TSX, [CLI, '--stdio', '--file', filePath, '--ssid', 'home', '--timeout-s', '10'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, SMARTLOCK_WIFI_PASSWORD: password },
    });
    // Listen for both exits from the start: the lock ends at EOF on its stdin, which comes when the CLI
    // closes its stdout, so its 'exit' may be emitted before the CLI's. A listener attached after
    // awaiting the CLI then never fired: that was the "hang" (both processes had exited).
    const lockExited = new Promise<number | null>((resolve) => lock.on('exit', resolve));
    const cliExited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    lock.stdout.pipe(cli.stdin);
    cli.stdout.pipe(lock.stdin);
    let said = '';
    let lockLog = '';
    cli.stderr.on('data', (d: Buffer) => (said += d.toString()));
    lock.stderr.on('data', (d: Buffer) => (lockLog += d.toString()));
    const cliCode = await cliExited;
    // Keep reading the lock after the CLI is gone: a pipe into the dead CLI stops the flow, and a
    // lock blocked writing to a full stdout never reads the EOF below (the test then hung).
    lock.stdout.unpipe(cli.stdin);
    lock.stdout.resume();
    lock.stdin.end(); // EOF: the lock's Improv mode ends
    const lockCode = await lockExited;
    return { cliCode, lockCode, said, lockLog };
  }

  it('provisions the lock: the values land in its state directory and a virtual lock runs from them', async (ctx: TestContext) => {
    if (skipReason) return ctx.skip();
    const stateDir = tempDir();
    const r = await runCli(stateDir, EXAMPLE);
    expect(r.said).toMatch(/provisioned: front-door .* joined "home" and will dial smartlock.home.example/);
    expect(r.cliCode).toBe(0);
    expect(r.lockCode).toBe(0);
    expect(r.lockLog).toContain('Wi-Fi stored, lock provisioning stored');
    expect(r.lockLog).not.toContain('correct horse'); // the lock never logs the password
    const read = (key: string) => readFileSync(path.join(stateDir, key), 'utf8').trim();
    expect(read('prov_dev')).toBe('front-door');
    expect(read('prov_secret')).toBe(EXAMPLE.secret);
    expect(read('prov_host')).toBe('smartlock.home.example');
    expect([read('prov_tls_port'), read('prov_port'), read('prov_tls'), read('prov_prefix')]).toEqual(['8883', '1883', 'psk', 'smartlock']);
    expect([read('wifi_ssid'), read('wifi_pass'), read('prov_ok'), read('wifi_ok')]).toEqual(['home', 'correct horse', '1', '1']);

    // A virtual lock given only the state directory runs as that device. No broker there: its first
    // connect may block on resolving the host, so read the startup lines and SIGKILL it.
    const lock = spawn(LOCK_BIN, ['--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    lock.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise((resolve) => lock.on('exit', resolve));
    for (let waited = 0; waited < 10_000 && !/front-door on /.test(log); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    lock.kill('SIGKILL');
    await exited;
    expect(log).toContain('provisioned as front-door');
    expect(log).toMatch(/front-door on smartlock.home.example:8883 \(TLS-PSK\)/);
  }, 60_000);

  it('reports a Wi-Fi network the lock cannot join, and stores no Wi-Fi settings', async (ctx: TestContext) => {
    if (skipReason) return ctx.skip();
    const stateDir = tempDir();
    const r = await runCli(stateDir, EXAMPLE, ['--wifi-reject']);
    expect(r.said).toContain('Wi-Fi settings: unable to connect to the Wi-Fi network');
    expect(r.cliCode).toBe(1);
    expect(r.lockLog).toContain('Wi-Fi unchanged, lock provisioning stored');
  });

  it('a lock that refuses the vendor RPC is reported (a secret the CLI would not send is refused by the lock too)', async (ctx: TestContext) => {
    if (skipReason) return ctx.skip();
    // provisionLock with a file the CLI's own check would refuse: the lock refuses it as well.
    const lock = spawn(LOCK_BIN, ['--improv-stdio', '--state-dir', tempDir()], { stdio: ['pipe', 'pipe', 'ignore'] });
    const file = { ...parseProvisioningFile(JSON.stringify(EXAMPLE)), secret: 'not-hex' };
    await expect(provisionLock(file, { ssid: 'home', password: 'x' }, { input: lock.stdout, output: lock.stdin }, { timeoutMs: 5000 })).rejects.toThrow(
      /lock provisioning refused: invalid RPC packet/,
    );
    lock.stdin.end();
    await new Promise((resolve) => lock.on('exit', resolve));
  });

  it('the CLI refuses a bad provisioning file before talking to anything', async () => {
    const dir = tempDir();
    const filePath = path.join(dir, 'f.json');
    writeFileSync(filePath, JSON.stringify({ ...EXAMPLE, secret: 'ab' }));
    const cli = spawn(TSX, [CLI, '--stdio', '--file', filePath, '--ssid', 'home'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let said = '';
    cli.stderr.on('data', (d: Buffer) => (said += d.toString()));
    const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
    expect(code).toBe(2);
    expect(said).toContain('secret: must be 64 lowercase hex digits');
  });
});
