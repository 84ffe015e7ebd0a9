/**
 * Release images on disk: `DATA_DIR/firmware/<sha256>.bin`, mode 0600, written to a temporary
 * file and renamed so a reader never sees half an image. Named by content, so they never change.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const IMAGE_FILE = /^([0-9a-f]{64})\.bin$/;

export class FirmwareImages {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'firmware');
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return join(this.dir, `${sha256}.bin`);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  write(sha256: string, image: Buffer): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temporary = join(this.dir, `.${randomUUID()}.tmp`);
    try {
      writeFileSync(temporary, image, { mode: 0o600, flag: 'wx' });
      renameSync(temporary, this.pathOf(sha256));
    } finally {
      rmSync(temporary, { force: true });
    }
  }
}

/** The absolute URL a lock downloads an image from. */
export function imageUrl(baseUrl: string, sha256: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/firmware/${sha256}.bin`;
}
