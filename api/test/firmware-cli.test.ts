import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { apiRoot } from '../src/app/paths.js';
import { parseManifest } from '../src/firmware/manifest.js';
import { parseReleaseFile } from '../src/firmware/release-file.js';
import { parseReleasePublicKey, verifyManifest } from '../src/firmware/release-signature.js';

const run = promisify(execFile);
const cli = join(apiRoot(), 'dist', 'src', 'cli', 'firmware.js');
const dir = mkdtempSync(join(tmpdir(), 'firmware-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run firmware (release CLI)', () => {
  it('keygen, sign and verify a release; verify refuses a changed image', async () => {
    expect(existsSync(cli), `${cli} is missing: run npm run build:api first`).toBe(true);
    const keyFile = join(dir, 'release-key.pem');
    const keygen = await run(process.execPath, [cli, 'keygen', '--out', keyFile]);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const publicKey = /FIRMWARE_PUBLIC_KEY=(\S+)/.exec(keygen.stdout)?.[1] ?? '';
    expect(keygen.stdout).toMatch(/65 bytes\): 04[0-9a-f]{128}\n/);
    await expect(run(process.execPath, [cli, 'keygen', '--out', keyFile])).rejects.toMatchObject({ code: 1 });

    const image = join(dir, 'app.bin');
    writeFileSync(image, Buffer.alloc(3000, 7));
    const signed = await run(process.execPath, [cli, 'sign', image, '--hw', 'esp32', '--fw', '2.1.0', '--arc', '3', '--key', keyFile]);
    expect(signed.stdout).toContain('sl-fw1;hw=esp32;fw=2.1.0;arc=3;size=3000;sha256=');
    const release = parseReleaseFile(readFileSync(`${image}.manifest`, 'utf8'));
    expect(parseManifest(release.manifest).size).toBe(3000);
    expect(verifyManifest(parseReleasePublicKey(publicKey), release.manifest, release.msig)).toBe(true);

    const ok = await run(process.execPath, [cli, 'verify', image, `${image}.manifest`, '--public-key', publicKey]);
    expect(ok.stdout).toContain('ok: esp32 2.1.0 arc 3, 3000 bytes');
    writeFileSync(image, Buffer.alloc(3000, 8));
    const refused = await run(process.execPath, [cli, 'verify', image, `${image}.manifest`, '--public-key', publicKey]).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain('refused (bad_hash)');
  });

  it('answers usage errors with exit code 64', async () => {
    await expect(run(process.execPath, [cli, 'sign', 'x.bin'])).rejects.toMatchObject({ code: 64 });
    await expect(run(process.execPath, [cli, 'nonsense'])).rejects.toMatchObject({ code: 64 });
    await expect(
      run(process.execPath, [cli, 'sign', join(dir, 'missing.bin'), '--hw', 'ESP', '--fw', '1', '--arc', '1', '--key', 'k']),
    ).rejects.toMatchObject({ code: 1 });
  });

  it('adds a signed release with npm run admin -- firmware-add, refusing a bad signature or a wrong hash', async () => {
    const admin = join(apiRoot(), 'dist', 'src', 'cli', 'admin.js');
    const dataDir = join(dir, 'data');
    const keyFile = join(dir, 'add-key.pem');
    const otherKeyFile = join(dir, 'other-key.pem');
    const publicKey = /FIRMWARE_PUBLIC_KEY=(\S+)/.exec((await run(process.execPath, [cli, 'keygen', '--out', keyFile])).stdout)?.[1] ?? '';
    await run(process.execPath, [cli, 'keygen', '--out', otherKeyFile]);
    const image = join(dir, 'add.bin');
    writeFileSync(image, Buffer.alloc(2048, 3));
    await run(process.execPath, [cli, 'sign', image, '--hw', 'esp32', '--fw', '2.2.0', '--arc', '4', '--key', otherKeyFile, '--out', join(dir, 'forged.manifest')]);
    await run(process.execPath, [cli, 'sign', image, '--hw', 'esp32', '--fw', '2.2.0', '--arc', '4', '--key', keyFile]);
    const env = { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', FIRMWARE_PUBLIC_KEY: publicKey };
    const refusal = (error: unknown) => (error as { code: number; stderr: string });

    const forged = refusal(await run(process.execPath, [admin, 'firmware-add', image, join(dir, 'forged.manifest')], { env }).catch((e: unknown) => e));
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('refused (bad_signature)');
    const tamperedImage = join(dir, 'tampered.bin');
    writeFileSync(tamperedImage, Buffer.alloc(2048, 4));
    const tampered = refusal(await run(process.execPath, [admin, 'firmware-add', tamperedImage, `${image}.manifest`], { env }).catch((e: unknown) => e));
    expect(tampered.stderr).toContain('refused (bad_hash)');
    const withoutKey = refusal(await run(process.execPath, [admin, 'firmware-add', image, `${image}.manifest`], { env: { ...env, FIRMWARE_PUBLIC_KEY: '' } }).catch((e: unknown) => e));
    expect(withoutKey.stderr).toContain('FIRMWARE_PUBLIC_KEY is not set');

    const added = await run(process.execPath, [admin, 'firmware-add', image, `${image}.manifest`], { env });
    expect(added.stdout).toMatch(/added release \S+: esp32 2\.2\.0 \(arc 4, 2048 bytes\)/);
    const sha256 = createHash('sha256').update(readFileSync(image)).digest('hex');
    expect(statSync(join(dataDir, 'firmware', `${sha256}.bin`)).mode & 0o777).toBe(0o600);
  });
});
