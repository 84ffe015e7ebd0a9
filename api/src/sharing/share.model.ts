import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import type { LockShareRecord, ShareInvitationRecord, StoredAccessRule } from '../store/lock-share-records.js';
import type { LockRecord } from '../store/records.js';
import { shareVerdict } from './share-verdict.js';

export enum ShareRole {
  CO_OWNER = 'CO_OWNER',
  GUEST = 'GUEST',
}
registerEnumType(ShareRole, {
  name: 'ShareRole',
  description: 'CO_OWNER: uses the lock at any time, renames it, changes its settings and time zone, sees its full history and shares. GUEST: uses it only inside the access rule and sees only their own activity on it.',
});

export enum LockRole {
  OWNER = 'OWNER',
  CO_OWNER = 'CO_OWNER',
  GUEST = 'GUEST',
  ADMIN = 'ADMIN',
}
registerEnumType(LockRole, { name: 'LockRole', description: "The viewer's role on a lock. ADMIN: an admin viewing a lock that is neither theirs nor shared with them." });

export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}
registerEnumType(Weekday, { name: 'Weekday' });

/** One definition for what the owner sends and what is shown back (as LockSettings' behaviour does). */
@InputType('WeeklySlotInput')
@ObjectType({ description: "Days and hours on the lock's wall clock (its timeZone): open while the local weekday is in `days` and from <= local time < to." })
export class WeeklySlot {
  @Field(() => [Weekday])
  days: Weekday[];

  @Field({ description: '"HH:MM".' })
  from: string;

  @Field({ description: '"HH:MM", later than `from`; "24:00" is the end of the day. A slot across midnight is two slots.' })
  to: string;
}

@InputType({ description: 'When a GUEST may use the lock (ignored for a CO_OWNER). A window (startsAt <= now < endsAt, either bound optional) and/or a weekly schedule: both must hold when both are given; neither: always.' })
export class ShareAccessInput {
  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => [WeeklySlot], { nullable: true, description: 'At most 28 slots.' })
  weekly?: WeeklySlot[] | null;
}

export function ruleFromInput(input: ShareAccessInput | null | undefined): StoredAccessRule {
  return {
    startsAt: input?.startsAt ?? null,
    endsAt: input?.endsAt ?? null,
    weekly: (input?.weekly ?? []).map((slot) => ({ days: [...slot.days], from: slot.from, to: slot.to })),
  };
}

/**
 * What a share and an invitation both state: which lock, which role, and when (the access rule).
 * Decorated so that both inherit its fields; no field returns it, so it is not in the schema.
 */
@ObjectType()
abstract class ShareTerms {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  deviceId: string;

  @Field(() => ShareRole)
  role: ShareRole;

  @Field(() => Date, { nullable: true })
  startsAt: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt: Date | null;

  @Field(() => [WeeklySlot])
  weekly: WeeklySlot[];
}

type TermsRecord = StoredAccessRule & { id: string; deviceId: string; role: keyof typeof ShareRole };

function termsOf(record: TermsRecord): Pick<ShareTerms, keyof ShareTerms> {
  const weekly = record.weekly.map((slot) => Object.assign(new WeeklySlot(), { days: slot.days.map((d) => Weekday[d]), from: slot.from, to: slot.to }));
  return { id: record.id, deviceId: record.deviceId, role: ShareRole[record.role], startsAt: record.startsAt, endsAt: record.endsAt, weekly };
}

@ObjectType({ description: 'A lock shared with a user.' })
export class LockShare extends ShareTerms {
  @Field({ description: 'Username of the person the lock is shared with.' })
  guest: string;

  @Field()
  createdBy: string;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field({ description: 'GUEST: whether the rule lets them in now; CO_OWNER: true.' })
  allowedNow: boolean;

  @Field(() => Date, { nullable: true, description: 'When not allowed now: the next instant it opens (null: never again).' })
  nextAllowedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When allowed now: the instant it closes (null: no end).' })
  allowedUntil: Date | null;

  /** For the `lock` field (sharing.resolver.ts). */
  lockRecord: LockRecord;

  static from(share: LockShareRecord, lock: LockRecord, now: Date = new Date()): LockShare {
    const verdict = shareVerdict(share, lock, now);
    return Object.assign(new LockShare(), {
      ...termsOf(share),
      guest: share.guest,
      createdBy: share.createdBy,
      createdAt: share.createdAt,
      updatedAt: share.updatedAt,
      allowedNow: verdict.allowed,
      nextAllowedAt: verdict.nextAllowedAt,
      allowedUntil: verdict.allowedUntil,
      lockRecord: lock,
    });
  }
}

@ObjectType({ description: 'A pending invitation to share a lock.' })
export class ShareInvitation extends ShareTerms {
  @Field()
  createdAt: Date;

  @Field()
  expiresAt: Date;

  static from(invitation: ShareInvitationRecord): ShareInvitation {
    return Object.assign(new ShareInvitation(), {
      ...termsOf(invitation),
      createdAt: invitation.createdAt,
      expiresAt: invitation.expiresAt,
    });
  }
}

@ObjectType({ description: 'A new invitation and its link: the link (with its token) is shown only here.' })
export class ShareInvitationLink {
  @Field(() => ShareInvitation)
  invitation: ShareInvitation;

  @Field({ description: '<app origin>/invite#<token>: whoever opens it first (signed in) and accepts gets the share.' })
  link: string;
}
