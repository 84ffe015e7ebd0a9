/** The firmware parts the resolvers, the ingest, the rollout job and the CLI share. */
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config/config.js';
import type { LockLink } from '../devices/broker/lock-link.js';
import type { DeviceKeys } from '../devices/device-keys.js';
import type { Topics } from '../devices/protocol/topics.js';
import type { EventBus } from '../events/events.js';
import type { Store } from '../store/ports.js';
import { FirmwareImages } from './firmware-images.js';
import { FirmwareReleases } from './firmware-releases.js';
import { FirmwareRollouts } from './firmware-rollouts.js';
import { FirmwareUrls } from './firmware-urls.js';
import { FirmwareUpdateIngest } from './update-ingest.js';
import { UpdateSender } from './update-sender.js';

export interface FirmwareServices {
  images: FirmwareImages;
  releases: FirmwareReleases;
  rollouts: FirmwareRollouts;
  ingest: FirmwareUpdateIngest;
  urls: FirmwareUrls;
}

export interface FirmwareServiceDeps {
  config: Config;
  store: Store;
  keys: DeviceKeys;
  link: LockLink;
  topics: Topics;
  audit: AuditService;
  events: EventBus;
  log: Logger;
}

export function createFirmwareServices(deps: FirmwareServiceDeps): FirmwareServices {
  const { config, store, keys, link, topics, audit, events, log } = deps;
  const images = new FirmwareImages(config.dataDir);
  const releases = new FirmwareReleases({ store, images, audit, publicKey: config.firmware.publicKey });
  const urls = new FirmwareUrls(config);
  const ingest = new FirmwareUpdateIngest({ store, audit, events, log });
  const rollouts = new FirmwareRollouts({
    store,
    sender: new UpdateSender({ store, keys, link, topics, log }),
    ingest,
    audit,
    log,
    enabled: releases.enabled,
    imageUrl: (sha256) => urls.image(sha256),
    updateTimeoutMs: config.firmware.updateTimeoutMs,
  });
  return { images, releases, rollouts, ingest, urls };
}
