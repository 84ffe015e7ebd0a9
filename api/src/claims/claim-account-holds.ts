/**
 * Who in this process needs an unclaimed lock's broker account open (docs/protocol.md §15.8): each
 * claim holds it while it waits for the lock's hello, and a successful claim until the lock comes
 * online with K (it has read its claim message then) or a grace period ends. The account is closed
 * when nobody holds it any more; two claims of one lock share it.
 */
import type { Logger } from '../app/logger.js';
import type { ClaimAccounts } from './claim-accounts.js';

/** Changed by tests only; the defaults are what protocol.md §15.8 says. */
export const CLAIM_ACCOUNT_TIMING = {
  /** How long a claim waits for its lock's hello once the account is open (the lock retries every 3 s). */
  waitMs: 20_000,
  /** How long the account stays after the claim message is out if the lock never comes online with K. */
  graceMs: 60_000,
};

interface Held {
  password: string;
  holders: number;
}

export class ClaimAccountHolds {
  private readonly held = new Map<string, Held>();
  private readonly untilOnline = new Map<string, { timer: NodeJS.Timeout; letGo: () => Promise<void> }>();

  constructor(
    private readonly accounts: ClaimAccounts,
    private readonly log: Logger,
  ) {}

  /** Opens the account (or joins the claim holding it); the function returned lets go of it, once. */
  async hold(factoryId: string, password: string): Promise<() => Promise<void>> {
    const until = new Date(Date.now() + CLAIM_ACCOUNT_TIMING.waitMs + CLAIM_ACCOUNT_TIMING.graceMs);
    const known = this.held.get(factoryId);
    const held = known ?? { password, holders: 0 };
    held.holders += 1;
    this.held.set(factoryId, held);
    if (!known || known.password !== password) {
      // A different code for the same lock takes the account over: the other claim then times out.
      held.password = password;
      try {
        await this.accounts.open(factoryId, password, until);
      } catch (error) {
        await this.letGo(factoryId);
        throw error;
      }
    }
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      await this.letGo(factoryId);
    };
  }

  /** The claim succeeded: its hold lasts until `lockOnline(factoryId)` or the grace period ends. */
  keepUntilOnline(factoryId: string, letGo: () => Promise<void>): void {
    void this.lockOnline(factoryId); // an earlier claim's hold, if any, is not needed any more
    const timer = setTimeout(() => void this.lockOnline(factoryId), CLAIM_ACCOUNT_TIMING.graceMs);
    timer.unref();
    this.untilOnline.set(factoryId, { timer, letGo });
  }

  /** The claimed lock logged in with K: its claim account is no longer needed. */
  async lockOnline(factoryId: string): Promise<void> {
    const kept = this.untilOnline.get(factoryId);
    if (!kept) return;
    this.untilOnline.delete(factoryId);
    clearTimeout(kept.timer);
    await kept.letGo();
  }

  async stop(): Promise<void> {
    for (const factoryId of [...this.untilOnline.keys()]) await this.lockOnline(factoryId);
  }

  private async letGo(factoryId: string): Promise<void> {
    const held = this.held.get(factoryId);
    if (!held) return;
    held.holders -= 1;
    if (held.holders > 0) return;
    this.held.delete(factoryId);
    await this.accounts.close(factoryId).catch((error: unknown) =>
      // Left behind, it admits only the code's holder to the claim topic; the next start deletes it.
      this.log.warn({ err: error instanceof Error ? error.message : String(error), factoryId }, 'claim account not deleted'),
    );
  }
}
