/** A lock's audit trail as text, oldest first, for a failing test's message: when it went online, offline, was commanded. */
import { gql } from './graphql-client.js';

const TRAIL = 'query ($d: ID!) { auditLog(filter: { deviceId: $d }, first: 100) { edges { node { at action result detail } } } }';

interface TrailEntry {
  at: string;
  action: string;
  result: string;
  detail: string | null;
}

export async function auditTrail(httpUrl: string, token: string, deviceId: string): Promise<string> {
  const answer = await gql<{ auditLog: { edges: { node: TrailEntry }[] } }>(httpUrl, TRAIL, { d: deviceId }, token);
  const entries = (answer.data?.auditLog.edges ?? []).map(({ node }) => `${node.at} ${node.action} ${node.result}${node.detail === null ? '' : ` (${node.detail})`}`);
  return `\n--- audit trail\n${entries.reverse().join('\n')}`;
}
