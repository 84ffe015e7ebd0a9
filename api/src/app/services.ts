import type { Redis } from 'ioredis';
import { AccessTokens } from '../auth/access-tokens.js';
import { AuthService } from '../auth/auth.service.js';
import { PasswordHasher } from '../auth/password.js';
import { MemoryAttemptCounter } from '../auth/throttle/memory-counter.js';
import { RedisAttemptCounter } from '../auth/throttle/redis-counter.js';
import { SignInThrottle } from '../auth/throttle/throttle.js';
import { UsersService } from '../auth/users.service.js';
import { ViewerResolver } from '../auth/viewer.js';
import { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config/config.js';
import type { ResolvedSecrets } from '../config/secrets.js';
import { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/ports.js';
import type { Logger } from './logger.js';

/** Everything resolvers, CLIs and (later) MQTT handlers call. Built once, passed explicitly. */
export interface Services {
  store: Store;
  metrics: Metrics;
  audit: AuditService;
  auth: AuthService;
  users: UsersService;
  viewers: ViewerResolver;
  hasher: PasswordHasher;
  throttle: SignInThrottle;
}

export interface ServiceDeps {
  config: Config;
  secrets: ResolvedSecrets;
  store: Store;
  log: Logger;
  redis: Redis | undefined;
}

export function createServices({ config, secrets, store, log, redis }: ServiceDeps): Services {
  const metrics = new Metrics();
  const audit = new AuditService(store.audit, log);
  const hasher = new PasswordHasher(config.auth.scryptCost);
  const accessTokens = new AccessTokens(secrets.jwtSecret, config.auth.accessTokenTtlMs);
  const counter = redis && config.redis ? new RedisAttemptCounter(redis, config.redis.keyPrefix) : new MemoryAttemptCounter();
  const throttle = new SignInThrottle(counter, config.auth.throttle);
  const auth = new AuthService({
    store,
    hasher,
    accessTokens,
    throttle,
    audit,
    metrics,
    refreshTokenTtlMs: config.auth.refreshTokenTtlMs,
  });
  return {
    store,
    metrics,
    audit,
    auth,
    users: new UsersService(store, audit),
    viewers: new ViewerResolver(accessTokens, store),
    hasher,
    throttle,
  };
}
