/**
 * Adding a release: the manifest's signature is checked with FIRMWARE_PUBLIC_KEY and the image's
 * size and sha256 with the manifest, before the image is stored and the release recorded (audited).
 * The api never signs: the release key stays offline (npm run firmware -- sign).
 */
import type { KeyObject } from 'node:crypto';
import type { AuditService } from '../audit/audit.service.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { FirmwareReleaseRecord } from '../store/firmware-records.js';
import type { Store } from '../store/ports.js';
import type { FirmwareImages } from './firmware-images.js';
import { parseReleasePublicKey } from './release-signature.js';
import { checkRelease } from './verify-release.js';

export class ReleaseRefusedError extends Error {
  override name = 'ReleaseRefusedError';
  constructor(
    readonly reason: 'disabled' | 'malformed_manifest' | 'bad_signature' | 'wrong_size' | 'bad_hash' | 'duplicate',
    message: string,
  ) {
    super(message);
  }
}

export class FirmwareReleases {
  readonly publicKey: KeyObject | undefined;

  constructor(
    private readonly deps: { store: Store; images: FirmwareImages; audit: AuditService; publicKey: string | undefined },
  ) {
    this.publicKey = deps.publicKey === undefined ? undefined : parseReleasePublicKey(deps.publicKey);
  }

  get enabled(): boolean {
    return this.publicKey !== undefined;
  }

  /** @throws ReleaseRefusedError */
  async add(manifest: string, msig: string, image: Buffer, actor: string | null): Promise<FirmwareReleaseRecord> {
    if (!this.publicKey) throw new ReleaseRefusedError('disabled', 'firmware updates are off: set FIRMWARE_PUBLIC_KEY');
    const check = checkRelease(this.publicKey, manifest, msig, image);
    if (!check.ok) {
      await this.deps.audit.record({ actor, action: 'firmware.release.added', deviceId: null, result: check.reason, detail: check.message });
      throw new ReleaseRefusedError(check.reason, check.message);
    }
    const { hw, fw, arc, size, sha256 } = check.manifest;
    // The image first: a release row never names a file that is not there.
    if (!this.deps.images.has(sha256)) this.deps.images.write(sha256, image);
    try {
      const release = await this.deps.store.firmware.addRelease({ hw, version: fw, arc, size, sha256, manifest, msig, addedBy: actor });
      await this.deps.audit.record({ actor, action: 'firmware.release.added', deviceId: null, result: 'ok', detail: `${hw} ${fw} arc ${arc}, ${size} bytes, sha256 ${sha256}` });
      return release;
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new ReleaseRefusedError('duplicate', `a release of ${hw} ${fw} or with this image exists already`);
      throw error;
    }
  }
}
