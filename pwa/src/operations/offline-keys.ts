import { graphql } from '../gql';

// Only the capability and its secret are used: the window, the actions and the user are read from the
// capability itself, which is what the lock checks (docs/protocol.md, BLE offline keys).
export const IssueOfflineKeyDocument = graphql(`
  mutation IssueOfflineKey($lockId: ID!) {
    issueOfflineKey(lockId: $lockId) {
      keyId
      deviceId
      capability
      secret
    }
  }
`);
