import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

const BRIDGE = { HOMEASSISTANT_MQTT_URL: 'mqtt://ha.local:1883', HOMEASSISTANT_USER: 'Alice', HOMEASSISTANT_PIN: '4321' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Home Assistant bridge settings', () => {
  it('are off by default', () => {
    expect(parseConfig({}).homeAssistant).toBeUndefined();
  });

  it('parse into the bridge settings, the user lower-cased as usernames are', () => {
    expect(parseConfig({ ...BRIDGE, HOMEASSISTANT_MQTT_USERNAME: 'smartlock', HOMEASSISTANT_MQTT_PASSWORD: 'secret' }).homeAssistant).toEqual({
      url: 'mqtt://ha.local:1883',
      username: 'smartlock',
      password: 'secret',
      user: 'alice',
      pin: '4321',
      discoveryPrefix: 'homeassistant',
    });
  });

  it('stop the start-up naming the variable that is wrong', () => {
    expect(problemsOf({ ...BRIDGE, HOMEASSISTANT_MQTT_URL: 'http://ha.local' })).toEqual([expect.stringMatching(/^HOMEASSISTANT_MQTT_URL: must be a URL starting with mqtt:\/\//)]);
    expect(problemsOf({ ...BRIDGE, HOMEASSISTANT_MQTT_URL: 'not a url' })[0]).toMatch(/^HOMEASSISTANT_MQTT_URL:/);
    expect(problemsOf({ ...BRIDGE, HOMEASSISTANT_PIN: '12a4' })[0]).toMatch(/^HOMEASSISTANT_PIN: must be 4–12 digits/);
    expect(problemsOf({ ...BRIDGE, HOMEASSISTANT_PIN: '123' })[0]).toMatch(/^HOMEASSISTANT_PIN:/);
    expect(problemsOf({ ...BRIDGE, HOMEASSISTANT_DISCOVERY_PREFIX: 'home/assistant' })[0]).toMatch(/^HOMEASSISTANT_DISCOVERY_PREFIX:/);
    expect(problemsOf({ HOMEASSISTANT_MQTT_URL: BRIDGE.HOMEASSISTANT_MQTT_URL })).toEqual([
      expect.stringMatching(/^HOMEASSISTANT_USER: is required/),
      expect.stringMatching(/^HOMEASSISTANT_PIN: is required/),
    ]);
    expect(problemsOf({ ...BRIDGE, HOMEASSISTANT_MQTT_USERNAME: 'smartlock' })).toEqual([expect.stringMatching(/^HOMEASSISTANT_MQTT_PASSWORD: /)]);
    expect(problemsOf({ HOMEASSISTANT_USER: 'alice' })).toEqual([expect.stringMatching(/^HOMEASSISTANT_USER: needs HOMEASSISTANT_MQTT_URL/)]);
  });
});
