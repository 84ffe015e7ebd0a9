import { graphql } from '../gql';

export const SessionsDocument = graphql(`
  query Sessions {
    sessions {
      id
      createdAt
      lastUsedAt
      device
      clientAddress
      current
    }
  }
`);

export const EndSessionDocument = graphql(`
  mutation EndSession($id: ID!) {
    endSession(id: $id)
  }
`);

export const ChangePasswordDocument = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

export const ReauthenticateDocument = graphql(`
  mutation Reauthenticate($password: String!) {
    reauthenticate(password: $password)
  }
`);

export const ReauthenticateWithCodeDocument = graphql(`
  mutation ReauthenticateWithCode($code: String!) {
    reauthenticate(code: $code)
  }
`);

export const TwoFactorDocument = graphql(`
  query TwoFactor {
    twoFactor {
      totpEnabled
      recoveryCodesLeft
    }
  }
`);

export const BeginTotpEnrollmentDocument = graphql(`
  mutation BeginTotpEnrollment {
    beginTotpEnrollment {
      secret
      otpauthUri
    }
  }
`);

export const ConfirmTotpEnrollmentDocument = graphql(`
  mutation ConfirmTotpEnrollment($code: String!) {
    confirmTotpEnrollment(code: $code)
  }
`);

export const DisableTotpDocument = graphql(`
  mutation DisableTotp {
    disableTotp
  }
`);

export const ExportMyDataDocument = graphql(`
  query ExportMyData {
    exportMyData
  }
`);

export const DeleteAccountDocument = graphql(`
  mutation DeleteAccount($password: String!) {
    deleteAccount(password: $password)
  }
`);

export const PasskeysDocument = graphql(`
  query Passkeys {
    passkeys {
      id
      name
      createdAt
      lastUsedAt
    }
  }
`);

export const PasskeyRegistrationOptionsDocument = graphql(`
  mutation PasskeyRegistrationOptions {
    passkeyRegistrationOptions
  }
`);

export const AddPasskeyDocument = graphql(`
  mutation AddPasskey($response: String!, $name: String!) {
    addPasskey(response: $response, name: $name) {
      id
    }
  }
`);

export const RenamePasskeyDocument = graphql(`
  mutation RenamePasskey($id: ID!, $name: String!) {
    renamePasskey(id: $id, name: $name) {
      id
      name
    }
  }
`);

export const RemovePasskeyDocument = graphql(`
  mutation RemovePasskey($id: ID!) {
    removePasskey(id: $id)
  }
`);

export const PasskeyReauthenticationOptionsDocument = graphql(`
  mutation PasskeyReauthenticationOptions {
    passkeyReauthenticationOptions
  }
`);

export const ReauthenticateWithPasskeyDocument = graphql(`
  mutation ReauthenticateWithPasskey($passkeyResponse: String!) {
    reauthenticate(passkeyResponse: $passkeyResponse)
  }
`);
