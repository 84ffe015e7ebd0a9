/**
 * The unclaimed lock's login `claim-<fid>` on a broker that authenticates every client (Mosquitto
 * with dynamic security, docs/protocol.md §15.8). The api learns a factory id only when someone
 * types its code, so the account is opened then, with the password derived from that code, for as
 * long as the claim needs it, and closed after. The embedded broker has none: it admits any
 * `claim-*` login to its own claim topic.
 */
export interface ClaimAccounts {
  /**
   * `claim-<fid>` may log in with `password` (client id bound to the username) and reach only its
   * claim topics; `until` is when a start-up may delete it as left behind (a crash, a stopped replica).
   * An account already there takes the new password (the older claim then never sees its hello).
   */
  open(factoryId: string, password: string, until: Date): Promise<void>;
  /** The account is deleted and its session ends. */
  close(factoryId: string): Promise<void>;
  /** Deletes claim accounts whose `until` has passed. */
  removeExpired(now: Date): Promise<void>;
}
