/**
 * What the run does with each operation: which folder and in what order, what it
 * must answer, what it saves for later requests. Keyed by operation name (the app's,
 * or the field's name in PascalCase for a generated one). An operation missing here
 * (a field added to the schema later) still gets a request, checked only for a
 * GraphQL answer without an internal error.
 */
import type { JsonValue } from './sample-variables.js';

export type Outcome =
  /** Data and no errors. */
  | { kind: 'succeeds' }
  /** Errors, every one with one of these codes: what a fresh USER account without a lock on line gets. */
  | { kind: 'refused'; codes: readonly string[] }
  /** Data, or errors with only these codes: for answers that depend on the server's configuration. */
  | { kind: 'succeedsOrRefused'; codes: readonly string[] }
  /** Data or errors, never INTERNAL_SERVER_ERROR (operations the plan does not know yet). */
  | { kind: 'answers' };

export interface RequestPlan {
  outcome: Outcome;
  /** Variable values by variable name, over the sampled ones. */
  variables?: Record<string, JsonValue>;
  /** Sent without the Authorization header. */
  anonymous?: boolean;
  /** Pre-request script lines. */
  prerequest?: string[];
  /** Fields added to the selection of the operation's root field (what the app does not ask for but the run needs). */
  alsoSelect?: string[];
  /** Environment keys set from the response data on success, as a path into `data`. */
  saves?: Record<string, string>;
  /** Test script lines run after a successful response. */
  afterSuccess?: string[];
}

const succeeds: Outcome = { kind: 'succeeds' };
const refused = (...codes: string[]): Outcome => ({ kind: 'refused', codes });
const FORBIDDEN_FOR_A_USER = refused('FORBIDDEN');

/** Folders in run order; the named operations run first, in this order (names may repeat). */
export const FOLDERS: readonly { name: string; description: string; operations: readonly string[] }[] = [
  {
    name: 'Auth',
    description: 'Signs up a new account (random username), signs in and saves the access token to the environment.',
    operations: ['SignUp', 'SignIn', 'Me', 'Reauthenticate', 'RefreshSession'],
  },
  {
    name: 'Locks',
    description: 'Registers a lock (random device id, saved as deviceId) and uses it. No lock is on line, so commands answer LOCK_OFFLINE.',
    operations: ['RegisterLock', 'Locks', 'LockConnection', 'LockDiagnostics', 'LockFirmwareUpdate', 'SecretRotation', 'Commands', 'RenameLock', 'SetLockSettings', 'SetLockAlerts', 'LockCommand', 'UnlockCommand', 'RotateDeviceSecret', 'SetLockTimeZone', 'CreateShareInvitation', 'ShareInvitations', 'CancelShareInvitation', 'LockShares', 'ShareLock', 'UpdateShare', 'RevokeShare', 'AcceptShareInvitation', 'IssueOfflineKey', 'RevokeOfflineKeys'],
  },
  { name: 'Queries', description: 'Every other query.', operations: [] },
  { name: 'Mutations', description: 'Every other mutation. Those that need state this run cannot make (an admin, a second factor, a claim code, an offer) must be refused with the documented code.', operations: [] },
  {
    name: 'Ending the session',
    description: 'Operations that end sessions or the account, last so the rest of the run keeps its token.',
    operations: ['RemoveLock', 'ChangePassword', 'SignOut', 'SignOutEverywhere', 'SignIn', 'DeleteAccount'],
  },
];

export const QUERIES_FOLDER = 'Queries';
export const MUTATIONS_FOLDER = 'Mutations';

const session = (field: string): Record<string, string> => ({ token: `${field}.accessToken`, refreshToken: `${field}.refreshToken` });

export const PLANS: Readonly<Record<string, RequestPlan>> = {
  // Auth
  SignUp: {
    outcome: succeeds,
    anonymous: true,
    prerequest: ["pm.environment.set('username', 'postman-' + pm.variables.replaceIn('{{$randomUUID}}').slice(0, 8));"],
    // The app keeps refresh tokens in an HttpOnly cookie; an API client takes them from the answer.
    alsoSelect: ['refreshToken'],
    // Its refresh token is the one SignOut ends (a session the run no longer uses).
    saves: { token: 'signUp.accessToken', signUpRefreshToken: 'signUp.refreshToken' },
  },
  SignIn: { outcome: succeeds, anonymous: true, alsoSelect: ['refreshToken'], saves: session('signIn') },
  Me: { outcome: succeeds },
  Reauthenticate: { outcome: succeeds },
  RefreshSession: { outcome: succeeds, saves: session('refreshSession') },
  // Locks
  RegisterLock: {
    outcome: succeeds,
    prerequest: ["pm.environment.set('deviceId', 'postman-' + pm.variables.replaceIn('{{$randomUUID}}').slice(0, 8));"],
  },
  Locks: { outcome: succeeds },
  LockConnection: { outcome: succeeds },
  LockDiagnostics: { outcome: succeeds },
  LockFirmwareUpdate: { outcome: succeeds },
  SecretRotation: { outcome: succeeds },
  Commands: { outcome: succeeds },
  RenameLock: { outcome: succeeds, variables: { name: 'Postman front door' } },
  SetLockSettings: { outcome: succeeds },
  SetLockAlerts: { outcome: succeeds, variables: { alerts: { unlockedMinutes: 30 } } },
  LockCommand: { outcome: refused('LOCK_OFFLINE') },
  UnlockCommand: { outcome: refused('LOCK_OFFLINE') },
  RotateDeviceSecret: { outcome: succeeds },
  RotateSecretOverTheAir: { outcome: refused('BAD_USER_INPUT') },
  // Sharing: one account can make an invitation and take it back; sharing needs a second user.
  SetLockTimeZone: { outcome: succeeds, variables: { timeZone: 'Europe/Berlin' } },
  CreateShareInvitation: {
    outcome: succeeds,
    variables: { role: 'GUEST', access: { weekly: [{ days: ['SATURDAY', 'SUNDAY'], from: '09:00', to: '18:00' }] }, expiresInHours: 24 },
    saves: { invitationId: 'createShareInvitation.invitation.id' },
  },
  ShareInvitations: { outcome: succeeds },
  CancelShareInvitation: { outcome: succeeds, variables: { invitationId: '{{invitationId}}' } },
  LockShares: { outcome: succeeds },
  ShareLock: { outcome: refused('BAD_USER_INPUT'), variables: { username: 'postman-nobody', role: 'GUEST' } },
  UpdateShare: { outcome: refused('NOT_FOUND'), variables: { role: 'GUEST' } },
  RevokeShare: { outcome: refused('NOT_FOUND') },
  AcceptShareInvitation: { outcome: refused('BAD_USER_INPUT'), variables: { token: 'not-an-invitation' } },
  // Bluetooth offline keys: the run's lock never said hello, so it is not a v3 lock and gets no key.
  IssueOfflineKey: { outcome: refused('BAD_USER_INPUT'), variables: { lockId: '{{deviceId}}' } },
  RevokeOfflineKeys: { outcome: succeeds, variables: { lockId: '{{deviceId}}', keyId: null } },
  ClaimLock: { outcome: refused('BAD_USER_INPUT'), variables: { code: 'NOT-A-CODE' } },
  ReassignLock: { outcome: FORBIDDEN_FOR_A_USER },
  Command: { outcome: refused('NOT_FOUND') },
  OfferLockTransfer: { outcome: refused('BAD_USER_INPUT') },
  CancelLockTransfer: { outcome: refused('NOT_FOUND') },
  DeclineLockTransfer: { outcome: refused('NOT_FOUND') },
  AcceptLockTransfer: { outcome: refused('NOT_FOUND') },
  // Queries
  Sessions: { outcome: succeeds },
  TwoFactor: { outcome: succeeds },
  ExportMyData: { outcome: succeeds },
  Passkeys: { outcome: succeeds },
  AuditLog: { outcome: succeeds },
  LockTransferOffers: { outcome: succeeds },
  VapidPublicKey: { outcome: succeeds },
  PushPreferences: { outcome: succeeds },
  PushDevices: { outcome: succeeds },
  EmailRecoveryAvailable: { outcome: succeeds },
  RecoveryEmail: { outcome: succeeds },
  FirmwareOverview: { outcome: FORBIDDEN_FOR_A_USER },
  Users: { outcome: FORBIDDEN_FOR_A_USER },
  // Mutations
  EndSession: { outcome: refused('NOT_FOUND') },
  ReauthenticateWithCode: { outcome: refused('BAD_USER_INPUT') },
  BeginTotpEnrollment: { outcome: succeeds },
  ConfirmTotpEnrollment: { outcome: refused('BAD_USER_INPUT') },
  PasskeyRegistrationOptions: { outcome: succeeds },
  AddPasskey: { outcome: refused('BAD_USER_INPUT') },
  RenamePasskey: { outcome: refused('NOT_FOUND') },
  RemovePasskey: { outcome: refused('NOT_FOUND') },
  ReauthenticateWithPasskey: { outcome: refused('BAD_USER_INPUT') },
  PasskeySignInOptions: { outcome: succeeds },
  SignInWithPasskey: { outcome: refused('UNAUTHENTICATED') },
  SignInSecondFactor: { outcome: refused('BAD_USER_INPUT', 'UNAUTHENTICATED') },
  PasskeySecondFactorOptions: { outcome: refused('BAD_USER_INPUT', 'UNAUTHENTICATED') },
  SignInSecondFactorWithPasskey: { outcome: refused('BAD_USER_INPUT', 'UNAUTHENTICATED') },
  StartFirmwareRollout: { outcome: FORBIDDEN_FOR_A_USER },
  PauseFirmwareRollout: { outcome: FORBIDDEN_FOR_A_USER },
  ResumeFirmwareRollout: { outcome: FORBIDDEN_FOR_A_USER },
  CancelFirmwareRollout: { outcome: FORBIDDEN_FOR_A_USER },
  SubscribePush: { outcome: refused('BAD_USER_INPUT') },
  UnsubscribePush: { outcome: succeeds },
  DisableTotp: { outcome: succeeds },
  PasskeyReauthenticationOptions: { outcome: succeeds },
  RemoveRecoveryEmail: { outcome: succeeds },
  SetPushPreference: { outcome: succeeds },
  // Both refused (BAD_USER_INPUT) by a server without SMTP_URL, which cannot mail a link.
  RequestAccountRecovery: { outcome: { kind: 'succeedsOrRefused', codes: ['BAD_USER_INPUT'] } },
  SetRecoveryEmail: { outcome: { kind: 'succeedsOrRefused', codes: ['BAD_USER_INPUT'] } },
  RecoverAccount: { outcome: refused('BAD_USER_INPUT') },
  VerifyRecoveryEmail: { outcome: refused('BAD_USER_INPUT') },
  SetUserRole: { outcome: FORBIDDEN_FOR_A_USER },
  // Ending the session
  RemoveLock: { outcome: succeeds },
  // Swaps the two, so a second run in the Postman app (which keeps the environment) works the same.
  ChangePassword: {
    outcome: succeeds,
    afterSuccess: ["var previous = pm.environment.get('password');", "pm.environment.set('password', pm.environment.get('newPassword'));", "pm.environment.set('newPassword', previous);"],
  },
  SignOut: { outcome: succeeds, variables: { refreshToken: '{{signUpRefreshToken}}' } },
  SignOutEverywhere: { outcome: succeeds },
  DeleteAccount: { outcome: succeeds },
};

export const UNPLANNED: RequestPlan = { outcome: { kind: 'answers' } };
