import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Store } from '../store/ports.js';
import type { LockLink } from './broker/lock-link.js';
import type { DeviceKeys } from './device-keys.js';
import type { Topics } from './protocol/topics.js';

/** What a sender of signed server → lock messages needs: the lock's counter and keys, the link, the topics. */
export interface SignedSenderDeps {
  store: Store;
  keys: DeviceKeys;
  link: LockLink;
  topics: Topics;
  log: Logger;
  now?: () => number;
}

/** A sender that also audits what it sends and what the lock answers (cfg, blerev). */
export interface AuditedSenderDeps extends SignedSenderDeps {
  audit: AuditService;
}
