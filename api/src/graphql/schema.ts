import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { AccountResolver } from '../account/account.resolver.js';
import { LockAlertsResolver } from '../alerts/lock-alerts.resolver.js';
import { AuditResolver } from '../audit/audit.resolver.js';
import { AuthResolver } from '../auth/auth.resolver.js';
import { SessionsResolver } from '../auth/sessions.resolver.js';
import { TotpResolver } from '../auth/totp.resolver.js';
import { RecoveryResolver } from '../auth/recovery/recovery.resolver.js';
import { PasskeysResolver } from '../auth/passkeys.resolver.js';
import { UsersResolver } from '../auth/users.resolver.js';
import { CommandsResolver } from '../commands/commands.resolver.js';
import { DiagnosticsResolver } from '../diagnostics/diagnostics.resolver.js';
import { FirmwareResolver } from '../firmware/firmware.resolver.js';
import type { AppEventName, AppEvents, EventBus } from '../events/events.js';
import { MemoryEventBus } from '../events/memory-event-bus.js';
import { ResyncResolver } from '../events/resync.resolver.js';
import { LocksResolver } from '../locks/locks.resolver.js';
import { LockChangeResolver } from '../locks/lock-change.resolver.js';
import { LockConnectionResolver } from '../locks/lock-connection.resolver.js';
import { LockSettingsResolver } from '../locks/lock-settings.resolver.js';
import { LockTransfersResolver } from '../locks/lock-transfers.resolver.js';
import { SecretRotationResolver } from '../locks/secret-rotation.resolver.js';
import { PushResolver } from '../push/push.resolver.js';
import { LockShareFieldsResolver, LockSharingFieldsResolver, SharingResolver } from '../sharing/sharing.resolver.js';
import { OfflineKeysResolver } from '../ble/offline-keys.resolver.js';
import { authChecker } from './auth-checker.js';

export const resolvers = [AuthResolver, SessionsResolver, TotpResolver, PasskeysResolver, RecoveryResolver, UsersResolver, LocksResolver, LockChangeResolver, LockAlertsResolver, LockSettingsResolver, SecretRotationResolver, LockTransfersResolver, LockConnectionResolver, DiagnosticsResolver, CommandsResolver, AuditResolver, ResyncResolver, PushResolver, AccountResolver, FirmwareResolver, SharingResolver, LockSharingFieldsResolver, LockShareFieldsResolver, OfflineKeysResolver] as const;

/** type-graphql's `@Subscription({ topics })` reads events through this view of the bus. */
function pubSubOf(events: EventBus): PubSub {
  return {
    publish: (name: string, payload: unknown) => events.publish(name as AppEventName, payload as AppEvents[AppEventName]),
    // `topicId` of a subscription (e.g. lockChanged's deviceId): only that key's events (EVENT_KEYS).
    subscribe: (name: string, key?: unknown) => events.subscribe(name as AppEventName, typeof key === 'string' ? key : undefined),
  };
}

export function buildAppSchema(events: EventBus = new MemoryEventBus()): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, authChecker, validate: false, pubSub: pubSubOf(events) });
}

/** The committed `schema.graphql`: sorted so that its diff shows only real changes. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `# Generated from the api's code by \`npm run schema\`. Do not edit: npm test fails when it is stale.\n\n${printSchema(
    lexicographicSortSchema(schema),
  )}\n`;
}
