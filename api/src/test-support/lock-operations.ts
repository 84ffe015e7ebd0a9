/** GraphQL operations and result shapes that several lock tests share. */
import { gql } from './graphql-client.js';

export const LOCK_CHANGED = 'subscription ($d: ID) { lockChanged(deviceId: $d) { deviceId status state online issue lastSeen owner { username } } }';
export const COMMAND_UPDATED = 'subscription ($id: ID!) { commandUpdated(id: $id) { id action state reason completedAt } }';
export const UNLOCK = 'mutation ($d: ID!) { unlock(deviceId: $d) { id state action requestedBy } }';
export const LOCK = 'mutation ($d: ID!) { lock(deviceId: $d) { id state action requestedBy } }';
export const COMMAND = 'query ($id: ID!) { command(id: $id) { id action state reason } }';
export const LOCK_QUERY = 'query ($d: ID!) { lock(deviceId: $d) { status state online issue } }';
/** What `rotateDeviceSecretOverTheAir` answers: SENT, or CONFIRMING when the lock acked before the answer was written (a quick lock on a busy machine). */
export const ROTATION_STARTED: readonly (string | undefined)[] = ['SENT', 'CONFIRMING'];

export interface LockEvent {
  deviceId: string;
  status: string;
  state: string;
  online: boolean;
  issue: string | null;
  owner?: { username: string };
}

export interface CommandView {
  id: string;
  action: string;
  state: string;
  reason: string | null;
}

/** Sends an unlock as the token's holder over HTTP; its command's id (throws with the errors when refused). */
export async function sendUnlock(httpUrl: string, token: string, deviceId: string): Promise<string> {
  const sent = await gql<{ unlock: { id: string } }>(httpUrl, UNLOCK, { d: deviceId }, token);
  const id = sent.data?.unlock.id;
  if (!id) throw new Error(`unlock failed: ${JSON.stringify(sent.errors)}`);
  return id;
}
