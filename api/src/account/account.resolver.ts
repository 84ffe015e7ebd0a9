import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { deleteAccount } from './account-deletion.js';
import { exportAccount } from './account-export.js';

/** Your data (docs/privacy.md): take it with you, or have it erased. */
@Resolver()
export class AccountResolver {
  @Authorized()
  @Query(() => String, {
    description:
      'Everything kept about you, as a JSON document (format "smartlock-export", version 1): your account, your locks, their commands and history, your push registrations, your recovery email address. No secrets: no password hash, no device secrets.',
  })
  async exportMyData(@Ctx() ctx: GraphQLContext): Promise<string> {
    return JSON.stringify(await exportAccount(ctx.services.store, viewerOf(ctx), new Date()), null, 2);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Deletes your account and your locks, ends your sessions, and pseudonymises what others keep (the audit trail, your commands on their locks). Needs your password (BAD_USER_INPUT when wrong; throttled like sign-in). FORBIDDEN for the only admin.',
  })
  async deleteAccount(@Arg('password') password: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    const s = ctx.services;
    await deleteAccount({ store: s.store, hasher: s.hasher, throttle: s.throttle, locks: s.locks, audit: s.audit, events: s.events }, viewerOf(ctx), password, ctx.clientAddress);
    return true;
  }
}
