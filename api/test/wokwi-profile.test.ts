import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/config.js';

/*
 * firmware/README.md, "Wokwi: the lock in the simulator, online in the demo" and "Secrets at rest".
 * Neither an ESP32 toolchain nor the simulator runs here, so the shipped files are held to each
 * other: wokwi.toml loads the build of the PlatformIO env `wokwi`; that env's flags, through the
 * sketch's own build_profile.h run by the host's preprocessor, select Wokwi-GUEST and plain MQTT to
 * host.wokwi.internal on the port and prefix the demo's embedded broker uses; diagram.json wires the
 * LEDs to the pins the sketch drives; and the `release` env refuses a compiled-in secret.
 */

const firmware = path.resolve(__dirname, '../../firmware');
const read = (relative: string): string => readFileSync(path.join(firmware, relative), 'utf8');

/** platformio.ini as sections of options; indented lines continue the option above. */
function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  let option: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+;.*$/, '').replace(/^;.*$/, '');
    if (line.trim() === '') continue;
    const header = /^\[(.+)\]\s*$/.exec(line);
    if (header) {
      section = new Map();
      sections.set(header[1] ?? '', section);
      option = undefined;
    } else if (/^\s/.test(line) && section && option) {
      section.set(option, `${section.get(option) ?? ''}\n${line.trim()}`);
    } else if (section) {
      const eq = line.indexOf('=');
      option = line.slice(0, eq).trim();
      section.set(option, line.slice(eq + 1).trim());
    }
  }
  return sections;
}

/** An env's option as PlatformIO resolves it: `extends` first, then `${section.option}` interpolation. */
function envOption(ini: Map<string, Map<string, string>>, section: string, option: string): string | undefined {
  const own = ini.get(section);
  if (!own) throw new Error(`platformio.ini has no [${section}]`);
  const value = own.get(option) ?? (own.has('extends') ? envOption(ini, own.get('extends') ?? '', option) : undefined);
  return value?.replace(/\$\{([^.}]+)\.([^}]+)\}/g, (_, s: string, o: string) => envOption(ini, s, o) ?? '');
}

/** `-D NAME` / `-DNAME=VALUE` flags of a build_flags value. */
function defines(flags: string): string[] {
  return [...flags.matchAll(/-D\s*([A-Za-z_]\w*(?:=\S+)?)/g)].map((m) => m[1] ?? '');
}

const scratch = mkdtempSync(path.join(tmpdir(), 'wokwi-profile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs build_profile.h through g++'s preprocessor in a copy of the sketch's headers (so a developer's
 * own smartlock/secrets.h does not count), with an optional secrets.h, and returns its macros.
 */
function preprocess(name: string, flags: string[], secretsH?: string): { ok: boolean; macros: Map<string, string>; errors: string } {
  const dir = path.join(scratch, name);
  execFileSync('mkdir', ['-p', dir]);
  for (const f of ['build_profile.h', 'secrets.wokwi.h']) copyFileSync(path.join(firmware, 'smartlock', f), path.join(dir, f));
  if (secretsH !== undefined) writeFileSync(path.join(dir, 'secrets.h'), secretsH);
  const run = spawnSync('g++', ['-std=gnu++17', '-x', 'c++', '-E', '-dM', ...flags.map((d) => `-D${d}`), path.join(dir, 'build_profile.h')], { encoding: 'utf8' });
  const macros = new Map<string, string>();
  for (const line of run.stdout.split('\n')) {
    const m = /^#define (\w+) (.*)$/.exec(line);
    if (m) macros.set(m[1] ?? '', m[2] ?? '');
  }
  return { ok: run.status === 0, macros, errors: run.stderr };
}

const ini = parseIni(read('platformio.ini'));
const wokwiFlags = defines(envOption(ini, 'env:wokwi', 'build_flags') ?? '');
const releaseFlags = defines(envOption(ini, 'env:release', 'build_flags') ?? '');

describe('the Wokwi development profile', () => {
  it('wokwi.toml loads the firmware PlatformIO builds for the env wokwi', () => {
    const toml = read('wokwi/wokwi.toml');
    const value = (key: string) => new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, 'm').exec(toml)?.[1];
    expect(value('version')).toBeUndefined(); // a number, not a string
    expect(toml).toMatch(/^version\s*=\s*1$/m);
    // Paths are relative to wokwi.toml; PlatformIO builds into <project>/.pio/build/<env>/ (no build_dir set).
    expect(ini.get('platformio')?.has('build_dir')).toBe(false);
    const firmwarePath = path.resolve(firmware, 'wokwi', value('firmware') ?? '');
    const elfPath = path.resolve(firmware, 'wokwi', value('elf') ?? '');
    expect(firmwarePath).toBe(path.join(firmware, '.pio/build/wokwi/firmware.bin'));
    expect(elfPath).toBe(path.join(firmware, '.pio/build/wokwi/firmware.elf'));
    expect(ini.has('env:wokwi')).toBe(true);
    // The same board and framework as the real devkit: the simulator runs what a lock would.
    expect(envOption(ini, 'env:wokwi', 'board')).toBe('esp32dev');
    expect(envOption(ini, 'env:wokwi', 'framework')).toBe('arduino');
    expect(envOption(ini, 'env:wokwi', 'platform')).toBe(envOption(ini, 'env:esp32dev', 'platform'));
  });

  it("the env's flags select Wokwi-GUEST and plain MQTT to host.wokwi.internal, with nothing secret compiled in", () => {
    expect(wokwiFlags).toContain('SMARTLOCK_WOKWI');
    expect(wokwiFlags).not.toContain('SMARTLOCK_RELEASE_BUILD');
    // A developer's secrets.h does not change what the Wokwi build compiles in.
    const { ok, macros, errors } = preprocess('wokwi', wokwiFlags, '#define SMARTLOCK_BROKER_HOST "elsewhere.example"\n');
    expect(errors).toBe('');
    expect(ok).toBe(true);
    expect(macros.get('SMARTLOCK_HAVE_SECRETS')).toBe('1');
    expect(macros.get('SMARTLOCK_WIFI_SSID')).toBe('"Wokwi-GUEST"');
    expect(macros.get('SMARTLOCK_WIFI_PASSWORD')).toBe('""');
    expect(macros.get('SMARTLOCK_BROKER_HOST')).toBe('"host.wokwi.internal"');
    expect(macros.get('SMARTLOCK_BROKER_TLS')).toBe('0');
    // No id and no secret: the lock prints its claim code and is claimed in the app.
    expect(macros.get('SMARTLOCK_DEVICE_ID')).toBe('""');
    expect(macros.get('SMARTLOCK_DEVICE_SECRET')).toBe('""');

    // The demo's embedded broker, on its defaults (`npm run demo` sets none of these): the port and
    // prefix the profile dials, listening on every interface, so also on the loopback address the
    // private gateway forwards host.wokwi.internal to; plain logins allowed.
    const demo = parseConfig({});
    expect(Number(macros.get('SMARTLOCK_BROKER_PORT'))).toBe(demo.mqtt.port);
    expect(macros.get('SMARTLOCK_TOPIC_PREFIX')).toBe(JSON.stringify(demo.mqtt.topicPrefix));
    expect(demo.mqtt.host).toBe('0.0.0.0');
    expect(demo.mqtt.requireTls).toBe(false);
    expect(demo.mqtt.url).toBeUndefined(); // the embedded broker, not an external one
  });

  it('diagram.json wires the red LED to the pin the sketch drives for LOCKED and the green one for UNLOCKED', () => {
    interface Part { type: string; id: string; attrs?: Record<string, string> }
    const diagram = JSON.parse(read('wokwi/diagram.json')) as { parts: Part[]; connections: Array<[string, string, string, unknown]> };
    const { macros } = preprocess('pins', wokwiFlags);
    const board = diagram.parts.find((p) => p.type.startsWith('board-esp32'));
    // Wokwi's board for PlatformIO's esp32dev (docs.wokwi.com, "Simulating PlatformIO Projects").
    expect(board?.type).toBe('board-esp32-devkit-c-v4');
    const wires = diagram.connections.map(([a, b]) => [a, b] as const);
    const peers = (pin: string) => wires.flatMap(([a, b]) => (a === pin ? [b] : b === pin ? [a] : []));
    const partOf = (pin: string) => diagram.parts.find((p) => p.id === pin.split(':')[0]);

    // Follows a board pin through one resistor to an LED's anode; returns the LED.
    const ledOn = (gpio: string): Part | undefined => {
      for (const end of peers(`${board?.id}:${gpio}`)) {
        const resistor = partOf(end);
        if (resistor?.type !== 'wokwi-resistor') continue;
        const other = `${resistor.id}:${end.endsWith(':1') ? '2' : '1'}`;
        for (const next of peers(other)) if (next.endsWith(':A') && partOf(next)?.type === 'wokwi-led') return partOf(next);
      }
      return undefined;
    };
    const red = ledOn(macros.get('SMARTLOCK_PIN_RED') ?? '');
    const green = ledOn(macros.get('SMARTLOCK_PIN_GREEN') ?? '');
    expect(macros.get('SMARTLOCK_PIN_RED')).toBe('25');
    expect(macros.get('SMARTLOCK_PIN_GREEN')).toBe('26');
    expect(red?.attrs?.color).toBe('red');
    expect(green?.attrs?.color).toBe('green');
    for (const led of [red, green]) expect(peers(`${led?.id}:C`).some((p) => p.startsWith(`${board?.id}:GND`))).toBe(true);
    // The serial monitor, where the claim code and the log appear.
    expect(peers(`${board?.id}:TX`)).toContain('$serialMonitor:RX');
    expect(peers(`${board?.id}:RX`)).toContain('$serialMonitor:TX');
  });

  it('the sketch takes its compiled-in values from build_profile.h and its lock from the core rule', () => {
    const ino = read('smartlock/smartlock.ino');
    expect(ino).toContain('#include "build_profile.h"');
    expect(ino).not.toMatch(/#include "secrets\.h"/);
    expect(ino).toMatch(/loadLockSource\(settings, compiled, SMARTLOCK_IS_RELEASE_BUILD, prov, &logger\)/);
    expect(ino).toMatch(/LockSource::CompiledIn\) config\.standingIssue = smartlock::kIssueCompiledSecret/);
  });
});

describe('secrets at rest: the release build', () => {
  const example = read('smartlock/secrets.example.h');
  const brokerOnly = [
    '#define SMARTLOCK_BROKER_HOST "broker.example.com"',
    '#define SMARTLOCK_BROKER_PORT 8883',
    '#define SMARTLOCK_BROKER_TLS 1',
    '#define SMARTLOCK_TLS_MODE SMARTLOCK_TLS_PSK',
    '',
  ].join('\n');

  it('is a PlatformIO env with SMARTLOCK_RELEASE_BUILD on the same board', () => {
    expect(releaseFlags).toContain('SMARTLOCK_RELEASE_BUILD');
    expect(releaseFlags).not.toContain('SMARTLOCK_WOKWI');
    expect(envOption(ini, 'env:release', 'board')).toBe('esp32dev');
  });

  it('stops at a secrets.h that compiles in the device secret (secrets.example.h as copied)', () => {
    const { ok, errors } = preprocess('release-example', releaseFlags, example);
    expect(ok).toBe(false);
    expect(errors).toContain('SMARTLOCK_RELEASE_BUILD: secrets.h defines SMARTLOCK_DEVICE_SECRET');
    // The same file builds in development: the rule is the release flag's.
    expect(preprocess('dev-example', [], example).ok).toBe(true);
  });

  it('stops at a compiled-in device id or Wi-Fi credentials, and at the Wokwi profile', () => {
    expect(preprocess('release-id', releaseFlags, `${brokerOnly}#define SMARTLOCK_DEVICE_ID "front-door"\n`).errors).toContain('defines SMARTLOCK_DEVICE_ID');
    expect(preprocess('release-wifi', releaseFlags, `${brokerOnly}#define SMARTLOCK_WIFI_SSID "home"\n`).errors).toContain('defines Wi-Fi credentials');
    expect(preprocess('release-wokwi', [...releaseFlags, 'SMARTLOCK_WOKWI']).errors).toContain('SMARTLOCK_WOKWI is a development profile');
  });

  it('builds with a secrets.h that only names the broker, or with none', () => {
    const withBroker = preprocess('release-broker', releaseFlags, brokerOnly);
    expect(withBroker.errors).toBe('');
    expect(withBroker.macros.get('SMARTLOCK_IS_RELEASE_BUILD')).toBe('1');
    expect(withBroker.macros.get('SMARTLOCK_DEVICE_SECRET')).toBe('""');
    const bare = preprocess('release-bare', releaseFlags);
    expect(bare.ok).toBe(true);
    expect(bare.macros.get('SMARTLOCK_HAVE_SECRETS')).toBe('0');
  });
});
