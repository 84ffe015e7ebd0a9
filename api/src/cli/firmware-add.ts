/**
 * `npm run admin -- firmware-add <image> <manifest-file>`: adds a signed release on the api host.
 *
 * A CLI rather than a GraphQL mutation: an ESP32 image is 1-2 MB (up to 16 MiB allowed), which as
 * base64 in a JSON body would need BODY_LIMIT raised for every request the api takes; the person
 * releasing firmware already runs the api's tools where its DATA_DIR is; and the image is checked
 * here exactly as the api would (FIRMWARE_PUBLIC_KEY, size, sha256) before anything is stored.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '../app/logger.js';
import { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config/config.js';
import { FirmwareImages } from '../firmware/firmware-images.js';
import { FirmwareReleases, ReleaseRefusedError } from '../firmware/firmware-releases.js';
import { MAX_IMAGE_SIZE } from '../firmware/manifest.js';
import { parseReleaseFile } from '../firmware/release-file.js';
import type { Store } from '../store/ports.js';

export async function addReleaseFromFiles(options: { config: Config; store: Store; log: Logger; args: string[]; usage: string }): Promise<number> {
  const [imagePath, manifestPath] = options.args;
  if (!imagePath || !manifestPath) {
    process.stderr.write(`${options.usage}\n`);
    return 64;
  }
  if (!options.config.firmware.publicKey) {
    process.stderr.write('FIRMWARE_PUBLIC_KEY is not set: the api cannot check releases without the release public key\n');
    return 1;
  }
  const image = readFileSync(imagePath);
  if (image.length > MAX_IMAGE_SIZE) {
    process.stderr.write(`refused: the image has ${image.length} bytes, more than ${MAX_IMAGE_SIZE}\n`);
    return 1;
  }
  const { manifest, msig } = parseReleaseFile(readFileSync(manifestPath, 'utf8'));
  const releases = new FirmwareReleases({
    store: options.store,
    images: new FirmwareImages(options.config.dataDir),
    audit: new AuditService(options.store.audit, options.log),
    publicKey: options.config.firmware.publicKey,
  });
  try {
    const release = await releases.add(manifest, msig, image, null);
    process.stdout.write(`added release ${release.id}: ${release.hw} ${release.version} (arc ${release.arc}, ${release.size} bytes)\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ReleaseRefusedError)) throw error;
    process.stderr.write(`refused (${error.reason}): ${error.message}\n`);
    return 1;
  }
}
