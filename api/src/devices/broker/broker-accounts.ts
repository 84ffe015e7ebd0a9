/**
 * Lock accounts on the broker, kept by the api itself. The locks service calls
 * this after each change to a lock's credentials, so the broker follows the
 * store at once; `reconcile` repairs what a crash between the two left behind.
 *
 * - `dynsec` (MQTT_BROKER_ADMIN=dynsec): Mosquitto 2's dynamic security (dynsec-accounts.ts).
 * - `embedded`: the embedded broker checks each login against the store, so only live sessions
 *   opened with old credentials need ending.
 * - `none` (MQTT_BROKER_ADMIN=none): another broker whose accounts are kept by hand.
 */
import type { ClaimAccounts } from '../../claims/claim-accounts.js';
import type { BrokerProcess } from './broker-process.js';

export interface LockAccount {
  deviceId: string;
  /** brokerPassword(K, the lock's stored protocol version) */
  password: string;
  /** The TLS pre-shared key (the v2 purpose key `tls-psk`), for a broker with a PSK listener. */
  tlsPsk: Buffer;
  /**
   * An over-the-air rotation is in flight (docs/protocol.md §13.3): a broker holding one password
   * per lock must hold this one (the current secret's) even if the account exists, since a crash
   * between the store's switch and the broker's may have left the other.
   */
  rotating?: boolean;
}

/** The broker already has an account by this name that is not a lock's (e.g. `admin`). */
export class BrokerAccountConflict extends Error {
  constructor(readonly deviceId: string) {
    super(`the broker has an account "${deviceId}" that is not a lock's`);
    this.name = 'BrokerAccountConflict';
  }
}

export interface BrokerAccounts {
  /** A newly registered lock may log in with this password, its client id bound to its device id. */
  create(account: LockAccount): Promise<void>;
  /** The new password replaces the old one, and sessions opened with the old one end. */
  changePassword(account: LockAccount): Promise<void>;
  /** The lock may no longer log in; its sessions end. */
  remove(deviceId: string): Promise<void>;
  /**
   * The lock was welcomed into another protocol version: brokers holding one password per lock
   * take that version's (its session may end; the lock's login rule tries both). Brokers that
   * accept either password need nothing.
   */
  followVersion(account: LockAccount): Promise<void>;
  /** Makes the broker match the store (`registered`: every lock), without ending sessions needlessly. */
  reconcile(registered: () => Promise<LockAccount[]>): Promise<void>;
  /**
   * Whether a lock may log in with the password of either of two secrets while an over-the-air
   * rotation runs (docs/protocol.md §13.3). Only the embedded broker, which asks the store at
   * every login, can; a broker holding one password per account cannot.
   */
  readonly acceptsTwoSecrets?: boolean;
  /**
   * A broker holding one password per lock (Mosquitto dynsec): the account takes the password of
   * the secret the server switched to during an over-the-air rotation (§13.3), which ends the lock's
   * session; the lock's login rule then tries the new secret's password. Does nothing when this
   * process already set that password. Absent: the broker cannot follow a rotation (kept by hand).
   */
  moveToSecret?(account: LockAccount): Promise<void>;
  /** The lock's TLS pre-shared key follows a secret changed over the air (its sessions stay). */
  followSecret?(account: LockAccount): Promise<void>;
  /**
   * Unclaimed locks' logins, on a broker that must be told of each (docs/protocol.md §15.8); none
   * where a `claim-*` login needs no account (the embedded broker).
   */
  readonly claims?: ClaimAccounts;
}

/**
 * The embedded broker: logins are checked against the store, so only live sessions need ending;
 * its TLS listener's pre-shared keys are handed to it.
 */
export function embeddedBrokerAccounts(broker: Pick<BrokerProcess, 'setPsk' | 'deletePsk' | 'replacePsks' | 'disconnectDevice'>): BrokerAccounts {
  return {
    create: ({ deviceId, tlsPsk }) => Promise.resolve(broker.setPsk(deviceId, tlsPsk)),
    changePassword: async ({ deviceId, tlsPsk }) => {
      broker.setPsk(deviceId, tlsPsk);
      await broker.disconnectDevice(deviceId);
    },
    remove: async (deviceId) => {
      broker.deletePsk(deviceId);
      await broker.disconnectDevice(deviceId);
    },
    // It accepts the v1 and the v2 password of every lock; the PSK does not depend on the version.
    followVersion: () => Promise.resolve(),
    reconcile: async (registered) => broker.replacePsks(await registered()),
    acceptsTwoSecrets: true,
    followSecret: ({ deviceId, tlsPsk }) => Promise.resolve(broker.setPsk(deviceId, tlsPsk)),
  };
}

/**
 * Accounts kept by hand on another broker (deploy/mosquitto/README.md, "Plain ACL mode"). Their
 * passwords stay v1: a v2 lock falls back to it by its login rule.
 */
export const handKeptBrokerAccounts: BrokerAccounts = {
  create: () => Promise.resolve(),
  changePassword: () => Promise.resolve(),
  remove: () => Promise.resolve(),
  followVersion: () => Promise.resolve(),
  reconcile: () => Promise.resolve(),
};
