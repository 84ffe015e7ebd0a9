import { describe, expect, it } from 'vitest';
import { reasonText } from './reason-text';

describe('reasonText', () => {
  it("puts every reason a lock may give for a command in words (docs/protocol.md §5, §11.5)", () => {
    expect(reasonText('stale')).toBe("the lock's clock is off");
    expect(reasonText('jammed')).toBe('motor jammed');
    expect(reasonText('door_open')).toBe('the door is open');
    for (const code of ['replay', 'stale', 'malformed', 'busy', 'storage', 'jammed', 'door_open']) {
      expect(reasonText(code), code).not.toMatch(/_|^[a-z]+$/);
    }
  });

  it("puts the api's own reasons in words, without the newer command's id", () => {
    expect(reasonText('no ack from the lock')).toBe('the lock did not answer');
    expect(reasonText('broker unavailable')).toBe('the server could not reach the lock');
    expect(reasonText('superseded by 0b6c3c1e-52a4-4b8e-9d7e-2f1f3e1c9a00')).toBe('a newer request replaced it');
    expect(reasonText('LOCK_OFFLINE')).toBe('the lock was offline');
    expect(reasonText('TOO_MANY_COMMANDS')).toBe('too many requests');
  });

  it('says why a lock went offline, and why its messages were dropped', () => {
    expect(reasonText('No heartbeat')).toBe('the lock stopped reporting');
    expect(reasonText('Connection lost')).toBe('the lock lost its connection');
    expect(reasonText('Server restarted')).toBe('the server restarted');
    expect(reasonText('Clock out of sync')).toBe("the lock's clock is off");
    const drops = ['unknown_topic', 'unknown_device', 'too_large_or_not_utf8', 'bad_signature', 'malformed', 'wrong_device', 'wrong_type', 'bad_version', 'replay', 'stale', 'not_negotiated', 'bad_availability'];
    for (const code of drops) expect(reasonText(code), code).not.toContain('_');
    expect(reasonText('bad_signature')).toBe('its signature was wrong');
  });

  it('keeps free text and makes an unknown code readable', () => {
    expect(reasonText('Battery compartment open')).toBe('Battery compartment open');
    expect(reasonText('sensor_fault')).toBe('sensor fault');
    expect(reasonText('OVERHEAT')).toBe('overheat');
    expect(reasonText('  ')).toBe('no reason given');
    expect(reasonText(null)).toBe('no reason given');
    expect(reasonText('constructor')).toBe('constructor');
  });
});
