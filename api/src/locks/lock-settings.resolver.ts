import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { viewerMay } from '../sharing/viewer-access.js';
import { LockSettings, LockSettingsInput } from './lock-settings.model.js';
import { settingsState } from './lock-settings.service.js';
import { Lock } from './lock.model.js';

@Resolver(() => Lock)
export class LockSettingsResolver {
  @Authorized()
  @Mutation(() => LockSettings, {
    description:
      'Changes how a lock behaves (owner or admin). Stored, audited (lock.settings) and sent to a protocol v2 lock as a signed cfg: at once if it is online, else when it next connects. A v1 lock keeps them with state NEEDS_PROTOCOL_V2.',
  })
  async setLockSettings(
    @Arg('deviceId', () => ID) deviceId: string,
    @Arg('settings', () => LockSettingsInput) settings: LockSettingsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LockSettings> {
    const values = { relock: settings.autoRelockSeconds, boot: settings.bootAction, lockOpen: settings.lockWhileDoorOpen };
    return LockSettings.from(await ctx.services.lockSettings.set(viewerOf(ctx), deviceId, values));
  }

  @FieldResolver(() => LockSettings, { nullable: true, description: 'The behaviour its owner chose; null when never set (the lock uses its defaults: no auto-relock, STAY at boot, REFUSE to lock an open door).' })
  async settings(@Root() lock: Lock, @Ctx() ctx: GraphQLContext): Promise<LockSettings | null> {
    // The root was already checked by whoever returned it; re-read for the protocol version the Lock type does not carry.
    // Both reads are batched: a list of locks reads all their records, then all their settings, in one store call each.
    const record = await ctx.loaders.locks.load(lock.deviceId);
    if (!record || !(await viewerMay(ctx, record, 'view'))) return null;
    const settings = await ctx.loaders.lockSettings.load(record.deviceId);
    return settings ? LockSettings.from({ lock: record, settings, state: settingsState(record, settings) }) : null;
  }
}
