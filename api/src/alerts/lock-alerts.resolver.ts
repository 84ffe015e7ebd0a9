import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { Lock } from '../locks/lock.model.js';
import { ALERT_TEXT } from './alert-rules.js';
import { LockAlertKind, LockAlertSettings, LockAlertsInput, LockAlertView } from './lock-alert.model.js';
import { setAlertSettings } from './alert-settings.js';

@Resolver(() => Lock)
export class LockAlertsResolver {
  @FieldResolver(() => [LockAlertView], { description: 'Alerts in force, oldest first; empty when all is well.' })
  alerts(@Root() lock: Lock): LockAlertView[] {
    return lock.alertRecords.map((alert) =>
      Object.assign(new LockAlertView(), { kind: alert.kind as LockAlertKind, message: ALERT_TEXT[alert.kind], since: alert.since }),
    );
  }

  @FieldResolver(() => LockAlertSettings)
  alertSettings(@Root() lock: Lock): LockAlertSettings {
    return Object.assign(new LockAlertSettings(), lock.alertSettingsRecord);
  }

  @Authorized()
  @Mutation(() => Lock, { description: 'Sets when this lock raises its time-based alerts (owner or admin; NOT_FOUND otherwise). Audited.' })
  async setLockAlerts(
    @Arg('deviceId', () => ID) deviceId: string,
    @Arg('alerts', () => LockAlertsInput) input: LockAlertsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Lock> {
    return Lock.from(await setAlertSettings(ctx.services, viewerOf(ctx), deviceId, input));
  }
}
