import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { LockAlert, LockRecord } from '../store/records.js';
import { MAINS_HEARTBEAT_S } from '../store/heartbeat-deadline.js';
import { batteryIsLow } from '../devices/status-changes.js';

export enum LockStatus {
  LOCKED = 'LOCKED',
  UNLOCKED = 'UNLOCKED',
  JAMMED = 'JAMMED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(LockStatus, { name: 'LockStatus', description: 'What the lock last reported, signed. UNKNOWN until its first valid status.' });

export enum LockState {
  AVAILABLE = 'AVAILABLE',
  UNAVAILABLE = 'UNAVAILABLE',
}
registerEnumType(LockState, { name: 'LockState', description: 'AVAILABLE while valid signed heartbeats arrive.' });

export enum PowerSource {
  MAINS = 'MAINS',
  BATTERY = 'BATTERY',
  LOW = 'LOW',
}
registerEnumType(PowerSource, { name: 'PowerSource' });

export enum DoorState {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(DoorState, { name: 'DoorState', description: 'The door as a protocol v2 lock reports it. UNKNOWN: the lock has no door sensor.' });

export enum ChangeSource {
  REMOTE = 'REMOTE',
  MANUAL = 'MANUAL',
  AUTO = 'AUTO',
  BLE = 'BLE',
  BOOT = 'BOOT',
}
registerEnumType(ChangeSource, {
  name: 'ChangeSource',
  description: 'What moved the bolt last: a command (REMOTE), the thumb-turn or key (MANUAL), auto-relock (AUTO), Bluetooth (BLE), the boot behaviour (BOOT).',
});

export enum BoltMotion {
  LOCKING = 'LOCKING',
  UNLOCKING = 'UNLOCKING',
}
registerEnumType(BoltMotion, { name: 'BoltMotion', description: 'A protocol v2 bolt on its way; `status` keeps the last settled position meanwhile.' });

@ObjectType()
export class LockOwner {
  @Field()
  username: string;
}

@ObjectType({ description: 'A registered lock as the server last saw it.' })
export class Lock {
  @Field(() => ID)
  deviceId: string;

  @Field()
  name: string;

  @Field(() => LockOwner)
  owner: LockOwner;

  @Field(() => LockStatus)
  status: LockStatus;

  @Field(() => LockState)
  state: LockState;

  @Field({ description: 'Shorthand for state == AVAILABLE: commands can be sent.' })
  online: boolean;

  @Field(() => Date, { nullable: true, description: 'When the last valid signed status arrived.' })
  lastSeen: Date | null;

  @Field(() => String, { nullable: true, description: 'What is wrong, e.g. "No heartbeat", "Connection lost", "Motor jammed".' })
  issue: string | null;

  @Field(() => Int, { nullable: true, description: 'Battery percentage, if the lock reports one.' })
  battery: number | null;

  @Field(() => PowerSource, { nullable: true })
  power: PowerSource | null;

  @Field(() => Int, {
    description: 'How often the lock sends a status, in seconds: what a protocol v3 lock announces (9 … 300, docs/protocol.md §13.4), else 9 (the mains rule). The server declares it offline after OFFLINE_AFTER_MS plus two of these beyond 9 s.',
  })
  heartbeatSeconds: number;

  @Field({ description: 'The battery needs changing: the lock reports power LOW (a v3 reference lock has then turned auto-relock off) or a charge of 25 % or less.' })
  lowBattery: boolean;

  @Field(() => Int, { nullable: true, description: 'Wi-Fi signal in dBm.' })
  rssi: number | null;

  @Field(() => String, { nullable: true })
  firmware: string | null;

  @Field(() => DoorState, { nullable: true, description: 'Null for a lock that speaks protocol v1 (it does not report the door).' })
  door: DoorState | null;

  @Field(() => BoltMotion, { nullable: true, description: 'Set while a protocol v2 lock reports LOCKING/UNLOCKING; null when the bolt is still (and for v1 locks).' })
  boltMotion: BoltMotion | null;

  @Field(() => ChangeSource, { nullable: true, description: 'Null for a protocol v1 lock.' })
  lastChangeSource: ChangeSource | null;

  @Field(() => Date, { nullable: true, description: 'When the settled bolt, or what moved it, last changed (server clock).' })
  lastChangedAt: Date | null;

  /** The command that moved the bolt (REMOTE), for `lastChangedBy`; not a field of its own. */
  lastCommandId: string | null;

  /** For the `alerts` and `alertSettings` fields (alerts/lock-alerts.resolver.ts). */
  alertRecords: LockAlert[];
  alertSettingsRecord: { doorAjarMinutes: number | null; unlockedMinutes: number | null };

  @Field({ description: "IANA time zone of the lock (shares' weekly schedules are in it); \"UTC\" until its owner or a co-owner sets one." })
  timeZone: string;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  static from(record: LockRecord): Lock {
    return Object.assign(new Lock(), {
      deviceId: record.deviceId,
      name: record.name,
      owner: Object.assign(new LockOwner(), { username: record.owner }),
      status: record.status as LockStatus,
      state: record.state as LockState,
      online: record.state === 'AVAILABLE',
      lastSeen: record.lastSeen,
      issue: record.issue || null,
      battery: record.battery,
      power: record.power as PowerSource | null,
      heartbeatSeconds: record.heartbeatS ?? MAINS_HEARTBEAT_S,
      lowBattery: batteryIsLow(record),
      rssi: record.rssi,
      firmware: record.firmware,
      door: record.door as DoorState | null,
      boltMotion: record.boltMotion as BoltMotion | null,
      lastChangeSource: record.lastChangeSource as ChangeSource | null,
      lastChangedAt: record.lastChangedAt,
      lastCommandId: record.lastChangeSource === 'REMOTE' ? record.lastChangedBy : null,
      alertRecords: record.alerts,
      alertSettingsRecord: { doorAjarMinutes: record.alertDoorAjarMinutes, unlockedMinutes: record.alertUnlockedMinutes },
      timeZone: record.timeZone,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  }
}

@ObjectType({ description: 'Returned once, at registration or rotation: store the secret in the lock, it is not shown again.' })
export class LockRegistration {
  @Field(() => Lock)
  lock: Lock;

  @Field({ description: '64 hex characters: the lock signs and verifies every message with it.' })
  deviceSecret: string;

  @Field({ description: "The lock's broker username (its device id)." })
  mqttUsername: string;

  @Field({ description: "The lock's broker password, derived from the secret." })
  mqttPassword: string;
}
