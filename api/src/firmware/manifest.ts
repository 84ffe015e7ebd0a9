/**
 * The release manifest: one line, signed offline, read by the api and the lock alike.
 * `sl-fw1;hw=<id>;fw=<version>;arc=<0..65535>;size=<1..16777216>;sha256=<64 hex>`
 * The parser is strict (members in order, canonical integers, nothing else) so the
 * bytes the api checks are exactly the bytes the lock checks.
 */
export const MANIFEST_MAGIC = 'sl-fw1';
export const MAX_ARC = 65_535;
export const MAX_IMAGE_SIZE = 16 * 1024 * 1024;

export interface ReleaseManifest {
  hw: string;
  fw: string;
  arc: number;
  size: number;
  sha256: string;
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

const HW = /^[a-z0-9-]{1,32}$/;
const FW = /^[0-9A-Za-z.+-]{1,32}$/;
const CANONICAL_INTEGER = /^(0|[1-9][0-9]{0,7})$/;
const SHA256 = /^[0-9a-f]{64}$/;
const KEYS = ['hw', 'fw', 'arc', 'size', 'sha256'] as const;

export function formatManifest(manifest: ReleaseManifest): string {
  const line = `${MANIFEST_MAGIC};hw=${manifest.hw};fw=${manifest.fw};arc=${manifest.arc};size=${manifest.size};sha256=${manifest.sha256}`;
  parseManifest(line); // never produce a line the parser (or a lock) would refuse
  return line;
}

export function parseManifest(line: string): ReleaseManifest {
  const parts = line.split(';');
  if (parts[0] !== MANIFEST_MAGIC) throw new ManifestError(`manifest must start with "${MANIFEST_MAGIC};"`);
  if (parts.length !== KEYS.length + 1) throw new ManifestError(`manifest must have exactly the members ${KEYS.join(', ')}`);
  const values = new Map<string, string>();
  KEYS.forEach((key, index) => {
    const part = parts[index + 1] ?? '';
    const prefix = `${key}=`;
    if (!part.startsWith(prefix)) throw new ManifestError(`manifest member ${index + 1} must be ${key}=`);
    values.set(key, part.slice(prefix.length));
  });
  const hw = values.get('hw') ?? '';
  const fw = values.get('fw') ?? '';
  const sha256 = values.get('sha256') ?? '';
  if (!HW.test(hw)) throw new ManifestError('hw must be 1-32 of [a-z0-9-]');
  if (!FW.test(fw)) throw new ManifestError('fw must be 1-32 of [0-9A-Za-z.+-]');
  const arc = boundedInteger('arc', values.get('arc') ?? '', 0, MAX_ARC);
  const size = boundedInteger('size', values.get('size') ?? '', 1, MAX_IMAGE_SIZE);
  if (!SHA256.test(sha256)) throw new ManifestError('sha256 must be 64 lowercase hex characters');
  return { hw, fw, arc, size, sha256 };
}

function boundedInteger(key: string, text: string, min: number, max: number): number {
  if (!CANONICAL_INTEGER.test(text)) throw new ManifestError(`${key} must be a decimal integer without leading zeros`);
  const value = Number(text);
  if (value < min || value > max) throw new ManifestError(`${key} must be between ${min} and ${max}`);
  return value;
}
