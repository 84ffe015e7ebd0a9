/**
 * One check for a release before anyone trusts it (the api when an admin adds it,
 * the CLI's `verify`, the simulated lock): signature, then the image's size and sha256.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { ManifestError, parseManifest, type ReleaseManifest } from './manifest.js';
import { verifyManifest } from './release-signature.js';

export type ReleaseCheck =
  | { ok: true; manifest: ReleaseManifest }
  | { ok: false; reason: 'malformed_manifest' | 'bad_signature' | 'wrong_size' | 'bad_hash'; message: string };

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function checkRelease(publicKey: KeyObject, manifestLine: string, msig: string, image: Buffer | null): ReleaseCheck {
  let manifest: ReleaseManifest;
  try {
    manifest = parseManifest(manifestLine);
  } catch (error) {
    return { ok: false, reason: 'malformed_manifest', message: error instanceof ManifestError ? error.message : 'malformed manifest' };
  }
  if (!verifyManifest(publicKey, manifestLine, msig)) {
    return { ok: false, reason: 'bad_signature', message: 'the manifest signature does not verify with the release public key' };
  }
  if (image === null) return { ok: true, manifest };
  if (image.length !== manifest.size) {
    return { ok: false, reason: 'wrong_size', message: `the image has ${image.length} bytes, the manifest says ${manifest.size}` };
  }
  if (sha256Hex(image) !== manifest.sha256) return { ok: false, reason: 'bad_hash', message: "the image's sha256 differs from the manifest's" };
  return { ok: true, manifest };
}
