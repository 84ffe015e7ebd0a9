/**
 * Schema history, in order. A migration is never edited once shipped: add a
 * new one. `PRAGMA user_version` records how many have been applied.
 * One file past the usual size on purpose: it only grows at the end, and the
 * schema is read as one history, top to bottom.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, sessions, locks, commands, audit',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('USER', 'ADMIN')),
        token_version INTEGER NOT NULL DEFAULT 0,
        created_at    INTEGER NOT NULL
      );

      CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        family_id   TEXT NOT NULL,
        user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash  TEXT NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        rotated_at  INTEGER,
        revoked_at  INTEGER
      );
      CREATE INDEX sessions_family ON sessions(family_id);
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE INDEX sessions_expires ON sessions(expires_at);

      -- Owner by username, as the seed system did; the FK keeps it pointing at a real user.
      CREATE TABLE locks (
        device_id       TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        owner           TEXT NOT NULL REFERENCES users(username) ON UPDATE CASCADE,
        status          TEXT NOT NULL DEFAULT 'UNKNOWN'
                        CHECK (status IN ('LOCKED', 'UNLOCKED', 'JAMMED', 'UNKNOWN')),
        state           TEXT NOT NULL DEFAULT 'UNAVAILABLE' CHECK (state IN ('AVAILABLE', 'UNAVAILABLE')),
        last_seen       INTEGER,
        issue           TEXT,
        battery         REAL,
        power           TEXT CHECK (power IN ('MAINS', 'BATTERY', 'LOW')),
        rssi            INTEGER,
        firmware        TEXT,
        secret_sealed   TEXT NOT NULL,
        command_counter INTEGER NOT NULL DEFAULT 0,
        last_boot       INTEGER NOT NULL DEFAULT 0,
        last_seq        INTEGER NOT NULL DEFAULT 0,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      );
      CREATE INDEX locks_owner ON locks(owner);
      -- Serves the offline sweep: cost follows the stale locks, not the fleet.
      CREATE INDEX locks_state_last_seen ON locks(state, last_seen);

      -- No FK to locks: history must not block removing a lock (removeByDevice clears commands).
      CREATE TABLE commands (
        id           TEXT PRIMARY KEY,
        device_id    TEXT NOT NULL,
        action       TEXT NOT NULL CHECK (action IN ('LOCK', 'UNLOCK')),
        state        TEXT NOT NULL DEFAULT 'SENT'
                     CHECK (state IN ('SENT', 'SUCCEEDED', 'REJECTED', 'FAILED', 'TIMED_OUT')),
        counter      INTEGER NOT NULL,
        requested_by TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        completed_at INTEGER,
        reason       TEXT
      );
      CREATE INDEX commands_device_created ON commands(device_id, created_at, id);
      CREATE INDEX commands_state_created ON commands(state, created_at);

      -- AUTOINCREMENT: ids are never reused, so cursors stay monotonic even after deletes.
      CREATE TABLE audit (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        at        INTEGER NOT NULL,
        actor     TEXT,
        action    TEXT NOT NULL,
        device_id TEXT,
        result    TEXT NOT NULL,
        detail    TEXT
      );
      CREATE INDEX audit_at ON audit(at);
      CREATE INDEX audit_device ON audit(device_id, id);
      CREATE INDEX audit_actor ON audit(actor, id);
    `,
  },
  {
    version: 2,
    description: 'locks.last_ts: the lock clock of the last accepted status',
    sql: `ALTER TABLE locks ADD COLUMN last_ts INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    version: 3,
    description: 'commands: SUPERSEDED state, idempotency keys, counter indexes',
    // SQLite cannot change a CHECK constraint in place: the table is rebuilt (nothing references it).
    sql: `
      CREATE TABLE commands_v3 (
        id              TEXT PRIMARY KEY,
        device_id       TEXT NOT NULL,
        action          TEXT NOT NULL CHECK (action IN ('LOCK', 'UNLOCK')),
        state           TEXT NOT NULL DEFAULT 'SENT'
                        CHECK (state IN ('SENT', 'SUCCEEDED', 'REJECTED', 'FAILED', 'TIMED_OUT', 'SUPERSEDED')),
        counter         INTEGER NOT NULL,
        requested_by    TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        completed_at    INTEGER,
        reason          TEXT,
        -- Set while the command merges repeats of its request; cleared once its window has passed.
        idempotency_key TEXT
      );
      INSERT INTO commands_v3 (id, device_id, action, state, counter, requested_by, created_at, completed_at, reason)
        SELECT id, device_id, action, state, counter, requested_by, created_at, completed_at, reason FROM commands;
      DROP TABLE commands;
      ALTER TABLE commands_v3 RENAME TO commands;
      CREATE INDEX commands_device_created ON commands(device_id, created_at, id);
      CREATE INDEX commands_state_created ON commands(state, created_at);
      -- "Is there a newer command for this lock?" when a command is sent.
      CREATE INDEX commands_device_counter ON commands(device_id, counter);
      -- The lock's pending commands to supersede: only SENT rows, so the cost does not grow with history.
      CREATE INDEX commands_sent_counter ON commands(device_id, counter) WHERE state = 'SENT';
      -- One live holder per key: the atomic step that merges concurrent repeats.
      CREATE UNIQUE INDEX commands_idempotency ON commands(device_id, requested_by, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
    `,
  },
  {
    version: 4,
    description: 'locks: protocol version per lock (hello/welcome), door, bolt motion and the source of the last change (protocol v2)',
    sql: `
      ALTER TABLE locks ADD COLUMN protocol_version INTEGER NOT NULL DEFAULT 1 CHECK (protocol_version IN (1, 2));
      ALTER TABLE locks ADD COLUMN protocol_boot INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE locks ADD COLUMN door TEXT CHECK (door IN ('OPEN', 'CLOSED', 'UNKNOWN'));
      ALTER TABLE locks ADD COLUMN bolt_motion TEXT CHECK (bolt_motion IN ('LOCKING', 'UNLOCKING'));
      ALTER TABLE locks ADD COLUMN last_change_source TEXT CHECK (last_change_source IN ('REMOTE', 'MANUAL', 'AUTO', 'BLE', 'BOOT'));
      ALTER TABLE locks ADD COLUMN last_changed_by TEXT;
    `,
  },
  {
    version: 5,
    description: 'locks: when the bolt or what moved it last changed ("Locked by hand · 2 min ago")',
    sql: `
      ALTER TABLE locks ADD COLUMN last_changed_at INTEGER;
    `,
  },
  {
    version: 6,
    description: 'locks: alerts (door ajar, left unlocked, locked while open, bad signatures): thresholds, since-times and the alerts in force',
    // Door ajar on at 10 minutes by default (a delivery or carrying things in takes less; longer is
    // almost always forgotten); left unlocked off by default (many homes stay unlocked while people are in).
    sql: `
      ALTER TABLE locks ADD COLUMN door_open_since INTEGER;
      ALTER TABLE locks ADD COLUMN unlocked_since INTEGER;
      ALTER TABLE locks ADD COLUMN alert_door_ajar_minutes INTEGER DEFAULT 10 CHECK (alert_door_ajar_minutes > 0);
      ALTER TABLE locks ADD COLUMN alert_unlocked_minutes INTEGER CHECK (alert_unlocked_minutes > 0);
      ALTER TABLE locks ADD COLUMN alerts TEXT NOT NULL DEFAULT '[]';
      -- Open or unlocked before this version: counted from the last change we know of (late, never early).
      UPDATE locks SET door_open_since = updated_at WHERE door = 'OPEN';
      UPDATE locks SET unlocked_since = updated_at WHERE status = 'UNLOCKED';
      -- The alert sweep reads only these (ALERT_CANDIDATES_SQL repeats this condition so the planner can use it).
      CREATE INDEX locks_alert_candidates ON locks(device_id) WHERE door = 'OPEN' OR status = 'UNLOCKED' OR alerts <> '[]';
    `,
  },
  {
    version: 7,
    description: 'lock_settings: the owner\'s wanted lock-side behaviour per lock and whether the lock applied it (protocol v2 cfg)',
    sql: `
      CREATE TABLE lock_settings (
        -- Removing a lock forgets its settings: a lock registered again under the id starts from the defaults.
        device_id       TEXT PRIMARY KEY REFERENCES locks(device_id) ON DELETE CASCADE,
        relock          INTEGER NOT NULL CHECK (relock BETWEEN 0 AND 3600),
        boot            TEXT NOT NULL CHECK (boot IN ('STAY', 'LOCK')),
        lock_open       TEXT NOT NULL CHECK (lock_open IN ('REFUSE', 'ALLOW')),
        revision        INTEGER NOT NULL,
        cfg_id          TEXT,
        applied         INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
        rejected_reason TEXT,
        updated_by      TEXT NOT NULL,
        updated_at      INTEGER NOT NULL,
        applied_at      INTEGER
      );
    `,
  },
  {
    version: 8,
    description: 'locks: tls_required, set at a lock\'s first TLS login (embedded broker); its plain logins are refused from then on',
    sql: `
      ALTER TABLE locks ADD COLUMN tls_required INTEGER NOT NULL DEFAULT 0 CHECK (tls_required IN (0, 1));
    `,
  },
  {
    version: 9,
    description: 'lock_diagnostics: sampled battery, signal, uptime and availability per lock (issue 12 item 13), pruned by DIAGNOSTICS_RETENTION_DAYS',
    sql: `
      CREATE TABLE lock_diagnostics (
        id        INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES locks(device_id) ON DELETE CASCADE,
        at        INTEGER NOT NULL,
        online    INTEGER NOT NULL CHECK (online IN (0, 1)),
        battery   INTEGER,
        rssi      INTEGER,
        uptime    INTEGER,
        boot      INTEGER
      );
      CREATE INDEX lock_diagnostics_device_at ON lock_diagnostics(device_id, at);
      CREATE INDEX lock_diagnostics_at ON lock_diagnostics(at);
    `,
  },
  {
    version: 10,
    description: 'push_subscriptions and push_preferences: web push per user and browser, and what each user wants to be told (per lock and kind)',
    sql: `
      CREATE TABLE push_subscriptions (
        id              TEXT PRIMARY KEY,
        -- Deleting a user forgets their browsers.
        user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        endpoint        TEXT NOT NULL UNIQUE,
        p256dh          TEXT NOT NULL,
        auth            TEXT NOT NULL,
        device_label    TEXT NOT NULL,
        session_id      TEXT,
        created_at      INTEGER NOT NULL,
        last_success_at INTEGER
      );
      CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
      CREATE INDEX push_subscriptions_session ON push_subscriptions(session_id) WHERE session_id IS NOT NULL;
      -- Only choices that differ from the default (on); device_id '' holds account-wide kinds.
      CREATE TABLE push_preferences (
        user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        device_id TEXT NOT NULL,
        kind      TEXT NOT NULL,
        enabled   INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        PRIMARY KEY (user_id, device_id, kind)
      );
      -- Who opted in to a lock's pushes (admins, for locks they do not own).
      CREATE INDEX push_preferences_lock ON push_preferences(device_id, kind) WHERE enabled = 1;
    `,
  },
  {
    version: 11,
    description: 'locks: protocol_version may be 3 (protocol v3); the column is rebuilt because SQLite cannot change a CHECK',
    sql: `
      -- A column CHECK goes with its column: add the new one, copy, drop the old, take its name.
      ALTER TABLE locks ADD COLUMN protocol_version_next INTEGER NOT NULL DEFAULT 1 CHECK (protocol_version_next IN (1, 2, 3));
      UPDATE locks SET protocol_version_next = protocol_version;
      ALTER TABLE locks DROP COLUMN protocol_version;
      ALTER TABLE locks RENAME COLUMN protocol_version_next TO protocol_version;
    `,
  },
  {
    version: 12,
    description: 'locks: over-the-air secret rotation (protocol v3 rekey): the rotation id, the new secret until acked, the old one until the lock proves the new',
    sql: `
      ALTER TABLE locks ADD COLUMN rekey_id TEXT;
      ALTER TABLE locks ADD COLUMN secret_pending_sealed TEXT;
      ALTER TABLE locks ADD COLUMN secret_previous_sealed TEXT;
      ALTER TABLE locks ADD COLUMN rekey_started_at INTEGER;
    `,
  },
  {
    version: 13,
    description: 'firmware_releases, firmware_rollouts, lock_firmware_updates: signed releases, staged rollouts and each lock\'s latest update (issue 13 item 4)',
    sql: `
      CREATE TABLE firmware_releases (
        id        TEXT PRIMARY KEY,
        hw        TEXT NOT NULL,
        version   TEXT NOT NULL,
        arc       INTEGER NOT NULL,
        size      INTEGER NOT NULL,
        sha256    TEXT NOT NULL UNIQUE,
        manifest  TEXT NOT NULL,
        msig      TEXT NOT NULL,
        added_by  TEXT,
        added_at  INTEGER NOT NULL,
        UNIQUE (hw, version)
      );
      CREATE TABLE firmware_rollouts (
        id                  TEXT PRIMARY KEY,
        release_id          TEXT NOT NULL REFERENCES firmware_releases(id),
        stages              TEXT NOT NULL,
        stage_index         INTEGER NOT NULL,
        max_failure_percent INTEGER NOT NULL,
        state               TEXT NOT NULL CHECK (state IN ('RUNNING', 'PAUSED', 'CANCELLED', 'COMPLETED')),
        paused_reason       TEXT,
        started_by          TEXT NOT NULL,
        revision            INTEGER NOT NULL,
        created_at          INTEGER NOT NULL,
        updated_at          INTEGER NOT NULL
      );
      CREATE TABLE lock_firmware_updates (
        device_id       TEXT PRIMARY KEY REFERENCES locks(device_id) ON DELETE CASCADE,
        update_id       TEXT NOT NULL,
        release_id      TEXT NOT NULL REFERENCES firmware_releases(id),
        release_version TEXT NOT NULL,
        rollout_id      TEXT REFERENCES firmware_rollouts(id),
        stage_index     INTEGER NOT NULL,
        state           TEXT NOT NULL,
        reason          TEXT,
        sent_at         INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      );
      CREATE INDEX lock_firmware_updates_rollout ON lock_firmware_updates(rollout_id) WHERE rollout_id IS NOT NULL;
    `,
  },
  {
    version: 14,
    description: 'lock_claims: locks that joined by the code on their box (factory id, a verifier of the claim secret); a removed lock is released',
    sql: `
      CREATE TABLE lock_claims (
        factory_id   TEXT PRIMARY KEY,
        device_id    TEXT NOT NULL UNIQUE REFERENCES locks(device_id) ON DELETE CASCADE,
        verifier     TEXT NOT NULL,
        claimed_by   TEXT NOT NULL,
        claimed_at   INTEGER NOT NULL,
        completed_at INTEGER
      );
    `,
  },
  {
    version: 15,
    description: 'sessions: when the line began, device, address and last proof of identity (sessions list, step-up)',
    sql: `
      -- Null in rows written before: the code reads created_at in their place.
      ALTER TABLE sessions ADD COLUMN family_created_at INTEGER;
      ALTER TABLE sessions ADD COLUMN user_agent TEXT;
      ALTER TABLE sessions ADD COLUMN client_address TEXT;
      ALTER TABLE sessions ADD COLUMN authenticated_at INTEGER;
    `,
  },
  {
    version: 16,
    description: 'user_totp: authenticator app secrets (sealed), the last accepted step, hashed recovery codes',
    sql: `
      CREATE TABLE user_totp (
        user_id         TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        secret_sealed   TEXT NOT NULL,
        confirmed_at    INTEGER,
        last_step       INTEGER NOT NULL DEFAULT 0,
        -- A JSON array of hex SHA-256 hashes.
        recovery_hashes TEXT NOT NULL DEFAULT '[]'
      );
    `,
  },
  {
    version: 17,
    description: 'recovery_tokens (one-time account recovery links, hashed) and user_emails (recovery addresses, verified by a link)',
    sql: `
      -- One row per user: a new link replaces the old one.
      CREATE TABLE recovery_tokens (
        user_id             TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token_hash          TEXT NOT NULL UNIQUE,
        issued_by           TEXT NOT NULL,
        reset_second_factor INTEGER NOT NULL DEFAULT 0,
        created_at          INTEGER NOT NULL,
        expires_at          INTEGER NOT NULL
      );
      CREATE TABLE user_emails (
        user_id           TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        address           TEXT NOT NULL,
        verified_at       INTEGER,
        verify_token_hash TEXT UNIQUE,
        verify_expires_at INTEGER
      );
      CREATE INDEX user_emails_verified_address ON user_emails (address) WHERE verified_at IS NOT NULL;
    `,
  },
  {
    version: 18,
    description: 'lock_transfers: offers of a lock to another user (one OPEN offer per lock), and when a lock last changed hands',
    sql: `
      CREATE TABLE lock_transfers (
        id         TEXT PRIMARY KEY,
        device_id  TEXT NOT NULL REFERENCES locks(device_id) ON DELETE CASCADE,
        from_user  TEXT NOT NULL,
        to_user    TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('OPEN', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'EXPIRED')),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        ended_at   INTEGER
      );
      CREATE UNIQUE INDEX lock_transfers_one_open ON lock_transfers(device_id) WHERE state = 'OPEN';
      CREATE INDEX lock_transfers_to_user ON lock_transfers(to_user, state);
      CREATE INDEX lock_transfers_from_user ON lock_transfers(from_user, state);
    `,
  },
  {
    version: 19,
    description: 'passkeys (WebAuthn credentials) and the WebAuthn challenges already answered',
    sql: `
      CREATE TABLE passkeys (
        id            TEXT PRIMARY KEY,
        user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        credential_id TEXT NOT NULL UNIQUE,
        public_key    TEXT NOT NULL,
        counter       INTEGER NOT NULL DEFAULT 0,
        -- A JSON array of transport names.
        transports    TEXT NOT NULL DEFAULT '[]',
        name          TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        last_used_at  INTEGER
      );
      CREATE INDEX passkeys_by_user ON passkeys (user_id);
      -- Challenges are signed, not stored when issued; an answered one is kept until it expires so
      -- that it is accepted once, by whichever replica sees it first.
      CREATE TABLE webauthn_used_challenges (
        challenge  TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 20,
    description: "lock_shares and share_invitations (guest access), and each lock's time zone (for shares' weekly schedules)",
    sql: `
      ALTER TABLE locks ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
      CREATE TABLE lock_shares (
        id         TEXT PRIMARY KEY,
        device_id  TEXT NOT NULL REFERENCES locks(device_id) ON DELETE CASCADE,
        guest      TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN ('CO_OWNER', 'GUEST')),
        starts_at  INTEGER,
        ends_at    INTEGER,
        -- A JSON array of { days, from, to }.
        weekly     TEXT NOT NULL DEFAULT '[]',
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (device_id, guest)
      );
      CREATE INDEX lock_shares_by_guest ON lock_shares (guest);
      CREATE TABLE share_invitations (
        id         TEXT PRIMARY KEY,
        device_id  TEXT NOT NULL REFERENCES locks(device_id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL CHECK (role IN ('CO_OWNER', 'GUEST')),
        starts_at  INTEGER,
        ends_at    INTEGER,
        weekly     TEXT NOT NULL DEFAULT '[]',
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER,
        used_by    TEXT
      );
      CREATE INDEX share_invitations_by_device ON share_invitations (device_id, used_at);
    `,
  },
  {
    version: 21,
    description: 'indexes for big data (issue 17 item 5): audit by action and by device id without regard to case, locks by owner in device id order',
    // test/query-plans.test.ts holds every page query of locks, auditLog and commands to an index search.
    sql: `
      CREATE INDEX audit_action ON audit(action, id);
      -- Device ids are ASCII (DEVICE_ID_PATTERN), so NOCASE folds them as the auditLog "device" filter does.
      CREATE INDEX audit_device_nocase ON audit(device_id COLLATE NOCASE, id);
      -- Also serves users(username) ON UPDATE CASCADE, as locks_owner did.
      CREATE INDEX locks_owner_device ON locks(owner, device_id);
      DROP INDEX locks_owner;
    `,
  },
  {
    version: 22,
    description: "each lock's announced heartbeat interval (v3 status member hb), which its offline deadline follows",
    sql: `
      ALTER TABLE locks ADD COLUMN heartbeat_s INTEGER CHECK (heartbeat_s BETWEEN 9 AND 300);
    `,
  },
  {
    version: 23,
    description: 'Bluetooth offline keys, the revocation list last sent to each lock, and reported offline uses',
    sql: `
      -- No foreign key to locks: the api forgets a removed lock's keys itself (ble/offline-keys.ts), as with MongoDB.
      CREATE TABLE offline_keys (
        kid        TEXT PRIMARY KEY,
        device_id  TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        act        TEXT NOT NULL CHECK (act IN ('L', 'U', 'LU')),
        nb         INTEGER NOT NULL,
        na         INTEGER NOT NULL,
        revoked_at INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX offline_keys_by_device ON offline_keys (device_id, user_id, na);
      CREATE INDEX offline_keys_by_user ON offline_keys (user_id);
      CREATE TABLE ble_revocation_lists (
        device_id TEXT PRIMARY KEY,
        list_id   TEXT NOT NULL,
        before    INTEGER NOT NULL,
        kids      TEXT NOT NULL,
        sent_at   INTEGER NOT NULL,
        acked_at  INTEGER
      );
      CREATE TABLE offline_key_uses (
        device_id TEXT NOT NULL,
        kid       TEXT NOT NULL,
        op        TEXT NOT NULL,
        at        INTEGER NOT NULL,
        PRIMARY KEY (device_id, kid, op, at)
      );
    `,
  },
  {
    version: 24,
    description: "locks.name_folded: each lock's name folded to lower case (any text), indexed for the auditLog device filter",
    // smartlock_fold is registered before migrating (name-folding.ts); afterwards the api writes the column with the name.
    sql: `
      ALTER TABLE locks ADD COLUMN name_folded TEXT;
      UPDATE locks SET name_folded = smartlock_fold(name);
      CREATE INDEX locks_name_folded ON locks(name_folded, device_id);
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.length;

/**
 * Applies the pending migrations in one IMMEDIATE transaction, so that two
 * processes opening the same file cannot both migrate: the second waits, then
 * re-reads the version and finds nothing to do. Returns the schema version.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    const latest = migrations.length;
    if (current > latest) {
      throw new Error(`database schema version ${current} is newer than this code (${latest})`);
    }
    for (const [index, migration] of migrations.entries()) {
      // user_version counts applied migrations, so versions must be 1, 2, 3… in order.
      if (migration.version !== index + 1) throw new Error(`migration ${index} has version ${migration.version}`);
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      // PRAGMA takes no bound parameters; the version is an integer from this file.
      db.pragma(`user_version = ${migration.version}`);
    }
    return latest;
  });
  return run.immediate();
}
