import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { configProblems } from '../test-support/config-problems.js';

const BRIDGE = { HOMEASSISTANT_MQTT_URL: 'mqtt://ha.local:1883', HOMEASSISTANT_USER: 'Alice', HOMEASSISTANT_PIN: '4321' };


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
    expect(configProblems({ ...BRIDGE, HOMEASSISTANT_MQTT_URL: 'http://ha.local' })).toEqual([expect.stringMatching(/^HOMEASSISTANT_MQTT_URL: must be a URL starting with mqtt:\/\//)]);
    expect(configProblems({ ...BRIDGE, HOMEASSISTANT_MQTT_URL: 'not a url' })[0]).toMatch(/^HOMEASSISTANT_MQTT_URL:/);
    expect(configProblems({ ...BRIDGE, HOMEASSISTANT_PIN: '12a4' })[0]).toMatch(/^HOMEASSISTANT_PIN: must be 4–12 digits/);
    expect(configProblems({ ...BRIDGE, HOMEASSISTANT_PIN: '123' })[0]).toMatch(/^HOMEASSISTANT_PIN:/);
    expect(configProblems({ ...BRIDGE, HOMEASSISTANT_DISCOVERY_PREFIX: 'home/assistant' })[0]).toMatch(/^HOMEASSISTANT_DISCOVERY_PREFIX:/);
    expect(configProblems({ HOMEASSISTANT_MQTT_URL: BRIDGE.HOMEASSISTANT_MQTT_URL })).toEqual([
      expect.stringMatching(/^HOMEASSISTANT_USER: is required/),
      expect.stringMatching(/^HOMEASSISTANT_PIN: is required/),
    ]);
    expect(configProblems({ ...BRIDGE, HOMEASSISTANT_MQTT_USERNAME: 'smartlock' })).toEqual([expect.stringMatching(/^HOMEASSISTANT_MQTT_PASSWORD: /)]);
    expect(configProblems({ HOMEASSISTANT_USER: 'alice' })).toEqual([expect.stringMatching(/^HOMEASSISTANT_USER: needs HOMEASSISTANT_MQTT_URL/)]);
  });
});
