/**
 * Over-the-air secret rotation (docs/protocol.md §13.3) for the owner: start it,
 * and see where it stands. A lock that cannot take it (offline, protocol v1/v2,
 * broker accounts kept by hand, TLS-PSK) gets a new secret to flash
 * instead, with `rotateDeviceSecret`.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { rotationPhase } from '../devices/key-rotation.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { viewerMay } from '../sharing/viewer-access.js';
import { Lock } from './lock.model.js';
import { SecretRotation, SecretRotationState } from './secret-rotation.model.js';

@Resolver(() => Lock)
export class SecretRotationResolver {
  @Authorized()
  @Mutation(() => Lock, {
    description:
      'Changes the device secret of an online protocol v3 lock over the air: the new secret never leaves the server and lock, nothing is flashed, and no crash of either side locks anyone out (audited as lock.secretRotated). BAD_USER_INPUT, naming why, for a lock that cannot (use rotateDeviceSecret then).',
  })
  async rotateDeviceSecretOverTheAir(@Arg('deviceId', () => ID) deviceId: string, @Ctx() ctx: GraphQLContext): Promise<Lock> {
    const viewer = viewerOf(ctx);
    const lock = await ctx.services.locks.get(viewer, deviceId, 'manage');
    return Lock.from(await ctx.services.keyRotation.start(lock, viewer.username));
  }

  @FieldResolver(() => SecretRotation, { nullable: true, description: 'The over-the-air secret rotation under way, or null.' })
  async secretRotation(@Root() lock: Lock, @Ctx() ctx: GraphQLContext): Promise<SecretRotation | null> {
    const record = await ctx.loaders.locks.load(lock.deviceId);
    if (!record || !(await viewerMay(ctx, record, 'manage'))) return null;
    const phase = rotationPhase(record);
    return phase ? Object.assign(new SecretRotation(), { state: SecretRotationState[phase], startedAt: record.rekeyStartedAt }) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why this lock cannot change its secret over the air now (then flash one: rotateDeviceSecret), or null when it can.' })
  async overTheAirRotationUnavailable(@Root() lock: Lock, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    const record = await ctx.loaders.locks.load(lock.deviceId);
    if (!record || !(await viewerMay(ctx, record, 'manage'))) return null;
    return ctx.services.keyRotation.whyNot(record);
  }
}
