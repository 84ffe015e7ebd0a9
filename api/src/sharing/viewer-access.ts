/** The viewer's access to a lock inside a GraphQL operation, batched (field resolvers of lists and subscriptions). */
import type { GraphQLContext } from '../app/context.js';
import { shareKey } from '../graphql/batch-loader.js';
import type { LockRecord } from '../store/records.js';
import { accessOf, allows, type LockAccess, type LockRight } from './lock-role.js';

export async function viewerAccess(ctx: GraphQLContext, lock: LockRecord): Promise<LockAccess | null> {
  const viewer = ctx.viewer?.user;
  if (!viewer) return null;
  const share = lock.owner === viewer.username ? null : await ctx.loaders.shares.load(shareKey(viewer.username, lock.deviceId));
  return accessOf(viewer, lock, share);
}

/** Whether the viewer's role on `lock` carries `right` (false when they may not see it). */
export async function viewerMay(ctx: GraphQLContext, lock: LockRecord, right: LockRight): Promise<boolean> {
  const access = await viewerAccess(ctx, lock);
  return access !== null && allows(access, right);
}
