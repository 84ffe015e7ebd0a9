/**
 * The offline release tool (run it where the release private key lives, never on the api host):
 *   npm run firmware -- keygen --out release-key.pem
 *   npm run firmware -- sign <image> --hw esp32 --fw 2.1.0 --arc 3 --key release-key.pem [--out <image>.manifest]
 *   npm run firmware -- verify <image> <manifest-file> [--public-key <PEM file | base64 SPKI>]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatManifest } from '../firmware/manifest.js';
import { formatReleaseFile, parseReleaseFile } from '../firmware/release-file.js';
import {
  describePublicKey,
  newReleaseKeyPair,
  parseReleasePrivateKey,
  parseReleasePublicKey,
  signManifest,
} from '../firmware/release-signature.js';
import { checkRelease, sha256Hex } from '../firmware/verify-release.js';

const USAGE = [
  'usage: npm run firmware -- keygen --out <private-key.pem>',
  '       npm run firmware -- sign <image> --hw <id> --fw <version> --arc <n> --key <private-key.pem> [--out <file>]',
  '       npm run firmware -- verify <image> <manifest-file> [--public-key <pem file | base64 SPKI>]',
].join('\n');

class UsageError extends Error {}

function keygen(args: string[]): number {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true });
  if (!values.out) throw new UsageError('keygen needs --out <private-key.pem>');
  const { privateKey, publicKey } = newReleaseKeyPair();
  // 'wx': never overwrite a release key; 0o600: only its owner may read it.
  writeFileSync(values.out, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  const described = describePublicKey(publicKey);
  process.stdout.write(
    `wrote the release private key to ${values.out} (mode 0600): keep it offline\n` +
      `FIRMWARE_PUBLIC_KEY=${described.spkiBase64}\n` +
      `lock public key (uncompressed P-256 point, 65 bytes): ${described.pointHex}\n`,
  );
  return 0;
}

function signRelease(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { hw: { type: 'string' }, fw: { type: 'string' }, arc: { type: 'string' }, key: { type: 'string' }, out: { type: 'string' } },
  });
  const [imagePath] = positionals;
  if (!imagePath || !values.hw || !values.fw || values.arc === undefined || !values.key) throw new UsageError('sign needs <image> --hw --fw --arc --key');
  const image = readFileSync(imagePath);
  const manifest = formatManifest({ hw: values.hw, fw: values.fw, arc: Number(values.arc), size: image.length, sha256: sha256Hex(image) });
  const msig = signManifest(parseReleasePrivateKey(readFileSync(values.key, 'utf8')), manifest);
  const out = values.out ?? `${imagePath}.manifest`;
  writeFileSync(out, formatReleaseFile({ manifest, msig }));
  process.stdout.write(`${manifest}\n${msig}\nwrote ${out}\n`);
  return 0;
}

function verifyRelease(args: string[]): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { 'public-key': { type: 'string' } } });
  const [imagePath, manifestPath] = positionals;
  if (!imagePath || !manifestPath) throw new UsageError('verify needs <image> <manifest-file>');
  const keyText = values['public-key'] ?? process.env.FIRMWARE_PUBLIC_KEY;
  if (!keyText) throw new UsageError('verify needs --public-key or FIRMWARE_PUBLIC_KEY');
  const publicKey = parseReleasePublicKey(existsSync(keyText) ? readFileSync(keyText, 'utf8') : keyText);
  const { manifest, msig } = parseReleaseFile(readFileSync(manifestPath, 'utf8'));
  const result = checkRelease(publicKey, manifest, msig, readFileSync(imagePath));
  if (!result.ok) {
    process.stderr.write(`refused (${result.reason}): ${result.message}\n`);
    return 1;
  }
  process.stdout.write(`ok: ${result.manifest.hw} ${result.manifest.fw} arc ${result.manifest.arc}, ${result.manifest.size} bytes\n`);
  return 0;
}

function run(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === 'keygen') return keygen(rest);
    if (command === 'sign') return signRelease(rest);
    if (command === 'verify') return verifyRelease(rest);
    throw new UsageError(`unknown command ${command ?? '(none)'}`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 64;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exit(run(process.argv.slice(2)));
