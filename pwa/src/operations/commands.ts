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
  mutation LockCommand($deviceId: ID!) {
    lock(deviceId: $deviceId) {
      ...CommandFields
    }
  }
`);

export const UnlockCommandDocument = graphql(`
  mutation UnlockCommand($deviceId: ID!) {
    unlock(deviceId: $deviceId) {
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
