import { describe, expect, it } from 'vitest';
import { formatManifest, ManifestError, parseManifest } from './manifest.js';

const SHA = 'a'.repeat(64);
const GOOD = `sl-fw1;hw=esp32;fw=2.1.0;arc=3;size=1024;sha256=${SHA}`;

describe('release manifest', () => {
  it('parses the canonical line and formats it back byte for byte', () => {
    const manifest = parseManifest(GOOD);
    expect(manifest).toEqual({ hw: 'esp32', fw: '2.1.0', arc: 3, size: 1024, sha256: SHA });
    expect(formatManifest(manifest)).toBe(GOOD);
  });

  it('accepts the edges of every range', () => {
    expect(parseManifest(`sl-fw1;hw=${'a'.repeat(32)};fw=${'1.0+b-X'.padEnd(32, '9')};arc=0;size=1;sha256=${SHA}`).arc).toBe(0);
    expect(parseManifest(`sl-fw1;hw=esp32;fw=1;arc=65535;size=16777216;sha256=${SHA}`).size).toBe(16_777_216);
  });

  const malformed: Array<[string, string]> = [
    ['empty', ''],
    ['wrong magic', GOOD.replace('sl-fw1', 'sl-fw2')],
    ['missing magic', GOOD.slice('sl-fw1;'.length)],
    ['members out of order', `sl-fw1;fw=2.1.0;hw=esp32;arc=3;size=1024;sha256=${SHA}`],
    ['a missing member', `sl-fw1;hw=esp32;fw=2.1.0;size=1024;sha256=${SHA}`],
    ['an extra member', `${GOOD};x=1`],
    ['a trailing separator', `${GOOD};`],
    ['spaces', GOOD.replace('hw=esp32', 'hw= esp32')],
    ['empty hw', GOOD.replace('hw=esp32', 'hw=')],
    ['upper-case hw', GOOD.replace('hw=esp32', 'hw=ESP32')],
    ['hw too long', GOOD.replace('hw=esp32', `hw=${'a'.repeat(33)}`)],
    ['hw with an underscore', GOOD.replace('hw=esp32', 'hw=esp_32')],
    ['empty fw', GOOD.replace('fw=2.1.0', 'fw=')],
    ['fw too long', GOOD.replace('fw=2.1.0', `fw=${'1'.repeat(33)}`)],
    ['fw with a quote', GOOD.replace('fw=2.1.0', 'fw=2."1')],
    ['fw with a backslash', GOOD.replace('fw=2.1.0', 'fw=2\\1')],
    ['fw with an equals sign', GOOD.replace('fw=2.1.0', 'fw=2=1')],
    ['negative arc', GOOD.replace('arc=3', 'arc=-1')],
    ['arc too big', GOOD.replace('arc=3', 'arc=65536')],
    ['arc with a leading zero', GOOD.replace('arc=3', 'arc=03')],
    ['arc not an integer', GOOD.replace('arc=3', 'arc=3.0')],
    ['arc in hex', GOOD.replace('arc=3', 'arc=0x3')],
    ['empty arc', GOOD.replace('arc=3', 'arc=')],
    ['size zero', GOOD.replace('size=1024', 'size=0')],
    ['size too big', GOOD.replace('size=1024', 'size=16777217')],
    ['size with a plus sign', GOOD.replace('size=1024', 'size=+1024')],
    ['size in exponent form', GOOD.replace('size=1024', 'size=1e3')],
    ['sha256 too short', GOOD.replace(SHA, 'a'.repeat(63))],
    ['sha256 too long', GOOD.replace(SHA, 'a'.repeat(65))],
    ['sha256 upper case', GOOD.replace(SHA, 'A'.repeat(64))],
    ['sha256 not hex', GOOD.replace(SHA, 'g'.repeat(64))],
    ['a duplicated key', `sl-fw1;hw=esp32;hw=esp32;arc=3;size=1024;sha256=${SHA}`],
    ['a newline', `${GOOD}\n`],
  ];
  it.each(malformed)('refuses %s', (_name, line) => {
    expect(() => parseManifest(line)).toThrow(ManifestError);
  });

  it('refuses to format a manifest it could not parse', () => {
    expect(() => formatManifest({ hw: 'esp32', fw: 'bad fw', arc: 1, size: 1, sha256: SHA })).toThrow(ManifestError);
  });
});
