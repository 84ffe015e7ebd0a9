import { graphql } from '../gql';

export const EmailRecoveryAvailableDocument = graphql(`
  query EmailRecoveryAvailable {
    emailRecoveryAvailable
  }
`);

export const RequestAccountRecoveryDocument = graphql(`
  mutation RequestAccountRecovery($usernameOrEmail: String!) {
    requestAccountRecovery(usernameOrEmail: $usernameOrEmail)
  }
`);

export const RecoverAccountDocument = graphql(`
  mutation RecoverAccount($token: String!, $newPassword: String!) {
    recoverAccount(token: $token, newPassword: $newPassword) {
      ...SessionFields
    }
  }
`);

export const VerifyRecoveryEmailDocument = graphql(`
  mutation VerifyRecoveryEmail($token: String!) {
    verifyRecoveryEmail(token: $token) {
      address
      verified
    }
  }
`);

export const RecoveryEmailDocument = graphql(`
  query RecoveryEmail {
    recoveryEmail {
      address
      verified
    }
    emailRecoveryAvailable
  }
`);

export const SetRecoveryEmailDocument = graphql(`
  mutation SetRecoveryEmail($address: String!) {
    setRecoveryEmail(address: $address) {
      address
      verified
    }
  }
`);

export const RemoveRecoveryEmailDocument = graphql(`
  mutation RemoveRecoveryEmail {
    removeRecoveryEmail
  }
`);
