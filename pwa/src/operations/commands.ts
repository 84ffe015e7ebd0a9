import { graphql } from '../gql';

export const CommandFieldsFragment = graphql(`
  fragment CommandFields on Command {
    id
    deviceId
    action
    state
    reason
    createdAt
    completedAt
  }
`);

export const LockCommandDocument = graphql(`
  mutation LockCommand($deviceId: ID!, $idempotencyKey: String) {
    lock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {
      ...CommandFields
    }
  }
`);

export const UnlockCommandDocument = graphql(`
  mutation UnlockCommand($deviceId: ID!, $idempotencyKey: String) {
    unlock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {
      ...CommandFields
    }
  }
`);

export const CommandDocument = graphql(`
  query Command($id: ID!) {
    command(id: $id) {
      ...CommandFields
    }
  }
`);

export const CommandUpdatedDocument = graphql(`
  subscription CommandUpdated($id: ID!) {
    commandUpdated(id: $id) {
      ...CommandFields
    }
  }
`);
