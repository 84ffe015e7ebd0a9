import { Arg, Authorized, Ctx, Int, Query, Resolver, Root, Subscription, type SubscriptionHandlerData } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import type { AppEvents } from '../events/events.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { pageSize, toConnection, type Connection } from '../graphql/connection.js';
import { withCursorErrors } from '../graphql/cursor-errors.js';
import type { AuditFilter, LockRecord } from '../store/records.js';
import { AuditEntry, AuditEntryConnection, AuditFilterInput, auditCursor } from './audit-entry.model.js';

type AuditEvent = AppEvents['audit.appended'];

/** A lock's history starts at its registration, or at its last transfer. */
function since(lock: LockRecord, transferred: Map<string, Date>): Date {
  const at = transferred.get(lock.deviceId);
  return at && at > lock.createdAt ? at : lock.createdAt;
}

async function coOwnedLocks(ctx: GraphQLContext, username: string): Promise<LockRecord[]> {
  const shares = (await ctx.services.store.lockShares.listByGuest(username)).filter((s) => s.role === 'CO_OWNER');
  return shares.length === 0 ? [] : ctx.services.store.locks.findByDeviceIds(shares.map((s) => s.deviceId));
}

@Resolver()
export class AuditResolver {
  @Authorized()
  @Query(() => AuditEntryConnection, { description: "Newest first. Owners and co-owners see their locks' entries since each lock's registration (or its last transfer) and their own actions; guests only their own actions; admins everything." })
  async auditLog(
    @Arg('filter', () => AuditFilterInput, { nullable: true }) filter: AuditFilterInput | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<AuditEntry>> {
    const viewer = viewerOf(ctx);
    const query: AuditFilter = {
      ...(filter?.deviceId ? { deviceId: filter.deviceId } : {}),
      ...(filter?.device?.trim() ? { device: filter.device.trim() } : {}),
      ...(filter?.actor ? { actor: filter.actor.toLowerCase() } : {}),
      ...(filter?.action ? { action: filter.action } : {}),
      ...(filter?.from ? { from: filter.from } : {}),
      ...(filter?.to ? { to: filter.to } : {}),
    };
    if (viewer.role !== 'ADMIN') {
      const owned = await ctx.services.store.locks.listByOwner(viewer.username);
      // A lock's history starts at its registration: a device id registered before by someone
      // else, then removed, does not bring that user's entries (and lock names) along. A lock
      // that changed hands starts at its transfer: a buyer does not see the seller's comings and goings.
      // Co-owners see a shared lock's full history, as its owner does; guests only their own entries (the actor clause).
      const coOwned = await coOwnedLocks(ctx, viewer.username);
      const transferred = await ctx.services.store.lockTransfers.lastAccepted([...owned, ...coOwned].map((lock) => lock.deviceId));
      query.scope = { devices: [...owned, ...coOwned].map((lock) => ({ deviceId: lock.deviceId, since: since(lock, transferred) })), actor: viewer.username };
    }
    const page = await withCursorErrors(() => ctx.services.store.audit.query(query, { first: pageSize(first), ...(after ? { after } : {}) }));
    return toConnection(page, (r) => AuditEntry.from(r), auditCursor);
  }

  @Authorized()
  @Subscription(() => AuditEntry, {
    description: 'A live feed of audit entries the viewer may see (for dashboards).',
    topics: 'audit.appended',
    filter: async ({ payload, context }: SubscriptionHandlerData<AuditEvent, object, GraphQLContext>) => {
      const viewer = context.viewer?.user;
      if (!viewer) return false;
      if (viewer.role === 'ADMIN' || payload.owner === viewer.username || payload.entry.actor === viewer.username) return true;
      const deviceId = payload.entry.deviceId;
      return deviceId !== null && (await context.services.shareDirectory.shareOf(viewer.username, deviceId))?.role === 'CO_OWNER';
    },
  })
  auditAppended(@Root() event: AuditEvent): AuditEntry {
    return AuditEntry.from(event.entry);
  }
}
