import type { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/events.js';
import { ForbiddenError, NotFoundError } from '../errors/graphql-errors.js';
import type { Store } from '../store/ports.js';
import type { Role, UserRecord } from '../store/records.js';
import { normalizeUsername } from './credentials.js';
import { estimateStrength } from './password-strength.js';
import type { PasswordHasher } from './password.js';

export class UsersService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditService,
    /** For `user.rightsChanged`, which closes the user's open sockets. */
    private readonly events: EventBus,
  ) {}

  list(): Promise<UserRecord[]> {
    return this.store.users.list();
  }

  /** Admins change other people's roles; nobody changes their own (no self-promotion, no last-admin lockout). */
  async setRole(actor: UserRecord, rawUsername: string, role: Role): Promise<UserRecord> {
    const username = normalizeUsername(rawUsername);
    if (username === actor.username) throw new ForbiddenError('You cannot change your own role.');
    const before = await this.store.users.findByUsername(username);
    if (!before) throw new NotFoundError(`User "${username}"`);
    const updated = await this.store.users.setRole(username, role);
    if (!updated) throw new NotFoundError(`User "${username}"`);
    if (before.role !== role) this.events.publish('user.rightsChanged', { userId: updated.id, reason: 'roleChanged' });
    await this.audit.record({
      actor: actor.username,
      action: 'user.setRole',
      deviceId: null,
      result: 'ok',
      detail: `${username}: ${before.role} → ${role}`,
    });
    return updated;
  }

  /**
   * Start-up bootstrap (ADMIN_USERNAME/ADMIN_PASSWORD): creates the admin if
   * missing, or makes an existing user an admin. An existing password is kept,
   * so rotating the env value does not silently reset it.
   */
  async ensureAdmin(rawUsername: string, password: string, hasher: PasswordHasher): Promise<'created' | 'promoted' | 'unchanged'> {
    const username = normalizeUsername(rawUsername);
    const existing = await this.store.users.findByUsername(username);
    if (!existing) {
      const { strong, warning } = await estimateStrength(password, [username]);
      if (!strong) throw new Error(`ADMIN_PASSWORD: too easy to guess${warning ? ` (${warning})` : ''}; use a few unrelated words or a generated password`);
      await this.store.users.create({ username, passwordHash: await hasher.hash(password), role: 'ADMIN' });
      await this.audit.record({ actor: null, action: 'user.bootstrapAdmin', deviceId: null, result: 'created', detail: username });
      return 'created';
    }
    if (existing.role === 'ADMIN') return 'unchanged';
    await this.store.users.setRole(username, 'ADMIN');
    this.events.publish('user.rightsChanged', { userId: existing.id, reason: 'roleChanged' });
    await this.audit.record({ actor: null, action: 'user.setRole', deviceId: null, result: 'ok', detail: `${username}: ${existing.role} → ADMIN (bootstrap)` });
    return 'promoted';
  }
}
