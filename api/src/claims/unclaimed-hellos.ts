/**
 * The hellos unclaimed locks sent recently, kept until a claim code names one of them. They cannot
 * be checked on arrival (the server learns a lock's claim secret only from its code), and anybody
 * may log in as a claim account, so a few per factory id are kept, newest first: a forged hello
 * cannot hide the real lock's, which the lock repeats every 30 s (docs/protocol.md "Claiming").
 */
import { helloProvesCode, type UnclaimedHello } from './claim-crypto.js';
import type { ClaimCode } from './claim-code.js';

const PER_LOCK = 4;
const MAX_LOCKS = 10_000;
/** A hello older than this is forgotten: the lock is no longer known to be there. */
export const HELLO_TTL_MS = 120_000;

interface Seen {
  hello: UnclaimedHello;
  at: number;
}

export class UnclaimedHellos {
  private readonly byLock = new Map<string, Seen[]>();
  /** Claims waiting for their lock's hello (a broker where the claim account opens with the claim). */
  private readonly waiting = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  remember(hello: UnclaimedHello): void {
    const at = this.now();
    const kept = (this.byLock.get(hello.factoryId) ?? []).filter((seen) => seen.hello.payload !== hello.payload && at - seen.at < HELLO_TTL_MS);
    // Re-inserted so the Map's order is least recently heard first, and the oldest lock goes first.
    this.byLock.delete(hello.factoryId);
    this.byLock.set(hello.factoryId, [{ hello, at }, ...kept].slice(0, PER_LOCK));
    if (this.byLock.size > MAX_LOCKS) {
      const oldest = this.byLock.keys().next().value;
      if (oldest !== undefined) this.byLock.delete(oldest);
    }
    for (const wake of this.waiting) wake();
  }

  /** `provenBy(code)` as soon as a hello proves it, or null after `timeoutMs`. */
  waitForProof(code: ClaimCode, timeoutMs: number): Promise<UnclaimedHello | null> {
    const known = this.provenBy(code);
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => {
      const finish = (hello: UnclaimedHello | null) => {
        clearTimeout(timer);
        this.waiting.delete(check);
        resolve(hello);
      };
      const check = () => {
        const hello = this.provenBy(code);
        if (hello) finish(hello);
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      this.waiting.add(check);
    });
  }

  /** The newest fresh hello that the code's holder signed, if any. */
  provenBy(code: ClaimCode): UnclaimedHello | null {
    const at = this.now();
    for (const seen of this.byLock.get(code.factoryId) ?? []) {
      if (at - seen.at < HELLO_TTL_MS && helloProvesCode(seen.hello, code)) return seen.hello;
    }
    return null;
  }

  forget(factoryId: string): void {
    this.byLock.delete(factoryId);
  }
}
