/**
 * `GET /firmware/<sha256>.bin`: release images for locks. Named by their hash, so they never
 * change: cacheable for a year, immutable. Public like any signed release (the lock checks the
 * manifest's signature and the hash; the image holds no secret). No range requests.
 */
import type { Express } from 'express';
import { IMAGE_FILE, type FirmwareImages } from '../firmware/firmware-images.js';

export function mountFirmwareImages(app: Express, images: FirmwareImages): void {
  app.get('/firmware/:file', (req, res, next) => {
    const sha256 = IMAGE_FILE.exec(req.params.file)?.[1];
    if (!sha256 || !images.has(sha256)) {
      res.status(404).json({ error: 'no such firmware image' });
      return;
    }
    res.sendFile(
      images.pathOf(sha256),
      { acceptRanges: false, dotfiles: 'deny', headers: { 'content-type': 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable' } },
      (error) => {
        if (error && !res.headersSent) next(error);
      },
    );
  });
}
