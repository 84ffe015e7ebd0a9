import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import type { AppEvents } from '../events/events.js';
import { filterEvents, startWith, takeWhileAllowed } from '../events/filter-events.js';
import { sessionViewerOf, viewerOf } from '../graphql/auth-checker.js';
import { pageSize, toConnection, type Connection } from '../graphql/connection.js';
import { withCursorErrors } from '../graphql/cursor-errors.js';
import { Command, CommandConnection, commandCursor } from './command.model.js';

const SEND_RULES =
  'The newest request wins: a command of this lock still SENT ends SUPERSEDED. ' +
  'LOCK_OFFLINE (nothing sent) when the lock is unavailable; TOO_MANY_COMMANDS (nothing sent, extensions.retryAfterSeconds) past the per-user, per-lock rate limit.';
const IDEMPOTENCY_KEY =
  'A random key per request (a UUID): repeats with the same key from the same user for the same lock within COMMAND_IDEMPOTENCY_WINDOW answer with the command already sent instead of sending another.';

@Resolver()
export class CommandsResolver {
  @Authorized()
  @Mutation(() => Command, { description: `Sends a signed LOCK. ${SEND_RULES}` })
  async lock(
    @Arg('deviceId', () => ID) deviceId: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY }) idempotencyKey: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Command> {
    return Command.from(await ctx.services.commands.send(viewerOf(ctx), deviceId, 'LOCK', idempotencyKey ?? undefined));
  }

  @Authorized()
  @Mutation(() => Command, { description: `Sends a signed UNLOCK. ${SEND_RULES} For an account with a second factor (authenticator app or passkey), needs a recent proof (STEP_UP_REQUIRED).` })
  async unlock(
    @Arg('deviceId', () => ID) deviceId: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY }) idempotencyKey: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Command> {
    // An account that set up a second factor asked for the stricter door: unlocking needs a recent proof too.
    const viewer = sessionViewerOf(ctx);
    if ((await ctx.services.auth.secondFactorsOf(viewer.user.id)).length > 0) await ctx.services.stepUp.require(viewer);
    return Command.from(await ctx.services.commands.send(viewerOf(ctx), deviceId, 'UNLOCK', idempotencyKey ?? undefined));
  }

  @Authorized()
  @Query(() => Command)
  async command(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Command> {
    return Command.from(await ctx.services.commands.get(viewerOf(ctx), id));
  }

  @Authorized()
  @Query(() => CommandConnection, { description: 'A lock\'s commands, newest first.' })
  async commands(
    @Arg('deviceId', () => ID) deviceId: string,
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<Command>> {
    const page = await withCursorErrors(() =>
      ctx.services.commands.history(viewerOf(ctx), deviceId, { first: pageSize(first), ...(after ? { after } : {}) }),
    );
    return toConnection(page, (c) => Command.from(c), commandCursor);
  }

  @Authorized()
  @Subscription(() => Command, {
    description: 'The command now, then each update (subscribe right after lock/unlock: an ack that came first is not missed).',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { id: string }, GraphQLContext>) => {
      // Subscribe before reading, so no update can fall between the read and the subscription.
      const updates = filterEvents(context.services.events.subscribe('command.updated', args.id), (command) => command.id === args.id);
      const viewer = viewerOf(context);
      try {
        const now = await context.services.commands.get(viewer, args.id); // NOT_FOUND if not theirs
        // Each update re-reads its lock's owner (a reassignment ends the feed, like `command(id)`
        // answers NOT_FOUND): one read per update of one command. The role is not re-read: a
        // changed role closes the socket (http/socket-rights.ts).
        const stillVisible = (command: AppEvents['command.updated']) => context.services.commands.visibleTo(viewer, command);
        return startWith(now, takeWhileAllowed(updates, stillVisible));
      } catch (error) {
        await updates.return?.();
        throw error;
      }
    },
  })
  commandUpdated(@Root() command: AppEvents['command.updated'], @Arg('id', () => ID) _id: string): Command {
    return Command.from(command);
  }
}
