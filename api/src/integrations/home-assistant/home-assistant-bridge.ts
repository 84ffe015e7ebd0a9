/**
 * The Home Assistant bridge: connects to Home Assistant's own broker as one user's integration,
 * publishes MQTT discovery and the live state of that user's locks, and carries Home Assistant's
 * lock/unlock commands through the commands service (the path GraphQL's lock/unlock take), under
 * the actor "Home Assistant (<user>)". It follows app events itself and drops them on stop.
 */
import { randomUUID } from 'node:crypto';
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from '../../app/logger.js';
import type { AuditService } from '../../audit/audit.service.js';
import type { CommandsService } from '../../commands/commands.service.js';
import type { Config } from '../../config/config.js';
import type { EventBus } from '../../events/events.js';
import { followEvents } from '../../events/follow-events.js';
import type { Store } from '../../store/ports.js';
import type { LockRecord, UserRecord } from '../../store/records.js';
import { parseHomeAssistantCommand } from './command-payload.js';
import { birthTopic, commandWildcard, deviceIdOfCommandTopic, doorConfig, doorPayload, lockConfig, lockTopics, statePayload } from './discovery.js';
import { PinGuard } from './pin-guard.js';

export type HomeAssistantSettings = NonNullable<Config['homeAssistant']>;

export interface HomeAssistantBridgeDeps {
  settings: HomeAssistantSettings;
  store: Store;
  commands: CommandsService;
  audit: AuditService;
  events: EventBus;
  log: Logger;
  pinGuard?: PinGuard;
}

export class HomeAssistantBridge {
  private client: MqttClient | undefined;
  /** Locks whose discovery is published, by device id. */
  private readonly exposed = new Set<string>();
  /** The last retained payload per topic, so that heartbeats that change nothing publish nothing. */
  private readonly published = new Map<string, string>();
  private readonly unfollow: (() => Promise<void>)[] = [];
  private readonly pins: PinGuard;
  private readonly prefix: string;
  private readonly actor: string;
  /** A lock-out is audited once, not at every refused attempt. */
  private throttleAudited = false;
  private missingUserLogged = false;

  constructor(private readonly deps: HomeAssistantBridgeDeps) {
    this.pins = deps.pinGuard ?? new PinGuard(deps.settings.pin);
    this.prefix = deps.settings.discoveryPrefix;
    this.actor = `Home Assistant (${deps.settings.user})`;
  }

  /** Connects in the background: Home Assistant's broker being down must not stop the lock api. */
  start(): void {
    const { settings, events, log } = this.deps;
    const client = connect(settings.url, {
      clientId: `smartlock-ha-${randomUUID().slice(0, 8)}`,
      ...(settings.username ? { username: settings.username, password: settings.password } : {}),
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
    });
    this.client = client;
    client.on('connect', () => {
      log.info({ broker: redactUrl(settings.url) }, 'connected to Home Assistant\'s broker');
      void this.onConnected().catch((error: unknown) => log.error({ err: error }, 'Home Assistant bridge: publishing discovery failed'));
    });
    client.on('error', (error) => log.warn({ err: error }, 'Home Assistant broker connection failed'));
    client.on('message', (topic, payload) => {
      void this.heard(topic, payload).catch((error: unknown) => log.error({ err: error, topic }, 'Home Assistant bridge: a message failed'));
    });
    this.unfollow.push(
      followEvents(events, ['lock.changed'], (lock) => this.lockChanged(lock), log),
      followEvents(events, ['lock.removed'], ({ deviceId }) => this.withdraw(deviceId), log),
      followEvents(events, ['lock.accessLost'], ({ deviceId, formerOwner }) => (formerOwner === settings.user ? this.withdraw(deviceId) : undefined), log),
      // Events may have been missed: publish from the store again.
      followEvents(events, ['bus.resync'], () => this.publishAll(), log),
    );
  }

  async stop(): Promise<void> {
    for (const stop of this.unfollow.splice(0)) await stop();
    const client = this.client;
    if (!client) return;
    // Nothing keeps their state current any more: Home Assistant shows them unavailable.
    if (client.connected) {
      for (const deviceId of this.exposed) await this.retain(lockTopics(this.prefix, deviceId).availability, 'offline').catch(() => undefined);
    }
    await client.endAsync();
  }

  private async onConnected(): Promise<void> {
    await this.client?.subscribeAsync([commandWildcard(this.prefix), birthTopic(this.prefix)], { qos: 1 });
    // A broker restarted without persistence lost the retained messages: publish everything again.
    this.published.clear();
    await this.publishAll();
  }

  private async user(): Promise<UserRecord | null> {
    const user = await this.deps.store.users.findByUsername(this.deps.settings.user);
    if (!user && !this.missingUserLogged) {
      this.missingUserLogged = true;
      this.deps.log.warn({ user: this.deps.settings.user }, 'HOMEASSISTANT_USER names no user: Home Assistant sees no locks');
    }
    if (user) this.missingUserLogged = false;
    return user;
  }

  /** Discovery and state of every lock of the user; withdraws what is no longer theirs. */
  private async publishAll(): Promise<void> {
    const user = await this.user();
    const locks = user ? await this.deps.store.locks.listByOwner(user.username) : [];
    const current = new Set(locks.map((lock) => lock.deviceId));
    for (const deviceId of [...this.exposed]) if (!current.has(deviceId)) await this.withdraw(deviceId);
    for (const lock of locks) await this.expose(lock);
  }

  private async lockChanged(lock: LockRecord): Promise<void> {
    if (lock.owner === this.deps.settings.user) await this.expose(lock);
    else if (this.exposed.has(lock.deviceId)) await this.withdraw(lock.deviceId);
  }

  private async expose(lock: LockRecord): Promise<void> {
    if (!this.client?.connected) return; // published in full at the next connection
    const topics = lockTopics(this.prefix, lock.deviceId);
    this.exposed.add(lock.deviceId);
    await this.retain(topics.config, JSON.stringify(lockConfig(this.prefix, lock, this.deps.settings.pin.length)));
    await this.retain(topics.availability, lock.state === 'AVAILABLE' ? 'online' : 'offline');
    const state = statePayload(lock);
    if (state) await this.retain(topics.state, state);
    // Only locks that report their door (protocol v2) get the door sensor.
    if (lock.door !== null) {
      await this.retain(topics.doorConfig, JSON.stringify(doorConfig(this.prefix, lock)));
      const door = doorPayload(lock.door);
      if (door) await this.retain(topics.door, door);
    }
  }

  /** Empty retained messages: Home Assistant removes the entities and forgets the state. */
  private async withdraw(deviceId: string): Promise<void> {
    // Disconnected: it stays in `exposed`, and the next connection's full publication withdraws it.
    if (!this.exposed.has(deviceId) || !this.client?.connected) return;
    const topics = lockTopics(this.prefix, deviceId);
    for (const topic of [topics.config, topics.doorConfig, topics.state, topics.availability, topics.door]) {
      await this.client.publishAsync(topic, '', { qos: 1, retain: true });
      this.published.delete(topic);
    }
    this.exposed.delete(deviceId);
    this.deps.log.info({ deviceId }, 'Home Assistant discovery withdrawn');
  }

  private async retain(topic: string, payload: string): Promise<void> {
    if (this.published.get(topic) === payload || !this.client) return;
    this.published.set(topic, payload);
    await this.client.publishAsync(topic, payload, { qos: 1, retain: true });
  }

  private async heard(topic: string, payload: Buffer): Promise<void> {
    if (topic === birthTopic(this.prefix)) {
      if (payload.toString() === 'online') {
        this.published.clear();
        await this.publishAll();
      }
      return;
    }
    const deviceId = deviceIdOfCommandTopic(this.prefix, topic);
    if (deviceId === null) return;
    const command = parseHomeAssistantCommand(payload);
    if (!command) {
      this.deps.log.warn({ topic, bytes: payload.length }, 'Home Assistant command dropped: malformed payload');
      return;
    }
    const user = await this.user();
    const lock = await this.deps.store.locks.findByDeviceId(deviceId);
    // Never act on a lock that is not the user's, even for an admin (who could see it).
    if (!user || !lock || lock.owner !== user.username) {
      this.deps.log.warn({ deviceId }, 'Home Assistant command dropped: not a lock of HOMEASSISTANT_USER');
      return;
    }
    if (command.action === 'UNLOCK' && !(await this.pinAccepted(command.code, lock))) return;
    try {
      await this.deps.commands.send(user, deviceId, command.action, undefined, { actor: this.actor });
    } catch (error) {
      // The commands service audited it (offline, too many commands); Home Assistant keeps the lock's real state.
      this.deps.log.info({ deviceId, err: error }, 'Home Assistant command not sent');
    }
  }

  private async pinAccepted(code: string | undefined, lock: LockRecord): Promise<boolean> {
    const verdict = this.pins.check(code);
    if (verdict === 'ok') {
      this.throttleAudited = false;
      return true;
    }
    const entry = { actor: this.actor, action: 'command.unlock' as const, deviceId: lock.deviceId };
    if (verdict === 'wrong') {
      this.deps.log.warn({ deviceId: lock.deviceId, refused: this.pins.refused }, 'Home Assistant unlock refused: wrong PIN');
      await this.deps.audit.record({ ...entry, result: code === undefined ? 'MISSING_PIN' : 'WRONG_PIN', detail: null }, lock.owner);
    } else if (!this.throttleAudited) {
      this.throttleAudited = true;
      await this.deps.audit.record({ ...entry, result: 'PIN_THROTTLED', detail: `retry in ${this.pins.retryAfterSeconds()} s` }, lock.owner);
    }
    return false;
  }
}

/** The broker URL without credentials, for logs. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}
