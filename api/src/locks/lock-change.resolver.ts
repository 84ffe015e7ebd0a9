import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { Lock } from './lock.model.js';

@Resolver(() => Lock)
export class LockChangeResolver {
  /**
   * Who asked for the command that moved the bolt last. The command id comes from the lock's
   * signed status, so it is trusted only for a command of that same lock: a lock cannot name
   * another lock's command to learn who uses it.
   */
  @FieldResolver(() => String, { nullable: true, description: 'The user whose command moved the bolt last (lastChangeSource REMOTE), if known.' })
  async lastChangedBy(@Root() lock: Lock, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    if (!lock.lastCommandId) return null;
    // Batched: a list of locks reads all their commands in one store call.
    const command = await ctx.loaders.commands.load(lock.lastCommandId);
    return command?.deviceId === lock.deviceId ? command.requestedBy : null;
  }
}
