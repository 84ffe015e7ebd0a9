import { Arg, Authorized, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { OfflineKey } from './offline-key.model.js';

@Resolver()
export class OfflineKeysResolver {
  @Authorized()
  @Mutation(() => OfflineKey, {
    description:
      'A Bluetooth offline key for a lock the viewer may use now (owner, co-owner, admin, or a guest inside their access rule: ACCESS_WINDOW_CLOSED otherwise). ' +
      'Lives BLE_OFFLINE_KEY_HOURS (8 h by default); a guest\'s ends with their current allowed period. Asking again while less than half of the newest key\'s window has passed returns that key. ' +
      'BAD_USER_INPUT (field lockId) when the lock\'s firmware does not speak protocol v3 (no Bluetooth); NOT_FOUND for a lock the viewer cannot see.',
  })
  async issueOfflineKey(@Arg('lockId', () => ID) lockId: string, @Ctx() ctx: GraphQLContext): Promise<OfflineKey> {
    return OfflineKey.from(await ctx.services.offlineKeys.issue(viewerOf(ctx), lockId));
  }

  @Authorized()
  @Mutation(() => Int, {
    description:
      "Revokes offline keys of the lock (all, or the one `keyId`): the owner or an admin anyone's, anyone else only their own (NOT_FOUND for another person's key). " +
      'The lock is sent its new revocation list when it next hears the server. Returns how many keys were revoked.',
  })
  async revokeOfflineKeys(
    @Arg('lockId', () => ID) lockId: string,
    @Arg('keyId', () => ID, { nullable: true }) keyId: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<number> {
    return ctx.services.offlineKeys.revoke(viewerOf(ctx), lockId, keyId ?? undefined);
  }
}
