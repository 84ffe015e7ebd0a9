/**
 * Typegoose classes for the collections, with the seed Flask system's
 * collection and field names so its database reads as is. Fields a seed
 * document may lack are optional here; the mappers give them their defaults
 * (reads are `lean`, so schema defaults would not apply to them).
 */
import 'reflect-metadata';
import { getModelForClass, index, prop, type ReturnModelType } from '@typegoose/typegoose';
import type { Connection, Types } from 'mongoose';

@index({ username: 1 }, { unique: true })
export class UserDoc {
  public _id!: Types.ObjectId;
  @prop({ type: String, required: true }) public username!: string;
  @prop({ type: String }) public password_hash?: string;
  @prop({ type: String }) public role?: string;
  @prop({ type: Number }) public token_version?: number;
  @prop({ type: Date }) public created_at?: Date;
}

@index({ token_hash: 1 }, { unique: true })
@index({ family_id: 1 })
@index({ user_id: 1 })
@index({ expires_at: 1 })
export class SessionDoc {
  public _id!: Types.ObjectId;
  @prop({ type: String, required: true }) public family_id!: string;
  @prop({ type: String, required: true }) public user_id!: string;
  @prop({ type: String, required: true }) public token_hash!: string;
  @prop({ type: Date, required: true }) public created_at!: Date;
  @prop({ type: Date, required: true }) public expires_at!: Date;
  @prop({ type: Date }) public rotated_at?: Date | null;
  @prop({ type: Date }) public revoked_at?: Date | null;
  /** Absent in documents written before the sessions list: created_at stands in. */
  @prop({ type: Date }) public family_created_at?: Date | null;
  @prop({ type: String }) public user_agent?: string | null;
  @prop({ type: String }) public client_address?: string | null;
  @prop({ type: Date }) public authenticated_at?: Date | null;
}

/** `status` holds 'Locked' | 'Unlocked' | 'Jammed' | 'Unknown' and `state` 'Available' | 'Unavailable', as the seed did. */
@index({ device_id: 1 }, { unique: true })
@index({ owner: 1 })
@index({ state: 1, last_seen: 1 })
export class LockDoc {
  public _id!: Types.ObjectId;
  @prop({ type: String, required: true }) public device_id!: string;
  @prop({ type: String }) public name?: string;
  @prop({ type: String }) public owner?: string;
  @prop({ type: String }) public status?: string;
  @prop({ type: String }) public state?: string;
  @prop({ type: Date }) public last_seen?: Date | null;
  @prop({ type: String }) public issue?: string | null;
  @prop({ type: Number }) public battery?: number | null;
  @prop({ type: String }) public power?: string | null;
  @prop({ type: Number }) public heartbeat_s?: number | null;
  @prop({ type: Number }) public rssi?: number | null;
  @prop({ type: String }) public firmware?: string | null;
  @prop({ type: String }) public secret_sealed?: string;
  @prop({ type: Number }) public command_counter?: number;
  @prop({ type: Number }) public last_boot?: number;
  @prop({ type: Number }) public last_seq?: number;
  @prop({ type: Number }) public last_ts?: number;
  @prop({ type: Number }) public protocol_version?: number;
  @prop({ type: Number }) public protocol_boot?: number;
  @prop({ type: Boolean }) public tls_required?: boolean;
  @prop({ type: String }) public rekey_id?: string | null;
  @prop({ type: String }) public secret_pending_sealed?: string | null;
  @prop({ type: String }) public secret_previous_sealed?: string | null;
  @prop({ type: Date }) public rekey_started_at?: Date | null;
  @prop({ type: String }) public door?: string | null;
  @prop({ type: String }) public bolt_motion?: string | null;
  @prop({ type: String }) public last_change_source?: string | null;
  @prop({ type: String }) public last_changed_by?: string | null;
  @prop({ type: Date }) public last_changed_at?: Date | null;
  @prop({ type: Date }) public door_open_since?: Date | null;
  @prop({ type: Date }) public unlocked_since?: Date | null;
  @prop({ type: Number }) public alert_door_ajar_minutes?: number | null;
  @prop({ type: Number }) public alert_unlocked_minutes?: number | null;
  /** Canonical JSON (store/alerts-json.ts): compare-and-set compares it as one string. */
  @prop({ type: String }) public alerts?: string;
  /** Absent on documents from before sharing: read as "UTC". */
  @prop({ type: String }) public time_zone?: string;
  @prop({ type: Date }) public created_at?: Date;
  @prop({ type: Date }) public updated_at?: Date;
}

/** The command id is chosen by the caller, so it is the `_id`. */
@index({ device_id: 1, created_at: -1, _id: -1 })
@index({ state: 1, created_at: 1 })
// Supersession: a lock's pending commands and "is there a newer one?" by counter.
@index({ device_id: 1, counter: 1 })
// One live holder per idempotency key; a released key is null, which the partial filter leaves out.
@index(
  { device_id: 1, requested_by: 1, idempotency_key: 1 },
  { unique: true, partialFilterExpression: { idempotency_key: { $type: 'string' } }, name: 'commands_idempotency' },
)
export class CommandDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public device_id!: string;
  @prop({ type: String, required: true }) public action!: string;
  @prop({ type: String, required: true }) public state!: string;
  @prop({ type: Number, required: true }) public counter!: number;
  @prop({ type: String, required: true }) public requested_by!: string;
  @prop({ type: Date, required: true }) public created_at!: Date;
  @prop({ type: Date }) public completed_at?: Date | null;
  @prop({ type: String }) public reason?: string | null;
  @prop({ type: String }) public idempotency_key?: string | null;
}

/** Audit entries live in `logs`; ObjectIds order them (newest has the highest). */
@index({ at: 1 })
@index({ device_id: 1, _id: -1 })
@index({ actor: 1, _id: -1 })
export class AuditDoc {
  public _id!: Types.ObjectId;
  @prop({ type: Date }) public at?: Date;
  @prop({ type: String }) public actor?: string | null;
  @prop({ type: String }) public action?: string;
  @prop({ type: String }) public device_id?: string | null;
  @prop({ type: String }) public result?: string;
  @prop({ type: String }) public detail?: string | null;
}

/** The owner's wanted lock-side settings; `_id` is the lock's device id (one document per lock). */
export class LockSettingsDoc {
  // A string _id, not an ObjectId: mongoose would otherwise cast the device id and fail.
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: Number, required: true }) public relock!: number;
  @prop({ type: String, required: true }) public boot!: string;
  @prop({ type: String, required: true }) public lock_open!: string;
  @prop({ type: Number, required: true }) public revision!: number;
  @prop({ type: String }) public cfg_id?: string | null;
  @prop({ type: Boolean }) public applied?: boolean;
  @prop({ type: String }) public rejected_reason?: string | null;
  @prop({ type: String, required: true }) public updated_by!: string;
  @prop({ type: Date, required: true }) public updated_at!: Date;
  @prop({ type: Date }) public applied_at?: Date | null;
}

/** Sampled diagnostics per lock; deleted with the lock and by the retention job. */
@index({ device_id: 1, at: -1 })
@index({ at: 1 })
export class LockDiagnosticsDoc {
  public _id!: Types.ObjectId;
  @prop({ type: String, required: true }) public device_id!: string;
  @prop({ type: Date, required: true }) public at!: Date;
  @prop({ type: Boolean, required: true }) public online!: boolean;
  @prop({ type: Number }) public battery?: number | null;
  @prop({ type: Number }) public rssi?: number | null;
  @prop({ type: Number }) public uptime?: number | null;
  @prop({ type: Number }) public boot?: number | null;
}

/** One browser's web push subscription; `_id` a UUID. */
@index({ endpoint: 1 }, { unique: true })
@index({ user_id: 1 })
@index({ session_id: 1 }, { sparse: true })
export class PushSubscriptionDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public user_id!: string;
  @prop({ type: String, required: true }) public endpoint!: string;
  @prop({ type: String, required: true }) public p256dh!: string;
  @prop({ type: String, required: true }) public auth!: string;
  @prop({ type: String, required: true }) public device_label!: string;
  @prop({ type: String }) public session_id?: string | null;
  @prop({ type: Date, required: true }) public created_at!: Date;
  @prop({ type: Date }) public last_success_at?: Date | null;
}

/** A push choice that differs from the default (on); `device_id` '' for account-wide kinds. */
@index({ user_id: 1, device_id: 1, kind: 1 }, { unique: true })
@index({ device_id: 1, kind: 1, enabled: 1 })
export class PushPreferenceDoc {
  public _id!: Types.ObjectId;
  @prop({ type: String, required: true }) public user_id!: string;
  @prop({ type: String, required: false, default: '' }) public device_id!: string;
  @prop({ type: String, required: true }) public kind!: string;
  @prop({ type: Boolean, required: true }) public enabled!: boolean;
}

/** A claimed lock's factory identity: `_id` is the factory id, so a second claim is a duplicate key. */
@index({ device_id: 1 }, { unique: true })
export class LockClaimDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public device_id!: string;
  @prop({ type: String, required: true }) public verifier!: string;
  @prop({ type: String, required: true }) public claimed_by!: string;
  @prop({ type: Date, required: true }) public claimed_at!: Date;
  @prop({ type: Date }) public completed_at?: Date | null;
}

/** An offer of a lock to another user; see LockTransferRecord. One OPEN offer per lock (partial unique index). */
@index({ device_id: 1 }, { unique: true, partialFilterExpression: { state: 'OPEN' } })
@index({ from_user: 1, state: 1 })
@index({ to_user: 1, state: 1 })
export class LockTransferDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public device_id!: string;
  @prop({ type: String, required: true }) public from_user!: string;
  @prop({ type: String, required: true }) public to_user!: string;
  @prop({ type: String, required: true }) public state!: string;
  @prop({ type: Date, required: true }) public created_at!: Date;
  @prop({ type: Date, required: true }) public expires_at!: Date;
  @prop({ type: Date }) public ended_at?: Date | null;
}

/** A lock shared with a user; see LockShareRecord. One per (lock, guest). */
@index({ device_id: 1, guest: 1 }, { unique: true })
@index({ guest: 1 })
export class LockShareDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public device_id!: string;
  @prop({ type: String, required: true }) public guest!: string;
  @prop({ type: String, required: true }) public role!: string;
  @prop({ type: Date }) public starts_at?: Date | null;
  @prop({ type: Date }) public ends_at?: Date | null;
  /** JSON array of { days, from, to }, as in SQLite. */
  @prop({ type: String, required: true }) public weekly!: string;
  @prop({ type: String, required: true }) public created_by!: string;
  @prop({ type: Date, required: true }) public created_at!: Date;
  @prop({ type: Date, required: true }) public updated_at!: Date;
}

/** A Bluetooth offline key; see OfflineKeyRecord (`_id` is the kid). */
@index({ device_id: 1, user_id: 1, na: 1 })
@index({ user_id: 1 })
export class OfflineKeyDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public device_id!: string;
  @prop({ type: String, required: true }) public user_id!: string;
  @prop({ type: String, required: true }) public act!: string;
  @prop({ type: Number, required: true }) public nb!: number;
  @prop({ type: Number, required: true }) public na!: number;
  @prop({ type: Date }) public revoked_at?: Date | null;
  @prop({ type: Date, required: true }) public created_at!: Date;
}

/** The revocation list last sent to a lock (`_id` is the device id); see BleRevocationListRecord. */
export class BleRevocationListDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public list_id!: string;
  @prop({ type: Number, required: true }) public before!: number;
  @prop({ type: String, required: true }) public kids!: string;
  @prop({ type: Date, required: true }) public sent_at!: Date;
  @prop({ type: Date }) public acked_at?: Date | null;
}

/** A reported offline use, once per (lock, kid, op, time): `_id` is `<device>/<kid>.<op>.<at>`. */
@index({ device_id: 1 })
export class OfflineKeyUseDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public device_id!: string;
}

/** An invitation link to share a lock; see ShareInvitationRecord. */
@index({ token_hash: 1 }, { unique: true })
@index({ device_id: 1 })
export class ShareInvitationDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public device_id!: string;
  @prop({ type: String, required: true }) public token_hash!: string;
  @prop({ type: String, required: true }) public role!: string;
  @prop({ type: Date }) public starts_at?: Date | null;
  @prop({ type: Date }) public ends_at?: Date | null;
  @prop({ type: String, required: true }) public weekly!: string;
  @prop({ type: String, required: true }) public created_by!: string;
  @prop({ type: Date, required: true }) public created_at!: Date;
  @prop({ type: Date, required: true }) public expires_at!: Date;
  @prop({ type: Date }) public used_at?: Date | null;
  @prop({ type: String }) public used_by?: string | null;
}

/** A user's authenticator app; see TotpRecord. */
@index({ user_id: 1 }, { unique: true })
export class TotpDoc {
  public _id!: Types.ObjectId;
  @prop({ type: String, required: true }) public user_id!: string;
  @prop({ type: String, required: true }) public secret_sealed!: string;
  @prop({ type: Date }) public confirmed_at?: Date | null;
  @prop({ type: Number, required: true }) public last_step!: number;
  @prop({ type: () => [String], required: true }) public recovery_hashes!: string[];
}

/** A one-time recovery link; see RecoveryTokenRecord. */
@index({ user_id: 1 }, { unique: true })
@index({ token_hash: 1 }, { unique: true })
export class RecoveryTokenDoc {
  public _id!: Types.ObjectId;
  @prop({ type: String, required: true }) public user_id!: string;
  @prop({ type: String, required: true }) public token_hash!: string;
  @prop({ type: String, required: true }) public issued_by!: string;
  @prop({ type: Boolean, required: true }) public reset_second_factor!: boolean;
  @prop({ type: Date, required: true }) public created_at!: Date;
  @prop({ type: Date, required: true }) public expires_at!: Date;
}

/** A user's recovery email address; see UserEmailRecord. */
@index({ user_id: 1 }, { unique: true })
@index({ verify_token_hash: 1 }, { unique: true, sparse: true })
@index({ address: 1 })
export class UserEmailDoc {
  public _id!: Types.ObjectId;
  @prop({ type: String, required: true }) public user_id!: string;
  @prop({ type: String, required: true }) public address!: string;
  @prop({ type: Date }) public verified_at?: Date | null;
  @prop({ type: String }) public verify_token_hash?: string | null;
  @prop({ type: Date }) public verify_expires_at?: Date | null;
}

/** A user's passkey; see PasskeyRecord. */
@index({ credential_id: 1 }, { unique: true })
@index({ user_id: 1, created_at: 1 })
export class PasskeyDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: String, required: true }) public user_id!: string;
  @prop({ type: String, required: true }) public credential_id!: string;
  @prop({ type: String, required: true }) public public_key!: string;
  @prop({ type: Number, required: true }) public counter!: number;
  @prop({ type: () => [String], required: true }) public transports!: string[];
  @prop({ type: String, required: true }) public name!: string;
  @prop({ type: Date, required: true }) public created_at!: Date;
  @prop({ type: Date }) public last_used_at?: Date | null;
}

/** A WebAuthn challenge already answered, kept until it expires (the TTL index then drops it). */
@index({ expires_at: 1 }, { expireAfterSeconds: 0 })
export class UsedWebAuthnChallengeDoc {
  @prop({ type: String, required: true }) public _id!: string;
  @prop({ type: Date, required: true }) public expires_at!: Date;
}

export interface MongoModels {
  users: ReturnModelType<typeof UserDoc>;
  sessions: ReturnModelType<typeof SessionDoc>;
  locks: ReturnModelType<typeof LockDoc>;
  commands: ReturnModelType<typeof CommandDoc>;
  audit: ReturnModelType<typeof AuditDoc>;
  lockSettings: ReturnModelType<typeof LockSettingsDoc>;
  diagnostics: ReturnModelType<typeof LockDiagnosticsDoc>;
  pushSubscriptions: ReturnModelType<typeof PushSubscriptionDoc>;
  pushPreferences: ReturnModelType<typeof PushPreferenceDoc>;
  claims: ReturnModelType<typeof LockClaimDoc>;
  totp: ReturnModelType<typeof TotpDoc>;
  recoveryTokens: ReturnModelType<typeof RecoveryTokenDoc>;
  emails: ReturnModelType<typeof UserEmailDoc>;
  lockTransfers: ReturnModelType<typeof LockTransferDoc>;
  lockShares: ReturnModelType<typeof LockShareDoc>;
  shareInvitations: ReturnModelType<typeof ShareInvitationDoc>;
  passkeys: ReturnModelType<typeof PasskeyDoc>;
  offlineKeys: ReturnModelType<typeof OfflineKeyDoc>;
  bleRevocationLists: ReturnModelType<typeof BleRevocationListDoc>;
  offlineKeyUses: ReturnModelType<typeof OfflineKeyUseDoc>;
  webauthnChallenges: ReturnModelType<typeof UsedWebAuthnChallengeDoc>;
}

/** Builds the models on `connection`; typegoose's global model cache is off so several stores can coexist. */
export function createModels(connection: Connection): MongoModels {
  const model = <T extends new () => object>(cl: T, collection: string) =>
    getModelForClass(cl, {
      existingConnection: connection,
      // No `__v`: documents keep the seed system's shape. No autoIndex: mongo-indexes.ts creates
      // them one by one, so that a seed database's own conflicting index is reported, not fatal.
      schemaOptions: { collection, versionKey: false, autoIndex: false },
      options: { disableCaching: true },
    });
  return {
    users: model(UserDoc, 'users'),
    sessions: model(SessionDoc, 'sessions'),
    locks: model(LockDoc, 'locks'),
    commands: model(CommandDoc, 'commands'),
    audit: model(AuditDoc, 'logs'),
    lockSettings: model(LockSettingsDoc, 'lock_settings'),
    diagnostics: model(LockDiagnosticsDoc, 'lock_diagnostics'),
    pushSubscriptions: model(PushSubscriptionDoc, 'push_subscriptions'),
    pushPreferences: model(PushPreferenceDoc, 'push_preferences'),
    claims: model(LockClaimDoc, 'lock_claims'),
    totp: model(TotpDoc, 'user_totp'),
    recoveryTokens: model(RecoveryTokenDoc, 'recovery_tokens'),
    emails: model(UserEmailDoc, 'user_emails'),
    lockTransfers: model(LockTransferDoc, 'lock_transfers'),
    lockShares: model(LockShareDoc, 'lock_shares'),
    shareInvitations: model(ShareInvitationDoc, 'share_invitations'),
    passkeys: model(PasskeyDoc, 'passkeys'),
    offlineKeys: model(OfflineKeyDoc, 'offline_keys'),
    bleRevocationLists: model(BleRevocationListDoc, 'ble_revocation_lists'),
    offlineKeyUses: model(OfflineKeyUseDoc, 'offline_key_uses'),
    webauthnChallenges: model(UsedWebAuthnChallengeDoc, 'webauthn_used_challenges'),
  };
}
