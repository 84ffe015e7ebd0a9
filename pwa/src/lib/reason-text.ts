/**
 * Why something happened, in words. The codes come from the lock's acks (docs/protocol.md §5 and
 * §11.5: replay, stale, malformed, busy, storage, jammed, door_open), the api's own reasons for a
 * command (a timeout, the broker, a newer request), why a lock went offline (the issues the api
 * sets) and why the api dropped a lock's message (api/src/devices/dropped-messages.ts).
 */
const REASONS = new Map<string, string>(Object.entries({
  // A lock's answer to a command or to its settings.
  replay: 'the lock had already used that request (a replay)',
  stale: "the lock's clock is off",
  malformed: 'the lock could not read the request',
  busy: 'the lock was still moving',
  storage: 'the lock could not save its counter',
  jammed: 'motor jammed',
  door_open: 'the door is open',
  // The api's reasons for a command.
  'no ack from the lock': 'the lock did not answer',
  'broker unavailable': 'the server could not reach the lock',
  // Why a lock went offline (also its issue).
  'no heartbeat': 'the lock stopped reporting',
  'connection lost': 'the lock lost its connection',
  'server restarted': 'the server restarted',
  'clock out of sync': "the lock's clock is off",
  'motor jammed': 'motor jammed',
  // Why a message from a lock was dropped.
  unknown_topic: 'it came on an unknown topic',
  unknown_device: 'it came from an unknown lock',
  too_large_or_not_utf8: 'it was too large or not text',
  bad_signature: 'its signature was wrong',
  wrong_device: 'it named another lock',
  wrong_type: 'it was of the wrong kind',
  bad_version: 'it spoke an unknown protocol version',
  not_negotiated: 'the lock had not agreed on a protocol version',
  bad_availability: 'its online/offline notice was unreadable',
  // The api refusing a command before sending it.
  LOCK_OFFLINE: 'the lock was offline',
  TOO_MANY_COMMANDS: 'too many requests',
  ACCESS_WINDOW_CLOSED: "outside the guest's allowed hours",
  // Home Assistant's unlocks (api/src/integrations/home-assistant/): the PIN it must send.
  WRONG_PIN: 'wrong PIN',
  MISSING_PIN: 'no PIN given',
  PIN_THROTTLED: 'too many wrong PINs, unlocks paused',
}));

/** A code such as `door_open` or `SOME_CODE`, as opposed to a sentence. */
const CODE = /^[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+$|^[A-Z0-9]+$/;

/**
 * The reason in words; free text (a lock's own issue, say) as it is, and an unknown code as plain
 * words ("some_new_code" → "some new code") rather than a raw identifier.
 */
export function reasonText(reason: string | null | undefined): string {
  const text = reason?.trim() ?? '';
  if (!text) return 'no reason given';
  // "superseded by <newer id>": the id means nothing to people.
  if (/^superseded\b/i.test(text)) return 'a newer request replaced it';
  const known = REASONS.get(text) ?? REASONS.get(text.toLowerCase());
  if (known) return known;
  return CODE.test(text) ? text.toLowerCase().replaceAll('_', ' ') : text;
}
