/**
 * The simulator's side of the GraphQL api: an account to own the simulated locks, their
 * registration, and the credentials file that lets a later run reuse the secrets (the
 * api shows a device secret only once).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_ID_PATTERN } from '../devices/protocol/limits.js';
import { type DeviceCredentials } from './fleet.js';

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A GraphQL error, with the api's `extensions.code` (BAD_USER_INPUT, UNAUTHENTICATED...). */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

async function gql<T>(endpoint: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  }).catch((error: Error) => {
    // fetch says only "fetch failed"; the cause names the real problem (ECONNREFUSED, DNS...).
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    throw new Error(`cannot reach ${endpoint}: ${cause}`);
  });
  const body = (await response.json().catch(() => ({}))) as GraphQLResponse<T>;
  const first = body.errors?.[0];
  if (first) throw new GraphQLRequestError(first.message, first.extensions?.code);
  if (!response.ok || !body.data) throw new GraphQLRequestError(`HTTP ${response.status} from ${endpoint}`, undefined);
  return body.data;
}

export interface Account {
  username: string;
  password: string;
}

/** The default account `sim-<hostname>`, its generated password kept in the state dir (0600). */
export function loadOrCreateAccount(stateDir: string, hostname: string): Account {
  const file = join(stateDir, 'account.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Account;
  const host = hostname.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  const account = { username: `sim-${host}`.slice(0, 32), password: randomBytes(18).toString('base64url') };
  writePrivate(file, JSON.stringify(account, null, 2));
  return account;
}

const AUTH_FIELDS = '(username: $username, password: $password) { accessToken }';

/** Signs in, or signs up when the account does not exist yet. Returns an access token. */
export async function signInOrUp(endpoint: string, account: Account): Promise<string> {
  const variables = { username: account.username, password: account.password };
  try {
    const data = await gql<{ signIn: { accessToken: string } }>(endpoint, `mutation($username: String!, $password: String!) { signIn${AUTH_FIELDS} }`, variables);
    return data.signIn.accessToken;
  } catch (signInError) {
    try {
      const data = await gql<{ signUp: { accessToken: string } }>(endpoint, `mutation($username: String!, $password: String!) { signUp${AUTH_FIELDS} }`, variables);
      return data.signUp.accessToken;
    } catch {
      throw signInError; // the account exists: the sign-in error is the one that explains
    }
  }
}

const REGISTER = `mutation($deviceId: ID!, $name: String!) {
  registerLock(deviceId: $deviceId, name: $name) { deviceSecret mqttUsername mqttPassword lock { deviceId } }
}`;

export interface RegistrationResult {
  devices: DeviceCredentials[];
  skipped: { deviceId: string; reason: string }[];
}

/**
 * Registers `sim-1` … `sim-<count>`. A lock the api already has keeps the secret saved by an
 * earlier run (`known`); without one it is skipped, since its secret cannot be read back.
 */
export async function registerLocks(options: { endpoint: string; token: string; count: number; known: Map<string, string>; concurrency?: number }): Promise<RegistrationResult> {
  const ids = Array.from({ length: options.count }, (_, i) => `sim-${i + 1}`);
  const devices: DeviceCredentials[] = [];
  const skipped: RegistrationResult['skipped'] = [];
  const worker = async (): Promise<void> => {
    for (let deviceId = ids.shift(); deviceId; deviceId = ids.shift()) {
      try {
        const data = await gql<{ registerLock: { deviceSecret: string } }>(options.endpoint, REGISTER, { deviceId, name: `Simulated ${deviceId}` }, options.token);
        devices.push({ deviceId, deviceSecret: data.registerLock.deviceSecret });
      } catch (error) {
        const saved = options.known.get(deviceId);
        if (error instanceof GraphQLRequestError && error.code === 'BAD_USER_INPUT' && saved) devices.push({ deviceId, deviceSecret: saved });
        else skipped.push({ deviceId, reason: (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, options.count)) }, worker));
  devices.sort((a, b) => a.deviceId.localeCompare(b.deviceId, 'en', { numeric: true }));
  return { devices, skipped };
}

/** Reads a credentials file (`[{deviceId, deviceSecret}]`); a missing file is an empty list. */
export function loadCredentials(file: string): DeviceCredentials[] {
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected an array of {deviceId, deviceSecret}`);
  return parsed.map((entry: unknown, index) => {
    const { deviceId, deviceSecret } = (entry ?? {}) as Partial<Record<keyof DeviceCredentials, unknown>>;
    if (typeof deviceId !== 'string' || !DEVICE_ID_PATTERN.test(deviceId) || typeof deviceSecret !== 'string' || !/^[0-9a-f]{64}$/.test(deviceSecret)) {
      throw new Error(`${file}: entry ${index} is not {deviceId, deviceSecret: 64 hex}`);
    }
    return { deviceId, deviceSecret };
  });
}

/** Merges into the file (entries of other runs stay), readable by the owner only. */
export function saveCredentials(file: string, devices: DeviceCredentials[]): void {
  const merged = new Map(loadCredentials(file).map((d) => [d.deviceId, d.deviceSecret]));
  for (const d of devices) merged.set(d.deviceId, d.deviceSecret);
  const list = [...merged].map(([deviceId, deviceSecret]) => ({ deviceId, deviceSecret }));
  writePrivate(file, `${JSON.stringify(list, null, 2)}\n`);
}

/** Write-then-rename with mode 0600, so the secrets are never world-readable, even briefly. */
function writePrivate(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}
