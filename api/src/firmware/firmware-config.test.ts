import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config/config.js';
import { FirmwareUrls } from './firmware-urls.js';
import { failuresExceed, rolloutOrder, stagesProblem, stageTarget } from './rollout-stages.js';
import { describePublicKey, newReleaseKeyPair } from './release-signature.js';

const config = (env: Record<string, string>) => parseConfig({ NODE_ENV: 'test', ...env });

describe('firmware settings', () => {
  it('takes the release key as base64 SPKI or PEM (newlines as \\n), and refuses anything else', () => {
    const described = describePublicKey(newReleaseKeyPair().publicKey);
    expect(config({ FIRMWARE_PUBLIC_KEY: described.spkiBase64 }).firmware.publicKey).toBe(described.spkiBase64);
    expect(config({ FIRMWARE_PUBLIC_KEY: described.pem.trim().replace(/\n/g, '\\n') }).firmware.publicKey).toBe(described.pem.trim());
    expect(config({}).firmware.publicKey).toBeUndefined();
    expect(() => config({ FIRMWARE_PUBLIC_KEY: 'not a key' })).toThrow(ConfigError);
    expect(() => config({ FIRMWARE_BASE_URL: `http://${'a'.repeat(120)}.example` })).toThrow(ConfigError);
    expect(() => config({ FIRMWARE_BASE_URL: 'ftp://x' })).toThrow(ConfigError);
  });

  it('builds image URLs from FIRMWARE_BASE_URL, else MQTT_PUBLIC_HOST and the bound port, else the app origin', () => {
    const sha = 'a'.repeat(64);
    const explicit = new FirmwareUrls(config({ FIRMWARE_BASE_URL: 'https://updates.example/' }));
    expect(explicit.image(sha)).toBe(`https://updates.example/firmware/${sha}.bin`);
    const byHost = new FirmwareUrls(config({ MQTT_PUBLIC_HOST: '192.168.1.20', PORT: '0' }));
    byHost.bound(4100);
    expect(byHost.image(sha)).toBe(`http://192.168.1.20:4100/firmware/${sha}.bin`);
    const v6 = new FirmwareUrls(config({ MQTT_PUBLIC_HOST: 'fd00::20' }));
    expect(v6.baseUrl()).toBe('http://[fd00::20]:4000');
    expect(new FirmwareUrls(config({ ALLOWED_ORIGINS: 'https://lock.home.example' })).baseUrl()).toBe('https://lock.home.example');
    expect(new FirmwareUrls(config({})).baseUrl()).toBe('http://localhost:4000');
  });
});

describe('rollout stages', () => {
  it('accepts ascending whole percentages ending at 100 and counts each stage', () => {
    expect(stagesProblem([1, 10, 50, 100])).toBeNull();
    expect(stagesProblem([100])).toBeNull();
    expect(stagesProblem([50, 10, 100])).toMatch(/ascending/);
    expect(stagesProblem([10, 50])).toMatch(/100/);
    expect(stagesProblem([0.5, 100])).toMatch(/whole/);
    expect([stageTarget(10, 10), stageTarget(10, 50), stageTarget(3, 1), stageTarget(0, 100)]).toEqual([1, 5, 1, 0]);
    expect(failuresExceed(1, 1, 20)).toBe(true);
    expect(failuresExceed(1, 5, 20)).toBe(false);
    expect(failuresExceed(0, 0, 0)).toBe(false);
    const order = rolloutOrder('r-1', ['a', 'b', 'c', 'd']);
    expect([...order].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(rolloutOrder('r-1', ['d', 'c', 'b', 'a'])).toEqual(order);
  });
});
