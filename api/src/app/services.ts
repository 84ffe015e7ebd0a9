import type { Redis } from 'ioredis';
import { AccessTokens } from '../auth/access-tokens.js';
import { AuthService } from '../auth/auth.service.js';
import { PasswordHasher } from '../auth/password.js';
import { PasswordCosts } from '../auth/password-costs.js';
import { MemoryAttemptCounter } from '../auth/throttle/memory-counter.js';
import { RedisAttemptCounter } from '../auth/throttle/redis-counter.js';
import { SignUpThrottle } from '../auth/throttle/sign-up-throttle.js';
import { SignInThrottle } from '../auth/throttle/throttle.js';
import { SessionsService } from '../auth/sessions.service.js';
import { SignInChallenges } from '../auth/sign-in-challenge.js';
import { StepUp } from '../auth/step-up.js';
import { TotpService } from '../auth/totp.service.js';
import { PasskeysService } from '../auth/passkeys.service.js';
import { PasskeySignIn } from '../auth/passkey-sign-in.js';
import { WebAuthnChallenges } from '../auth/webauthn-challenges.js';
import { UsersService } from '../auth/users.service.js';
import { createSmtpMailer, type Mailer } from '../auth/recovery/mailer.js';
import { RecoveryEmailService } from '../auth/recovery/recovery-email.service.js';
import { appOrigin } from '../auth/recovery/recovery-links.js';
import { RecoveryThrottle } from '../auth/recovery/recovery-throttle.js';
import { RecoveryService } from '../auth/recovery/recovery.service.js';
import { ViewerResolver } from '../auth/viewer.js';
import type { AlertNotifier } from '../alerts/alert-notifier.js';
import { BadSignatureBursts } from '../alerts/bad-signature-bursts.js';
import { LockAlerts } from '../alerts/lock-alerts.js';
import { AuditService } from '../audit/audit.service.js';
import { ClaimsService } from '../claims/claims.service.js';
import { CommandRateLimit } from '../commands/command-rate-limit.js';
import { CommandsService } from '../commands/commands.service.js';
import type { Config } from '../config/config.js';
import type { ResolvedSecrets } from '../config/secrets.js';
import type { BrokerAccounts } from '../devices/broker/broker-accounts.js';
import { KeyRotation } from '../devices/key-rotation.js';
import type { LockLink } from '../devices/broker/lock-link.js';
import { DeviceKeys } from '../devices/device-keys.js';
import { DiagnosticsRecorder } from '../diagnostics/diagnostics-recorder.js';
import { DroppedMessages } from '../devices/dropped-messages.js';
import type { Topics } from '../devices/protocol/topics.js';
import { StatusIngest } from '../devices/status-ingest.js';
import { TimeSync } from '../devices/time-sync.js';
import { ProtocolNegotiation } from '../devices/protocol-negotiation.js';
import { LockConfig } from '../devices/lock-config.js';
import { BleRevocations } from '../ble/ble-revocations.js';
import { BleUses } from '../ble/ble-uses.js';
import { OfflineKeys } from '../ble/offline-keys.js';
import type { EventBus } from '../events/events.js';
import { createFirmwareServices, type FirmwareServices } from '../firmware/firmware-services.js';
import { describeLockConnection, type BrokerPorts, type LockConnectionInfo } from '../locks/lock-connection.js';
import { LocksService } from '../locks/locks.service.js';
import { ShareDirectory } from '../sharing/share-directory.js';
import { SharingService } from '../sharing/sharing.service.js';
import { LockTransfersService } from '../locks/lock-transfers.service.js';
import { SERVER_VERSIONS } from '../devices/protocol-negotiation.js';
import { LockSettingsService } from '../locks/lock-settings.service.js';
import { type Metrics } from '../observability/metrics.js';
import type { OverloadStatus } from '../overload/overload-control.js';
import { PushIntents } from '../push/push-intents.js';
import { PushNotifier } from '../push/push-notifier.js';
import { PushSender } from '../push/push-sender.js';
import { PushService } from '../push/push.service.js';
import type { Store } from '../store/ports.js';
import type { Logger } from './logger.js';

/** Everything resolvers, MQTT handlers, jobs and CLIs call. Built once, passed explicitly. */
export interface Services {
  store: Store;
  metrics: Metrics;
  events: EventBus;
  audit: AuditService;
  auth: AuthService;
  users: UsersService;
  sessions: SessionsService;
  /** Sensitive operations call `stepUp.require(viewer)` first. */
  stepUp: StepUp;
  totp: TotpService;
  /** Account recovery links (admin CLI, "Forgot password?") and the recovery email address. */
  recovery: RecoveryService;
  recoveryEmail: RecoveryEmailService;
  /** Outgoing mail; undefined without SMTP_URL. */
  mailer: Mailer | undefined;
  passkeys: PasskeysService;
  passkeySignIn: PasskeySignIn;
  viewers: ViewerResolver;
  hasher: PasswordHasher;
  throttle: SignInThrottle;
  keys: DeviceKeys;
  locks: LocksService;
  /** Claiming locks by the code on their box (docs/protocol.md "Claiming"). */
  claims: ClaimsService;
  commands: CommandsService;
  ingest: StatusIngest;
  /** Samples battery, signal and availability into the diagnostics history. */
  diagnostics: DiagnosticsRecorder;
  /** Sends v2 locks their behaviour settings (docs/protocol.md §11.7). */
  lockConfig: LockConfig;
  /** Raises and clears lock alerts (alerts/). */
  alerts: LockAlerts;
  /** Over-the-air secret rotation of v3 locks (docs/protocol.md §13.3). */
  keyRotation: KeyRotation;
  /** The owner's wanted lock settings and their delivery (issue 10 item 4). */
  lockSettings: LockSettingsService;
  /** Offers of a lock to another user and their acceptance (issue 14 item 5). */
  lockTransfers: LockTransfersService;
  /** Bluetooth offline keys: issuing, revoking, and the revocation list each v3 lock keeps (ble/). */
  offlineKeys: OfflineKeys;
  /** Guest access: shares, invitations, the lock's time zone (sharing/, issue 15 item 1). */
  sharing: SharingService;
  /** Who holds which share, cached for subscription filters (started with the app). */
  shareDirectory: ShareDirectory;
  /** Where invitation links point: `<origin>/invite#<token>`. */
  sharingLinkOrigin: (requestOrigin: string | undefined) => string;
  /** What a lock needs to reach the broker, for the credentials screen; `requestOrigin`: where the request came to. */
  lockConnection: (requestOrigin: string | undefined) => LockConnectionInfo;
  /** Web push: the browser registrations and choices, and the notifier that follows the audit trail. */
  push: { vapidPublicKey: string; service: PushService; notifier: PushNotifier };
  /** Signed firmware releases, staged rollouts and each lock's update (firmware/). */
  firmware: FirmwareServices;
  /** Overload state for /readyz (absent in parts built without it, e.g. CLIs). */
  overload?: { status(): OverloadStatus };
}

export interface ServiceDeps {
  config: Config;
  secrets: ResolvedSecrets;
  store: Store;
  log: Logger;
  redis: Redis | undefined;
  events: EventBus;
  link: LockLink;
  topics: Topics;
  metrics: Metrics;
  /** Broker usernames of servers, which no lock may take as its device id. */
  reservedDeviceIds: string[];
  accounts: BrokerAccounts;
  /** The embedded broker's bound ports (MQTT_PORT=0 picks one); none with an external broker. */
  brokerPorts?: BrokerPorts;
  /** One key cache for the whole process (the broker's authenticator shares it). */
  keys?: DeviceKeys;
  overload?: { status(): OverloadStatus };
  /** Hears every raised alert once; none by default (push notifications follow the audit trail: push/push-notifier.ts). */
  alertNotifier?: AlertNotifier;
}

export function createServices(deps: ServiceDeps): Services {
  const { config, secrets, store, log, redis, events, link, topics, metrics } = deps;
  const audit = new AuditService(store.audit, log);
  audit.attachEvents(events);
  const notifier = new PushNotifier({
    store,
    intents: new PushIntents(store),
    sender: new PushSender({ vapid: secrets.vapid, subject: config.push.subject, log }),
    metrics,
    log,
  });
  audit.onRecorded(notifier.heard);
  const hasher = new PasswordHasher(config.auth.scryptCost, (logN) => metrics.passwordDerivations.inc({ cost: String(logN) }));
  const accessTokens = new AccessTokens(secrets.jwtSecret, config.auth.accessTokenTtlMs);
  const counter = redis && config.redis ? new RedisAttemptCounter(redis, config.redis.keyPrefix) : new MemoryAttemptCounter();
  const throttle = new SignInThrottle(counter, config.auth.throttle);
  const signUpThrottle = new SignUpThrottle(counter, config.auth.signUpThrottle);
  const passwordCosts = new PasswordCosts(hasher, async () => (await store.users.list()).map((user) => user.passwordHash));
  const stepUp = new StepUp(store, config.auth.stepUpMaxAgeMs);
  const keys = deps.keys ?? new DeviceKeys(secrets.secretsKeys);
  const totp = new TotpService({ store, keys, audit, stepUp });
  const challenges = new SignInChallenges(secrets.jwtSecret);
  const passkeys = new PasskeysService({
    store,
    audit,
    stepUp,
    challenges: new WebAuthnChallenges(secrets.jwtSecret, store.passkeys),
    // WEBAUTHN_ORIGIN, else ALLOWED_ORIGINS, else each request's own origin (auth/relying-party.ts).
    rp: { origins: config.webauthn.origins.length > 0 ? config.webauthn.origins : config.http.allowedOrigins, rpId: config.webauthn.rpId },
    secret: secrets.jwtSecret,
  });
  const auth = new AuthService({ store, hasher, passwordCosts, accessTokens, throttle, signUpThrottle, audit, events, metrics, stepUp, totp, passkeys, challenges, refreshTokenTtlMs: config.auth.refreshTokenTtlMs });
  const passkeySignIn = new PasskeySignIn({ store, auth, passkeys, throttle, audit, metrics, stepUp, challenges });
  const mailer = config.smtp ? createSmtpMailer(config.smtp, log) : undefined;
  const recoveryCounter = redis && config.redis ? new RedisAttemptCounter(redis, config.redis.keyPrefix) : new MemoryAttemptCounter();
  const recoveryThrottle = new RecoveryThrottle(recoveryCounter);
  const origin = appOrigin(config);
  const recovery = new RecoveryService({ store, hasher, passwordCosts, auth, totp, audit, events, throttle: recoveryThrottle, mailer, appOrigin: origin, log });
  const recoveryEmail = new RecoveryEmailService({ store, stepUp, audit, throttle: recoveryThrottle, mailer, appOrigin: origin });
  const claimCounter = redis && config.redis ? new RedisAttemptCounter(redis, config.redis.keyPrefix) : new MemoryAttemptCounter();
  const claims = new ClaimsService({ store, keys, link, topics, accounts: deps.accounts, audit, events, counter: claimCounter, log });
  const shareDirectory = new ShareDirectory({ store, events, log });
  const locks = new LocksService({
    store,
    keys,
    audit,
    events,
    reservedDeviceIds: deps.reservedDeviceIds,
    accounts: deps.accounts,
    log,
    directory: shareDirectory,
    clearClaimTopic: (factoryId) => link.publish(topics.claim(factoryId), '', { qos: 1, retain: true }),
  });
  // Its own counter (same kind as sign-in's): Redis when configured, so replicas share one count.
  const commandCounter = redis && config.redis ? new RedisAttemptCounter(redis, config.redis.keyPrefix) : new MemoryAttemptCounter();
  const sharing = new SharingService({ store, locks, audit, events, directory: shareDirectory });
  const commands = new CommandsService({
    store,
    locks,
    directory: shareDirectory,
    keys,
    audit,
    events,
    link,
    topics,
    timeoutMs: config.locks.commandTimeoutMs,
    rateLimit: new CommandRateLimit(commandCounter, config.commands.rate),
    idempotencyWindowMs: config.commands.idempotencyWindowMs,
    log,
  });
  const dropped = new DroppedMessages(metrics, audit, log);
  const alerts = new LockAlerts({
    store,
    audit,
    events,
    log,
    badSignatureWindowMs: config.alerts.badSignatures.windowMs,
    ...(deps.alertNotifier ? { notifier: deps.alertNotifier } : {}),
  });
  const alertCounter = redis && config.redis ? new RedisAttemptCounter(redis, config.redis.keyPrefix) : new MemoryAttemptCounter();
  const bursts = new BadSignatureBursts({ counter: alertCounter, store, alerts, log, ...config.alerts.badSignatures });
  dropped.listen((reason, deviceId) => {
    if (reason === 'bad_signature') void bursts.seen(deviceId);
  });
  const lockConfig = new LockConfig({ store, keys, link, topics, audit, log });
  const keyRotation = new KeyRotation({ store, keys, link, topics, audit, events, log, accounts: deps.accounts });
  const lockSettings = new LockSettingsService({ store, locks, lockConfig, audit, events, log });
  const bleRevocations = new BleRevocations({ store, keys, link, topics, audit, log });
  const offlineKeys = new OfflineKeys({ store, keys, locks, revocations: bleRevocations, audit, events, log, hours: config.locks.offlineKeyHours });
  const diagnostics = new DiagnosticsRecorder({ store, events, log, sampleEveryMs: config.diagnostics.sampleEveryMs, flushMs: config.locks.heartbeatFlushMs });
  const firmware = createFirmwareServices({ config, store, keys, link, topics, audit, events, log });
  const ingest = new StatusIngest({
    store,
    keys,
    topics,
    commands,
    audit,
    events,
    dropped,
    metrics,
    log,
    flushMs: config.locks.heartbeatFlushMs,
    maxSkewS: config.locks.statusMaxSkewS,
    timeSync: new TimeSync({ link, keys, topics, log }),
    negotiation: new ProtocolNegotiation({
      store,
      keys,
      link,
      accounts: deps.accounts,
      topics,
      audit,
      dropped,
      log,
      welcomed: async (lock, before) => {
        await lockSettings.afterWelcome(lock, before);
        await keyRotation.afterWelcome(lock);
        await bleRevocations.afterWelcome(lock);
      },
    }),
    rotation: keyRotation,
    lockConfig,
    alerts,
    settingsAcks: lockSettings,
    diagnostics,
    firmwareUpdates: firmware.ingest,
    onFactoryReset: (lock) => locks.factoryReset(lock),
    bleRevocations,
    bleUses: new BleUses({ store, audit, metrics }),
  });
  return {
    store,
    metrics,
    events,
    audit,
    auth,
    users: new UsersService(store, audit, events),
    sessions: new SessionsService(store, audit, events),
    stepUp,
    totp,
    recovery,
    recoveryEmail,
    mailer,
    passkeys,
    passkeySignIn,
    viewers: new ViewerResolver(accessTokens, store),
    hasher,
    throttle,
    keys,
    locks,
    claims,
    commands,
    ingest,
    diagnostics,
    lockConfig,
    alerts,
    keyRotation,
    lockSettings,
    lockTransfers: new LockTransfersService({ store, locks, commands, keyRotation, shares: sharing, audit, events, log, offerTtlMs: config.locks.transferOfferTtlMs }),
    sharing,
    offlineKeys,
    shareDirectory,
    // ALLOWED_ORIGINS' first entry when set (where the app is served), else the request's own origin.
    sharingLinkOrigin: (requestOrigin) => config.http.allowedOrigins[0] ?? requestOrigin ?? origin,
    firmware,
    lockConnection: (requestOrigin) =>
      describeLockConnection(
        { mqtt: config.mqtt, allowedOrigins: config.http.allowedOrigins, ports: deps.brokerPorts, protocolVersion: Math.max(...SERVER_VERSIONS) },
        requestOrigin,
      ),
    push: { vapidPublicKey: secrets.vapid.publicKey, service: new PushService(store, config.env !== 'production'), notifier },
    ...(deps.overload ? { overload: deps.overload } : {}),
  };
}
