import type { Redis } from 'ioredis';
import type { AttemptCounter } from './throttle.js';

// INCR and start the window on first use, atomically, so replicas share one count.
const TAKE = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;
const GIVE_BACK = `
if (tonumber(redis.call('GET', KEYS[1]) or '0') > 0) then redis.call('DECR', KEYS[1]) end
return 0
`;
// SET NX claims; otherwise report what the existing hold has left (at least 1 ms).
const CLAIM = `
if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
return ttl
`;

/** Counter shared by api replicas through Redis. Keys live under the client's prefix. */
export class RedisAttemptCounter implements AttemptCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async take(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const [count, ttl] = (await this.redis.eval(TAKE, 1, this.prefix + key, String(windowMs))) as [number, number];
    return { count, resetInMs: ttl };
  }

  async giveBack(key: string): Promise<void> {
    await this.redis.eval(GIVE_BACK, 1, this.prefix + key);
  }

  async claim(key: string, ms: number): Promise<number> {
    return (await this.redis.eval(CLAIM, 1, this.prefix + key, String(ms))) as number;
  }

  async hold(key: string, ms: number): Promise<void> {
    await this.redis.set(this.prefix + key, '1', 'PX', ms);
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  close(): Promise<void> {
    // The Redis connection belongs to whoever created it.
    return Promise.resolve();
  }
}
