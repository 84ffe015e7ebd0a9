// Draws the app icons (a white padlock on blue) into public/icons/ with Node built-ins only:
// a signed-coverage rasteriser with 4×4 supersampling and a minimal PNG encoder (zlib + CRC-32).
// Run: node scripts/make-icons.mjs   (the PNGs are committed; rerun only to change the design)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const BLUE = [29, 78, 216];
const WHITE = [255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA pixels (width × height × 4) → PNG bytes (8-bit RGBA, filter 0 on every row). */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The padlock in unit coordinates around (0.5, 0.5), before scaling. */
function glyph(x, y) {
  const inKeyhole = (x - 0.5) ** 2 + (y - 0.6) ** 2 <= 0.05 ** 2 || (Math.abs(x - 0.5) <= 0.022 && y >= 0.6 && y <= 0.72);
  if (inRoundedRect(x, y, 0.25, 0.46, 0.75, 0.82, 0.06)) return inKeyhole ? 'hole' : 'lock';
  const d = Math.hypot(x - 0.5, y - 0.4);
  if (y <= 0.4 && d <= 0.17 && d >= 0.11) return 'lock';
  if (y > 0.4 && y <= 0.47 && ((x >= 0.33 && x <= 0.39) || (x >= 0.61 && x <= 0.67))) return 'lock';
  return 'none';
}

function draw(size, { maskable }) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = 4;
  // Maskable icons may be cropped to a circle of 80 %: shrink the glyph into that safe zone.
  const scale = maskable ? 0.78 : 1;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          const inside = maskable || inRoundedRect(x, y, 0, 0, 1, 1, 0.22);
          if (!inside) continue;
          const part = glyph(0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale);
          if (part === 'lock') fg++;
          else bg++;
        }
      }
      const total = samples * samples;
      const alpha = (bg + fg) / total;
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) rgba[i + c] = alpha === 0 ? 0 : Math.round((BLUE[c] * bg + WHITE[c] * fg) / (bg + fg));
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return encodePng(size, size, rgba);
}

mkdirSync(OUT, { recursive: true });
for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-512-maskable.png', 512, true],
]) {
  const png = draw(size, { maskable });
  writeFileSync(join(OUT, name), png);
  process.stdout.write(`${name}: ${size}×${size}, ${png.length} bytes\n`);
}
