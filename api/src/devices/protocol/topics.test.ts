import { describe, expect, it } from 'vitest';
import { DEVICE_ID_PATTERN } from './limits.js';
import { Topics } from './topics.js';

const topics = new Topics('smartlock/test');

/** The rule written the plain way (split on `/`), the reference for the position-based parse. */
function reference(topic: string): { deviceId: string; kind: string } | null {
  if (!topic.startsWith('smartlock/test/')) return null;
  const [deviceId, kind, ...rest] = topic.slice('smartlock/test/'.length).split('/');
  if (rest.length > 0 || !deviceId || !DEVICE_ID_PATTERN.test(deviceId)) return null;
  if (kind !== 'cmd' && kind !== 'status' && kind !== 'availability') return null;
  return { deviceId, kind };
}

describe('Topics.parse', () => {
  it.each([
    ['smartlock/test/front-door/status', { deviceId: 'front-door', kind: 'status' }],
    ['smartlock/test/front-door/availability', { deviceId: 'front-door', kind: 'availability' }],
    ['smartlock/test/front-door/cmd', { deviceId: 'front-door', kind: 'cmd' }],
    ['smartlock/test/front-door/status/extra', null],
    ['smartlock/test/front-door/', null],
    ['smartlock/test/front-door', null],
    ['smartlock/test//status', null],
    ['smartlock/test/ab/status', null],
    ['smartlock/test/front door/status', null],
    ['smartlock/testing/front-door/status', null],
    ['smartlock/tes/front-door/status', null],
    ['other/test/front-door/status', null],
    ['smartlock/test/front-door/Status', null],
    ['smartlock/test/claim/0123456789abcdef/hello', null],
    ['', null],
  ])('%s', (topic, expected) => {
    expect(topics.parse(topic)).toEqual(expected);
    expect(reference(topic)).toEqual(expected);
  });
});
