/**
 * Home Assistant MQTT discovery for one lock (https://www.home-assistant.io/integrations/lock.mqtt/):
 * the topics the bridge uses and the retained config payloads. Pure, so the shape is tested alone.
 */
import type { DoorState, LockRecord, LockStatus } from '../../store/records.js';

export interface LockTopics {
  /** Discovery config of the lock entity; an empty retained message removes it. */
  config: string;
  /** Discovery config of the door's binary_sensor, for locks that report their door. */
  doorConfig: string;
  state: string;
  availability: string;
  door: string;
  command: string;
}

/** Device ids are already `[A-Za-z0-9_-]`, which is what Home Assistant allows in an object id. */
export function objectIdOf(deviceId: string): string {
  return `smartlock_${deviceId}`;
}

export function lockTopics(prefix: string, deviceId: string): LockTopics {
  const objectId = objectIdOf(deviceId);
  const base = `${prefix}/lock/${objectId}`;
  return {
    config: `${base}/config`,
    doorConfig: `${prefix}/binary_sensor/${objectId}_door/config`,
    state: `${base}/state`,
    availability: `${base}/availability`,
    door: `${base}/door`,
    command: `${base}/set`,
  };
}

/** What Home Assistant's birth message arrives on (`online` when its broker connection starts). */
export function birthTopic(prefix: string): string {
  return `${prefix}/status`;
}

/** Every lock's command topic, for one subscription. */
export function commandWildcard(prefix: string): string {
  return `${prefix}/lock/+/set`;
}

/** The device id a command topic names, or null for a topic that is not one. */
export function deviceIdOfCommandTopic(prefix: string, topic: string): string | null {
  const match = new RegExp(`^${prefix}/lock/smartlock_([A-Za-z0-9_-]+)/set$`).exec(topic);
  return match?.[1] ?? null;
}

function device(lock: LockRecord): Record<string, unknown> {
  return { identifiers: [objectIdOf(lock.deviceId)], name: lock.name, manufacturer: 'Smartlock', model: 'Smartlock', ...(lock.firmware ? { sw_version: lock.firmware } : {}) };
}

/**
 * The lock entity. `code_format` makes Home Assistant ask for a PIN, and `command_template` puts
 * it in the command (HA sends only the bare payload otherwise), as JSON: {"action":"UNLOCK","code":"1234"}.
 */
export function lockConfig(prefix: string, lock: LockRecord, pinDigits: number): Record<string, unknown> {
  const topics = lockTopics(prefix, lock.deviceId);
  return {
    unique_id: objectIdOf(lock.deviceId),
    object_id: objectIdOf(lock.deviceId),
    name: null, // the device's name is the entity's name
    device: device(lock),
    state_topic: topics.state,
    command_topic: topics.command,
    availability_topic: topics.availability,
    payload_available: 'online',
    payload_not_available: 'offline',
    payload_lock: 'LOCK',
    payload_unlock: 'UNLOCK',
    state_locked: 'LOCKED',
    state_unlocked: 'UNLOCKED',
    state_jammed: 'JAMMED',
    state_locking: 'LOCKING',
    state_unlocking: 'UNLOCKING',
    code_format: `^\\d{${pinDigits}}$`,
    command_template: '{"action":"{{ value }}","code":"{{ code }}"}',
    optimistic: false,
    qos: 1,
  };
}

export function doorConfig(prefix: string, lock: LockRecord): Record<string, unknown> {
  const topics = lockTopics(prefix, lock.deviceId);
  return {
    unique_id: `${objectIdOf(lock.deviceId)}_door`,
    object_id: `${objectIdOf(lock.deviceId)}_door`,
    name: 'Door',
    device_class: 'door',
    device: device(lock),
    state_topic: topics.door,
    availability_topic: topics.availability,
    payload_on: 'OPEN',
    payload_off: 'CLOSED',
    qos: 1,
  };
}

/** The state payload, or null while the lock's bolt is unknown (Home Assistant keeps "unknown"). */
export function statePayload(lock: Pick<LockRecord, 'status' | 'boltMotion'>): LockStatus | 'LOCKING' | 'UNLOCKING' | null {
  if (lock.boltMotion) return lock.boltMotion;
  return lock.status === 'UNKNOWN' ? null : lock.status;
}

export function doorPayload(door: DoorState | null): 'OPEN' | 'CLOSED' | null {
  return door === 'OPEN' || door === 'CLOSED' ? door : null;
}
