/**
 * Lock accounts on Mosquitto 2's dynamic security (MQTT_BROKER_ADMIN=dynsec).
 * Each lock gets a client with username = client id = deviceId (so no other
 * account can log in under its client id and take its session over) and its
 * own role, limited to its three topics by exact name.
 */
import type { Logger } from '../../app/logger.js';
import type { Topics } from '../protocol/topics.js';
import { BrokerAccountConflict, type BrokerAccounts, type LockAccount } from './broker-accounts.js';
import type { DynsecClient, DynsecCommand } from './dynsec-client.js';
import { DynsecClaimAccounts } from './dynsec-claim-accounts.js';

/** Roles the api owns start with this: reconcile only ever deletes clients holding one. */
export const LOCK_ROLE_PREFIX = 'smartlock-lock-';
const ALREADY_EXISTS = /already exists/i;
const NOT_FOUND = /not found/i;
/** Locks per control message at reconcile: ~100 × 2 commands, ~40 KB, one round trip each. */
const RECONCILE_BATCH = 100;

export const lockRoleName = (deviceId: string) => `${LOCK_ROLE_PREFIX}${deviceId}`;

/** The lock's only rights: publish its status and availability, subscribe to and receive its cmd. */
export function lockRoleAcls(topics: Topics, deviceId: string) {
  return [
    { acltype: 'publishClientSend', topic: topics.of(deviceId, 'status'), allow: true },
    { acltype: 'publishClientSend', topic: topics.of(deviceId, 'availability'), allow: true },
    { acltype: 'subscribeLiteral', topic: topics.of(deviceId, 'cmd'), allow: true },
    { acltype: 'publishClientReceive', topic: topics.of(deviceId, 'cmd'), allow: true },
  ];
}

interface ListedClient {
  username: string;
  roles?: { rolename: string }[];
}

export class DynsecAccounts implements BrokerAccounts {
  private readonly log: Logger;
  readonly claims: DynsecClaimAccounts;
  /** The password this process last set per lock (or is setting): a rotation's move is done once. */
  private readonly passwordSet = new Map<string, { password: string; done: Promise<void> }>();

  constructor(
    private readonly client: DynsecClient,
    private readonly topics: Topics,
    log: Logger,
  ) {
    this.log = log.child({ component: 'broker-accounts' });
    this.claims = new DynsecClaimAccounts(client, topics, log);
  }

  async create(account: LockAccount): Promise<void> {
    const [, created] = await this.client.run(this.createCommands(account), ALREADY_EXISTS);
    if (created?.error === undefined) return;
    // Left over from a removal the broker missed: take it over with the new password and binding.
    // Anyone else's account (the admin's, another service's) is never touched.
    await this.mustOwn(account.deviceId);
    await this.client.run([this.modifyCommand(account)]);
  }

  async changePassword(account: LockAccount): Promise<void> {
    await this.remembered(account, async () => {
      if (!(await this.owns(account.deviceId))) return this.create(account);
      // setClientPassword also ends the client's sessions (Mosquitto 2.0 kicks it).
      await this.client.run([{ command: 'setClientPassword', username: account.deviceId, password: account.password }]);
    });
  }

  /**
   * The account takes the password of the secret an over-the-air rotation switched to (§13.3). Once
   * per password: the ack's switch and the rotation's end both ask, and only the first may end the
   * lock's session.
   */
  async moveToSecret(account: LockAccount): Promise<void> {
    const set = this.passwordSet.get(account.deviceId);
    if (set?.password === account.password) return set.done;
    await this.changePassword(account);
  }

  /** Runs a password change, remembered per lock while it runs and after it succeeded (forgotten if it failed). */
  private remembered(account: LockAccount, change: () => Promise<void>): Promise<void> {
    const done = change();
    const entry = { password: account.password, done };
    this.passwordSet.set(account.deviceId, entry);
    done.catch(() => {
      if (this.passwordSet.get(account.deviceId) === entry) this.passwordSet.delete(account.deviceId);
    });
    return done;
  }

  /** Mosquitto holds one password per client: the one of the version the lock now speaks (this ends its session). */
  async followVersion(account: LockAccount): Promise<void> {
    await this.changePassword(account);
  }

  async remove(deviceId: string): Promise<void> {
    this.passwordSet.delete(deviceId);
    // deleteClient ends its sessions too.
    await this.client.run(
      [
        { command: 'deleteClient', username: deviceId },
        { command: 'deleteRole', rolename: lockRoleName(deviceId) },
      ],
      NOT_FOUND,
    );
  }

  /**
   * Creates the accounts of locks the broker does not know and deletes the lock
   * accounts of locks the store does not know. Existing accounts keep their
   * password (resetting every one would disconnect the whole fleet on each start),
   * except those of locks in an over-the-air rotation: they take the current
   * secret's password, which the store's rotation state names (§13.3; a crash may
   * have come between the store's switch and the broker's).
   */
  async reconcile(registered: () => Promise<LockAccount[]>): Promise<void> {
    const locks = await registered();
    const [listed] = await this.client.run([{ command: 'listClients', verbose: true, count: -1 }]);
    const clients = ((listed?.data as { clients?: ListedClient[] } | undefined)?.clients ?? []);
    const onBroker = new Set(clients.map((client) => client.username));
    const inStore = new Set(locks.map((lock) => lock.deviceId));
    const missing = locks.filter((lock) => !onBroker.has(lock.deviceId));
    for (const client of clients) {
      if (inStore.has(client.username) && !client.roles?.some((role) => role.rolename === lockRoleName(client.username))) {
        this.log.error({ deviceId: client.username }, 'a registered lock shares its name with a broker account that is not a lock\'s: left alone, the lock cannot log in');
      }
    }
    const stale = clients.filter((client) => !inStore.has(client.username) && client.roles?.some((role) => role.rolename === lockRoleName(client.username)));
    for (let i = 0; i < missing.length; i += RECONCILE_BATCH) {
      await this.client.run(missing.slice(i, i + RECONCILE_BATCH).flatMap((lock) => this.createCommands(lock)), ALREADY_EXISTS);
    }
    for (const client of stale) await this.remove(client.username);
    const rotating = locks.filter((lock) => lock.rotating === true && onBroker.has(lock.deviceId));
    for (const lock of rotating) {
      await this.changePassword(lock).catch((error: unknown) => this.log.error({ err: error, deviceId: lock.deviceId }, 'rotating lock\'s password not set; it is set again when the rotation moves on'));
    }
    await this.claims.removeExpired(new Date());
    this.log.info({ locks: locks.length, created: missing.length, deleted: stale.length, rotating: rotating.length }, 'broker lock accounts reconciled');
  }

  /** Whether the account exists and is a lock's (holds its lock role); throws if it is someone else's. */
  private async owns(deviceId: string): Promise<boolean> {
    const [found] = await this.client.run([{ command: 'getClient', username: deviceId }], NOT_FOUND);
    if (found?.error !== undefined) return false;
    const roles = (found?.data as { client?: ListedClient } | undefined)?.client?.roles ?? [];
    if (!roles.some((role) => role.rolename === lockRoleName(deviceId))) throw new BrokerAccountConflict(deviceId);
    return true;
  }

  private async mustOwn(deviceId: string): Promise<void> {
    if (!(await this.owns(deviceId))) throw new BrokerAccountConflict(deviceId);
  }

  private createCommands(account: LockAccount): DynsecCommand[] {
    const rolename = lockRoleName(account.deviceId);
    return [
      { command: 'createRole', rolename, textname: `Smartlock lock ${account.deviceId}`, acls: lockRoleAcls(this.topics, account.deviceId) },
      { command: 'createClient', username: account.deviceId, password: account.password, clientid: account.deviceId, roles: [{ rolename }] },
    ];
  }

  private modifyCommand(account: LockAccount): DynsecCommand {
    return { command: 'modifyClient', username: account.deviceId, password: account.password, clientid: account.deviceId, roles: [{ rolename: lockRoleName(account.deviceId) }] };
  }
}
