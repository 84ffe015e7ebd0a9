/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Sessions {\n    sessions {\n      id\n      createdAt\n      lastUsedAt\n      device\n      clientAddress\n      current\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n": typeof types.EndSessionDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation Reauthenticate($password: String!) {\n    reauthenticate(password: $password)\n  }\n": typeof types.ReauthenticateDocument,
    "\n  mutation ReauthenticateWithCode($code: String!) {\n    reauthenticate(code: $code)\n  }\n": typeof types.ReauthenticateWithCodeDocument,
    "\n  query TwoFactor {\n    twoFactor {\n      totpEnabled\n      recoveryCodesLeft\n    }\n  }\n": typeof types.TwoFactorDocument,
    "\n  mutation BeginTotpEnrollment {\n    beginTotpEnrollment {\n      secret\n      otpauthUri\n    }\n  }\n": typeof types.BeginTotpEnrollmentDocument,
    "\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code)\n  }\n": typeof types.ConfirmTotpEnrollmentDocument,
    "\n  mutation DisableTotp {\n    disableTotp\n  }\n": typeof types.DisableTotpDocument,
    "\n  query ExportMyData {\n    exportMyData\n  }\n": typeof types.ExportMyDataDocument,
    "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n": typeof types.DeleteAccountDocument,
    "\n  query Passkeys {\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n    }\n  }\n": typeof types.PasskeysDocument,
    "\n  mutation PasskeyRegistrationOptions {\n    passkeyRegistrationOptions\n  }\n": typeof types.PasskeyRegistrationOptionsDocument,
    "\n  mutation AddPasskey($response: String!, $name: String!) {\n    addPasskey(response: $response, name: $name) {\n      id\n    }\n  }\n": typeof types.AddPasskeyDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n": typeof types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n": typeof types.RemovePasskeyDocument,
    "\n  mutation PasskeyReauthenticationOptions {\n    passkeyReauthenticationOptions\n  }\n": typeof types.PasskeyReauthenticationOptionsDocument,
    "\n  mutation ReauthenticateWithPasskey($passkeyResponse: String!) {\n    reauthenticate(passkeyResponse: $passkeyResponse)\n  }\n": typeof types.ReauthenticateWithPasskeyDocument,
    "\n  fragment AuditFields on AuditEntry {\n    id\n    at\n    actor\n    action\n    deviceId\n    result\n    detail\n  }\n": typeof types.AuditFieldsFragmentDoc,
    "\n  query AuditLog($filter: AuditFilterInput, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          ...AuditFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  subscription AuditAppended {\n    auditAppended {\n      ...AuditFields\n    }\n  }\n": typeof types.AuditAppendedDocument,
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    expiresAt\n    user {\n      id\n      username\n      role\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation SignInSecondFactor($challenge: String!, $code: String!) {\n    signInSecondFactor(challenge: $challenge, code: $code) {\n      ...SessionFields\n    }\n  }\n": typeof types.SignInSecondFactorDocument,
    "\n  mutation PasskeySignInOptions($username: String) {\n    passkeySignInOptions(username: $username)\n  }\n": typeof types.PasskeySignInOptionsDocument,
    "\n  mutation SignInWithPasskey($response: String!) {\n    signInWithPasskey(response: $response) {\n      ...SessionFields\n    }\n  }\n": typeof types.SignInWithPasskeyDocument,
    "\n  mutation PasskeySecondFactorOptions($challenge: String!) {\n    passkeySecondFactorOptions(challenge: $challenge)\n  }\n": typeof types.PasskeySecondFactorOptionsDocument,
    "\n  mutation SignInSecondFactorWithPasskey($challenge: String!, $response: String!) {\n    signInSecondFactorWithPasskey(challenge: $challenge, response: $response) {\n      ...SessionFields\n    }\n  }\n": typeof types.SignInSecondFactorWithPasskeyDocument,
    "\n  fragment CommandFields on Command {\n    id\n    deviceId\n    action\n    state\n    reason\n    createdAt\n    completedAt\n  }\n": typeof types.CommandFieldsFragmentDoc,
    "\n  mutation LockCommand($deviceId: ID!, $idempotencyKey: String) {\n    lock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {\n      ...CommandFields\n    }\n  }\n": typeof types.LockCommandDocument,
    "\n  mutation UnlockCommand($deviceId: ID!, $idempotencyKey: String) {\n    unlock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {\n      ...CommandFields\n    }\n  }\n": typeof types.UnlockCommandDocument,
    "\n  query Command($id: ID!) {\n    command(id: $id) {\n      ...CommandFields\n    }\n  }\n": typeof types.CommandDocument,
    "\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) {\n      ...CommandFields\n    }\n  }\n": typeof types.CommandUpdatedDocument,
    "\n  query LockDiagnostics($deviceId: ID!, $range: DiagnosticsRange!) {\n    lock(deviceId: $deviceId) {\n      deviceId\n      diagnostics(range: $range) {\n        range\n        from\n        to\n        uptime\n        firmware\n        battery\n        rssi\n        points {\n          at\n          online\n          battery\n          rssi\n        }\n      }\n    }\n  }\n": typeof types.LockDiagnosticsDocument,
    "\n  fragment FirmwareRolloutFields on FirmwareRollout {\n    id\n    state\n    stages\n    stageIndex\n    maxFailurePercent\n    pausedReason\n    startedBy\n    createdAt\n    release {\n      id\n      version\n      hw\n    }\n    stageCounts {\n      stage\n      percent\n      sent\n      inProgress\n      confirmed\n      failed\n    }\n    locks {\n      deviceId\n      stage\n      state\n      reason\n    }\n  }\n": typeof types.FirmwareRolloutFieldsFragmentDoc,
    "\n  query FirmwareOverview {\n    firmwareReleases {\n      id\n      hw\n      version\n      arc\n      size\n      sha256\n      addedAt\n    }\n    firmwareRollouts {\n      ...FirmwareRolloutFields\n    }\n  }\n": typeof types.FirmwareOverviewDocument,
    "\n  mutation StartFirmwareRollout($releaseId: ID!, $stages: [Int!]!, $maxFailurePercent: Int!) {\n    startFirmwareRollout(releaseId: $releaseId, stages: $stages, maxFailurePercent: $maxFailurePercent) {\n      ...FirmwareRolloutFields\n    }\n  }\n": typeof types.StartFirmwareRolloutDocument,
    "\n  mutation PauseFirmwareRollout($id: ID!) {\n    pauseFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n": typeof types.PauseFirmwareRolloutDocument,
    "\n  mutation ResumeFirmwareRollout($id: ID!) {\n    resumeFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n": typeof types.ResumeFirmwareRolloutDocument,
    "\n  mutation CancelFirmwareRollout($id: ID!) {\n    cancelFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n": typeof types.CancelFirmwareRolloutDocument,
    "\n  query LockFirmwareUpdate($deviceId: ID!) {\n    lock(deviceId: $deviceId) {\n      deviceId\n      firmware\n      firmwareUpdate {\n        releaseVersion\n        state\n        reason\n        updatedAt\n      }\n    }\n  }\n": typeof types.LockFirmwareUpdateDocument,
    "\n  subscription Resync {\n    resync {\n      reason\n      at\n    }\n  }\n": typeof types.ResyncDocument,
    "\n  fragment TransferOfferFields on LockTransferOffer {\n    id\n    deviceId\n    lockName\n    fromUsername\n    toUsername\n    state\n    expiresAt\n  }\n": typeof types.TransferOfferFieldsFragmentDoc,
    "\n  query LockTransferOffers {\n    lockTransferOffers {\n      made {\n        ...TransferOfferFields\n      }\n      received {\n        ...TransferOfferFields\n      }\n    }\n  }\n": typeof types.LockTransferOffersDocument,
    "\n  mutation OfferLockTransfer($deviceId: ID!, $toUsername: String!) {\n    offerLockTransfer(deviceId: $deviceId, toUsername: $toUsername) {\n      ...TransferOfferFields\n    }\n  }\n": typeof types.OfferLockTransferDocument,
    "\n  mutation CancelLockTransfer($offerId: ID!) {\n    cancelLockTransfer(offerId: $offerId) {\n      ...TransferOfferFields\n    }\n  }\n": typeof types.CancelLockTransferDocument,
    "\n  mutation DeclineLockTransfer($offerId: ID!) {\n    declineLockTransfer(offerId: $offerId) {\n      ...TransferOfferFields\n    }\n  }\n": typeof types.DeclineLockTransferDocument,
    "\n  mutation AcceptLockTransfer($offerId: ID!) {\n    acceptLockTransfer(offerId: $offerId) {\n      lock {\n        ...LockFields\n      }\n      secret\n      secretNote\n    }\n  }\n": typeof types.AcceptLockTransferDocument,
    "\n  subscription LockTransferChanged {\n    lockTransferChanged {\n      ...TransferOfferFields\n    }\n  }\n": typeof types.LockTransferChangedDocument,
    "\n  fragment LockFields on Lock {\n    deviceId\n    name\n    status\n    state\n    online\n    lastSeen\n    battery\n    power\n    heartbeatSeconds\n    lowBattery\n    issue\n    rssi\n    firmware\n    door\n    boltMotion\n    lastChangeSource\n    lastChangedBy\n    lastChangedAt\n    alerts {\n      kind\n      message\n    }\n    updatedAt\n    owner {\n      username\n    }\n    myRole\n    timeZone\n    # The share's fields spelled out, not spread: one level less, so that operations nesting a lock\n    # (registerLock { lock { ... } }) stay within the server's depth limit (app-operations-limits.test.ts).\n    myShare {\n      id\n      deviceId\n      guest\n      role\n      startsAt\n      endsAt\n      weekly {\n        days\n        from\n        to\n      }\n      createdBy\n      allowedNow\n      nextAllowedAt\n      allowedUntil\n    }\n  }\n": typeof types.LockFieldsFragmentDoc,
    "\n  fragment RegistrationFields on LockRegistration {\n    deviceSecret\n    mqttUsername\n    mqttPassword\n    lock {\n      ...LockFields\n    }\n  }\n": typeof types.RegistrationFieldsFragmentDoc,
    "\n  query Locks {\n    locks {\n      ...LockFields\n    }\n  }\n": typeof types.LocksDocument,
    "\n  subscription LockChanged($deviceId: ID) {\n    lockChanged(deviceId: $deviceId) {\n      ...LockFields\n    }\n  }\n": typeof types.LockChangedDocument,
    "\n  mutation ClaimLock($code: String!, $name: String!) {\n    claimLock(code: $code, name: $name) {\n      ...LockFields\n    }\n  }\n": typeof types.ClaimLockDocument,
    "\n  mutation RegisterLock($deviceId: ID!, $name: String!) {\n    registerLock(deviceId: $deviceId, name: $name) {\n      ...RegistrationFields\n    }\n  }\n": typeof types.RegisterLockDocument,
    "\n  mutation RotateDeviceSecret($deviceId: ID!) {\n    rotateDeviceSecret(deviceId: $deviceId) {\n      ...RegistrationFields\n    }\n  }\n": typeof types.RotateDeviceSecretDocument,
    "\n  mutation RenameLock($deviceId: ID!, $name: String!) {\n    renameLock(deviceId: $deviceId, name: $name) {\n      ...LockFields\n    }\n  }\n": typeof types.RenameLockDocument,
    "\n  mutation RemoveLock($deviceId: ID!) {\n    removeLock(deviceId: $deviceId)\n  }\n": typeof types.RemoveLockDocument,
    "\n  mutation ReassignLock($deviceId: ID!, $username: String!) {\n    reassignLock(deviceId: $deviceId, username: $username) {\n      ...LockFields\n    }\n  }\n": typeof types.ReassignLockDocument,
    "\n  subscription LockAccessLost($deviceId: ID) {\n    lockAccessLost(deviceId: $deviceId) {\n      deviceId\n      reason\n      at\n    }\n  }\n": typeof types.LockAccessLostDocument,
    "\n  query LockConnection {\n    lockConnection {\n      host\n      hostGuessed\n      plainPort\n      tlsPort\n      tls\n      webSocketUrl\n      topicPrefix\n      protocolVersion\n    }\n  }\n": typeof types.LockConnectionDocument,
    "\n  mutation IssueOfflineKey($lockId: ID!) {\n    issueOfflineKey(lockId: $lockId) {\n      keyId\n      deviceId\n      capability\n      secret\n    }\n  }\n": typeof types.IssueOfflineKeyDocument,
    "\n  query VapidPublicKey {\n    vapidPublicKey\n  }\n": typeof types.VapidPublicKeyDocument,
    "\n  mutation SubscribePush($subscription: PushSubscriptionInput!, $deviceLabel: String!) {\n    subscribePush(subscription: $subscription, deviceLabel: $deviceLabel) {\n      id\n      endpoint\n    }\n  }\n": typeof types.SubscribePushDocument,
    "\n  mutation UnsubscribePush($endpoint: String!) {\n    unsubscribePush(endpoint: $endpoint)\n  }\n": typeof types.UnsubscribePushDocument,
    "\n  query PushPreferences {\n    pushPreferences {\n      deviceId\n      kind\n      enabled\n    }\n  }\n": typeof types.PushPreferencesDocument,
    "\n  mutation SetPushPreference($deviceId: ID, $kind: PushKind!, $enabled: Boolean!) {\n    setPushPreference(deviceId: $deviceId, kind: $kind, enabled: $enabled) {\n      deviceId\n      kind\n      enabled\n    }\n  }\n": typeof types.SetPushPreferenceDocument,
    "\n  query EmailRecoveryAvailable {\n    emailRecoveryAvailable\n  }\n": typeof types.EmailRecoveryAvailableDocument,
    "\n  mutation RequestAccountRecovery($usernameOrEmail: String!) {\n    requestAccountRecovery(usernameOrEmail: $usernameOrEmail)\n  }\n": typeof types.RequestAccountRecoveryDocument,
    "\n  mutation RecoverAccount($token: String!, $newPassword: String!) {\n    recoverAccount(token: $token, newPassword: $newPassword) {\n      ...SessionFields\n    }\n  }\n": typeof types.RecoverAccountDocument,
    "\n  mutation VerifyRecoveryEmail($token: String!) {\n    verifyRecoveryEmail(token: $token) {\n      address\n      verified\n    }\n  }\n": typeof types.VerifyRecoveryEmailDocument,
    "\n  query RecoveryEmail {\n    recoveryEmail {\n      address\n      verified\n    }\n    emailRecoveryAvailable\n  }\n": typeof types.RecoveryEmailDocument,
    "\n  mutation SetRecoveryEmail($address: String!) {\n    setRecoveryEmail(address: $address) {\n      address\n      verified\n    }\n  }\n": typeof types.SetRecoveryEmailDocument,
    "\n  mutation RemoveRecoveryEmail {\n    removeRecoveryEmail\n  }\n": typeof types.RemoveRecoveryEmailDocument,
    "\n  fragment SecretRotationFields on Lock {\n    deviceId\n    secretRotation {\n      state\n      startedAt\n    }\n    overTheAirRotationUnavailable\n  }\n": typeof types.SecretRotationFieldsFragmentDoc,
    "\n  query SecretRotation($deviceId: ID!) {\n    lock(deviceId: $deviceId) {\n      ...SecretRotationFields\n    }\n  }\n": typeof types.SecretRotationDocument,
    "\n  mutation RotateSecretOverTheAir($deviceId: ID!) {\n    rotateDeviceSecretOverTheAir(deviceId: $deviceId) {\n      ...SecretRotationFields\n    }\n  }\n": typeof types.RotateSecretOverTheAirDocument,
    "\n  fragment ShareFields on LockShare {\n    id\n    deviceId\n    guest\n    role\n    startsAt\n    endsAt\n    weekly {\n      days\n      from\n      to\n    }\n    createdBy\n    allowedNow\n    nextAllowedAt\n    allowedUntil\n  }\n": typeof types.ShareFieldsFragmentDoc,
    "\n  fragment InvitationFields on ShareInvitation {\n    id\n    deviceId\n    role\n    startsAt\n    endsAt\n    weekly {\n      days\n      from\n      to\n    }\n    createdAt\n    expiresAt\n  }\n": typeof types.InvitationFieldsFragmentDoc,
    "\n  query LockShares($deviceId: ID!) {\n    lockShares(deviceId: $deviceId) {\n      ...ShareFields\n    }\n  }\n": typeof types.LockSharesDocument,
    "\n  query ShareInvitations($deviceId: ID!) {\n    shareInvitations(deviceId: $deviceId) {\n      ...InvitationFields\n    }\n  }\n": typeof types.ShareInvitationsDocument,
    "\n  mutation ShareLock($deviceId: ID!, $username: String!, $role: ShareRole!, $access: ShareAccessInput) {\n    shareLock(deviceId: $deviceId, username: $username, role: $role, access: $access) {\n      ...ShareFields\n    }\n  }\n": typeof types.ShareLockDocument,
    "\n  mutation UpdateShare($shareId: ID!, $role: ShareRole!, $access: ShareAccessInput) {\n    updateShare(shareId: $shareId, role: $role, access: $access) {\n      ...ShareFields\n    }\n  }\n": typeof types.UpdateShareDocument,
    "\n  mutation RevokeShare($shareId: ID!) {\n    revokeShare(shareId: $shareId)\n  }\n": typeof types.RevokeShareDocument,
    "\n  mutation CreateShareInvitation($deviceId: ID!, $role: ShareRole!, $access: ShareAccessInput, $expiresInHours: Int) {\n    createShareInvitation(deviceId: $deviceId, role: $role, access: $access, expiresInHours: $expiresInHours) {\n      invitation {\n        ...InvitationFields\n      }\n      link\n    }\n  }\n": typeof types.CreateShareInvitationDocument,
    "\n  mutation CancelShareInvitation($invitationId: ID!) {\n    cancelShareInvitation(invitationId: $invitationId)\n  }\n": typeof types.CancelShareInvitationDocument,
    "\n  mutation AcceptShareInvitation($token: String!) {\n    acceptShareInvitation(token: $token) {\n      ...ShareFields\n      lock {\n        ...LockFields\n      }\n    }\n  }\n": typeof types.AcceptShareInvitationDocument,
    "\n  mutation SetLockTimeZone($deviceId: ID!, $timeZone: String!) {\n    setLockTimeZone(deviceId: $deviceId, timeZone: $timeZone) {\n      ...LockFields\n    }\n  }\n": typeof types.SetLockTimeZoneDocument,
    "\n  query Users {\n    users {\n      id\n      username\n      role\n      createdAt\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation SetUserRole($username: String!, $role: Role!) {\n    setUserRole(username: $username, role: $role) {\n      id\n      username\n      role\n      createdAt\n    }\n  }\n": typeof types.SetUserRoleDocument,
};
const documents: Documents = {
    "\n  query Sessions {\n    sessions {\n      id\n      createdAt\n      lastUsedAt\n      device\n      clientAddress\n      current\n    }\n  }\n": types.SessionsDocument,
    "\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n": types.EndSessionDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  mutation Reauthenticate($password: String!) {\n    reauthenticate(password: $password)\n  }\n": types.ReauthenticateDocument,
    "\n  mutation ReauthenticateWithCode($code: String!) {\n    reauthenticate(code: $code)\n  }\n": types.ReauthenticateWithCodeDocument,
    "\n  query TwoFactor {\n    twoFactor {\n      totpEnabled\n      recoveryCodesLeft\n    }\n  }\n": types.TwoFactorDocument,
    "\n  mutation BeginTotpEnrollment {\n    beginTotpEnrollment {\n      secret\n      otpauthUri\n    }\n  }\n": types.BeginTotpEnrollmentDocument,
    "\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code)\n  }\n": types.ConfirmTotpEnrollmentDocument,
    "\n  mutation DisableTotp {\n    disableTotp\n  }\n": types.DisableTotpDocument,
    "\n  query ExportMyData {\n    exportMyData\n  }\n": types.ExportMyDataDocument,
    "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n": types.DeleteAccountDocument,
    "\n  query Passkeys {\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n    }\n  }\n": types.PasskeysDocument,
    "\n  mutation PasskeyRegistrationOptions {\n    passkeyRegistrationOptions\n  }\n": types.PasskeyRegistrationOptionsDocument,
    "\n  mutation AddPasskey($response: String!, $name: String!) {\n    addPasskey(response: $response, name: $name) {\n      id\n    }\n  }\n": types.AddPasskeyDocument,
    "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n": types.RenamePasskeyDocument,
    "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n": types.RemovePasskeyDocument,
    "\n  mutation PasskeyReauthenticationOptions {\n    passkeyReauthenticationOptions\n  }\n": types.PasskeyReauthenticationOptionsDocument,
    "\n  mutation ReauthenticateWithPasskey($passkeyResponse: String!) {\n    reauthenticate(passkeyResponse: $passkeyResponse)\n  }\n": types.ReauthenticateWithPasskeyDocument,
    "\n  fragment AuditFields on AuditEntry {\n    id\n    at\n    actor\n    action\n    deviceId\n    result\n    detail\n  }\n": types.AuditFieldsFragmentDoc,
    "\n  query AuditLog($filter: AuditFilterInput, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          ...AuditFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  subscription AuditAppended {\n    auditAppended {\n      ...AuditFields\n    }\n  }\n": types.AuditAppendedDocument,
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    expiresAt\n    user {\n      id\n      username\n      role\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n": types.SignUpDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n": types.MeDocument,
    "\n  mutation SignInSecondFactor($challenge: String!, $code: String!) {\n    signInSecondFactor(challenge: $challenge, code: $code) {\n      ...SessionFields\n    }\n  }\n": types.SignInSecondFactorDocument,
    "\n  mutation PasskeySignInOptions($username: String) {\n    passkeySignInOptions(username: $username)\n  }\n": types.PasskeySignInOptionsDocument,
    "\n  mutation SignInWithPasskey($response: String!) {\n    signInWithPasskey(response: $response) {\n      ...SessionFields\n    }\n  }\n": types.SignInWithPasskeyDocument,
    "\n  mutation PasskeySecondFactorOptions($challenge: String!) {\n    passkeySecondFactorOptions(challenge: $challenge)\n  }\n": types.PasskeySecondFactorOptionsDocument,
    "\n  mutation SignInSecondFactorWithPasskey($challenge: String!, $response: String!) {\n    signInSecondFactorWithPasskey(challenge: $challenge, response: $response) {\n      ...SessionFields\n    }\n  }\n": types.SignInSecondFactorWithPasskeyDocument,
    "\n  fragment CommandFields on Command {\n    id\n    deviceId\n    action\n    state\n    reason\n    createdAt\n    completedAt\n  }\n": types.CommandFieldsFragmentDoc,
    "\n  mutation LockCommand($deviceId: ID!, $idempotencyKey: String) {\n    lock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {\n      ...CommandFields\n    }\n  }\n": types.LockCommandDocument,
    "\n  mutation UnlockCommand($deviceId: ID!, $idempotencyKey: String) {\n    unlock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {\n      ...CommandFields\n    }\n  }\n": types.UnlockCommandDocument,
    "\n  query Command($id: ID!) {\n    command(id: $id) {\n      ...CommandFields\n    }\n  }\n": types.CommandDocument,
    "\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) {\n      ...CommandFields\n    }\n  }\n": types.CommandUpdatedDocument,
    "\n  query LockDiagnostics($deviceId: ID!, $range: DiagnosticsRange!) {\n    lock(deviceId: $deviceId) {\n      deviceId\n      diagnostics(range: $range) {\n        range\n        from\n        to\n        uptime\n        firmware\n        battery\n        rssi\n        points {\n          at\n          online\n          battery\n          rssi\n        }\n      }\n    }\n  }\n": types.LockDiagnosticsDocument,
    "\n  fragment FirmwareRolloutFields on FirmwareRollout {\n    id\n    state\n    stages\n    stageIndex\n    maxFailurePercent\n    pausedReason\n    startedBy\n    createdAt\n    release {\n      id\n      version\n      hw\n    }\n    stageCounts {\n      stage\n      percent\n      sent\n      inProgress\n      confirmed\n      failed\n    }\n    locks {\n      deviceId\n      stage\n      state\n      reason\n    }\n  }\n": types.FirmwareRolloutFieldsFragmentDoc,
    "\n  query FirmwareOverview {\n    firmwareReleases {\n      id\n      hw\n      version\n      arc\n      size\n      sha256\n      addedAt\n    }\n    firmwareRollouts {\n      ...FirmwareRolloutFields\n    }\n  }\n": types.FirmwareOverviewDocument,
    "\n  mutation StartFirmwareRollout($releaseId: ID!, $stages: [Int!]!, $maxFailurePercent: Int!) {\n    startFirmwareRollout(releaseId: $releaseId, stages: $stages, maxFailurePercent: $maxFailurePercent) {\n      ...FirmwareRolloutFields\n    }\n  }\n": types.StartFirmwareRolloutDocument,
    "\n  mutation PauseFirmwareRollout($id: ID!) {\n    pauseFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n": types.PauseFirmwareRolloutDocument,
    "\n  mutation ResumeFirmwareRollout($id: ID!) {\n    resumeFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n": types.ResumeFirmwareRolloutDocument,
    "\n  mutation CancelFirmwareRollout($id: ID!) {\n    cancelFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n": types.CancelFirmwareRolloutDocument,
    "\n  query LockFirmwareUpdate($deviceId: ID!) {\n    lock(deviceId: $deviceId) {\n      deviceId\n      firmware\n      firmwareUpdate {\n        releaseVersion\n        state\n        reason\n        updatedAt\n      }\n    }\n  }\n": types.LockFirmwareUpdateDocument,
    "\n  subscription Resync {\n    resync {\n      reason\n      at\n    }\n  }\n": types.ResyncDocument,
    "\n  fragment TransferOfferFields on LockTransferOffer {\n    id\n    deviceId\n    lockName\n    fromUsername\n    toUsername\n    state\n    expiresAt\n  }\n": types.TransferOfferFieldsFragmentDoc,
    "\n  query LockTransferOffers {\n    lockTransferOffers {\n      made {\n        ...TransferOfferFields\n      }\n      received {\n        ...TransferOfferFields\n      }\n    }\n  }\n": types.LockTransferOffersDocument,
    "\n  mutation OfferLockTransfer($deviceId: ID!, $toUsername: String!) {\n    offerLockTransfer(deviceId: $deviceId, toUsername: $toUsername) {\n      ...TransferOfferFields\n    }\n  }\n": types.OfferLockTransferDocument,
    "\n  mutation CancelLockTransfer($offerId: ID!) {\n    cancelLockTransfer(offerId: $offerId) {\n      ...TransferOfferFields\n    }\n  }\n": types.CancelLockTransferDocument,
    "\n  mutation DeclineLockTransfer($offerId: ID!) {\n    declineLockTransfer(offerId: $offerId) {\n      ...TransferOfferFields\n    }\n  }\n": types.DeclineLockTransferDocument,
    "\n  mutation AcceptLockTransfer($offerId: ID!) {\n    acceptLockTransfer(offerId: $offerId) {\n      lock {\n        ...LockFields\n      }\n      secret\n      secretNote\n    }\n  }\n": types.AcceptLockTransferDocument,
    "\n  subscription LockTransferChanged {\n    lockTransferChanged {\n      ...TransferOfferFields\n    }\n  }\n": types.LockTransferChangedDocument,
    "\n  fragment LockFields on Lock {\n    deviceId\n    name\n    status\n    state\n    online\n    lastSeen\n    battery\n    power\n    heartbeatSeconds\n    lowBattery\n    issue\n    rssi\n    firmware\n    door\n    boltMotion\n    lastChangeSource\n    lastChangedBy\n    lastChangedAt\n    alerts {\n      kind\n      message\n    }\n    updatedAt\n    owner {\n      username\n    }\n    myRole\n    timeZone\n    # The share's fields spelled out, not spread: one level less, so that operations nesting a lock\n    # (registerLock { lock { ... } }) stay within the server's depth limit (app-operations-limits.test.ts).\n    myShare {\n      id\n      deviceId\n      guest\n      role\n      startsAt\n      endsAt\n      weekly {\n        days\n        from\n        to\n      }\n      createdBy\n      allowedNow\n      nextAllowedAt\n      allowedUntil\n    }\n  }\n": types.LockFieldsFragmentDoc,
    "\n  fragment RegistrationFields on LockRegistration {\n    deviceSecret\n    mqttUsername\n    mqttPassword\n    lock {\n      ...LockFields\n    }\n  }\n": types.RegistrationFieldsFragmentDoc,
    "\n  query Locks {\n    locks {\n      ...LockFields\n    }\n  }\n": types.LocksDocument,
    "\n  subscription LockChanged($deviceId: ID) {\n    lockChanged(deviceId: $deviceId) {\n      ...LockFields\n    }\n  }\n": types.LockChangedDocument,
    "\n  mutation ClaimLock($code: String!, $name: String!) {\n    claimLock(code: $code, name: $name) {\n      ...LockFields\n    }\n  }\n": types.ClaimLockDocument,
    "\n  mutation RegisterLock($deviceId: ID!, $name: String!) {\n    registerLock(deviceId: $deviceId, name: $name) {\n      ...RegistrationFields\n    }\n  }\n": types.RegisterLockDocument,
    "\n  mutation RotateDeviceSecret($deviceId: ID!) {\n    rotateDeviceSecret(deviceId: $deviceId) {\n      ...RegistrationFields\n    }\n  }\n": types.RotateDeviceSecretDocument,
    "\n  mutation RenameLock($deviceId: ID!, $name: String!) {\n    renameLock(deviceId: $deviceId, name: $name) {\n      ...LockFields\n    }\n  }\n": types.RenameLockDocument,
    "\n  mutation RemoveLock($deviceId: ID!) {\n    removeLock(deviceId: $deviceId)\n  }\n": types.RemoveLockDocument,
    "\n  mutation ReassignLock($deviceId: ID!, $username: String!) {\n    reassignLock(deviceId: $deviceId, username: $username) {\n      ...LockFields\n    }\n  }\n": types.ReassignLockDocument,
    "\n  subscription LockAccessLost($deviceId: ID) {\n    lockAccessLost(deviceId: $deviceId) {\n      deviceId\n      reason\n      at\n    }\n  }\n": types.LockAccessLostDocument,
    "\n  query LockConnection {\n    lockConnection {\n      host\n      hostGuessed\n      plainPort\n      tlsPort\n      tls\n      webSocketUrl\n      topicPrefix\n      protocolVersion\n    }\n  }\n": types.LockConnectionDocument,
    "\n  mutation IssueOfflineKey($lockId: ID!) {\n    issueOfflineKey(lockId: $lockId) {\n      keyId\n      deviceId\n      capability\n      secret\n    }\n  }\n": types.IssueOfflineKeyDocument,
    "\n  query VapidPublicKey {\n    vapidPublicKey\n  }\n": types.VapidPublicKeyDocument,
    "\n  mutation SubscribePush($subscription: PushSubscriptionInput!, $deviceLabel: String!) {\n    subscribePush(subscription: $subscription, deviceLabel: $deviceLabel) {\n      id\n      endpoint\n    }\n  }\n": types.SubscribePushDocument,
    "\n  mutation UnsubscribePush($endpoint: String!) {\n    unsubscribePush(endpoint: $endpoint)\n  }\n": types.UnsubscribePushDocument,
    "\n  query PushPreferences {\n    pushPreferences {\n      deviceId\n      kind\n      enabled\n    }\n  }\n": types.PushPreferencesDocument,
    "\n  mutation SetPushPreference($deviceId: ID, $kind: PushKind!, $enabled: Boolean!) {\n    setPushPreference(deviceId: $deviceId, kind: $kind, enabled: $enabled) {\n      deviceId\n      kind\n      enabled\n    }\n  }\n": types.SetPushPreferenceDocument,
    "\n  query EmailRecoveryAvailable {\n    emailRecoveryAvailable\n  }\n": types.EmailRecoveryAvailableDocument,
    "\n  mutation RequestAccountRecovery($usernameOrEmail: String!) {\n    requestAccountRecovery(usernameOrEmail: $usernameOrEmail)\n  }\n": types.RequestAccountRecoveryDocument,
    "\n  mutation RecoverAccount($token: String!, $newPassword: String!) {\n    recoverAccount(token: $token, newPassword: $newPassword) {\n      ...SessionFields\n    }\n  }\n": types.RecoverAccountDocument,
    "\n  mutation VerifyRecoveryEmail($token: String!) {\n    verifyRecoveryEmail(token: $token) {\n      address\n      verified\n    }\n  }\n": types.VerifyRecoveryEmailDocument,
    "\n  query RecoveryEmail {\n    recoveryEmail {\n      address\n      verified\n    }\n    emailRecoveryAvailable\n  }\n": types.RecoveryEmailDocument,
    "\n  mutation SetRecoveryEmail($address: String!) {\n    setRecoveryEmail(address: $address) {\n      address\n      verified\n    }\n  }\n": types.SetRecoveryEmailDocument,
    "\n  mutation RemoveRecoveryEmail {\n    removeRecoveryEmail\n  }\n": types.RemoveRecoveryEmailDocument,
    "\n  fragment SecretRotationFields on Lock {\n    deviceId\n    secretRotation {\n      state\n      startedAt\n    }\n    overTheAirRotationUnavailable\n  }\n": types.SecretRotationFieldsFragmentDoc,
    "\n  query SecretRotation($deviceId: ID!) {\n    lock(deviceId: $deviceId) {\n      ...SecretRotationFields\n    }\n  }\n": types.SecretRotationDocument,
    "\n  mutation RotateSecretOverTheAir($deviceId: ID!) {\n    rotateDeviceSecretOverTheAir(deviceId: $deviceId) {\n      ...SecretRotationFields\n    }\n  }\n": types.RotateSecretOverTheAirDocument,
    "\n  fragment ShareFields on LockShare {\n    id\n    deviceId\n    guest\n    role\n    startsAt\n    endsAt\n    weekly {\n      days\n      from\n      to\n    }\n    createdBy\n    allowedNow\n    nextAllowedAt\n    allowedUntil\n  }\n": types.ShareFieldsFragmentDoc,
    "\n  fragment InvitationFields on ShareInvitation {\n    id\n    deviceId\n    role\n    startsAt\n    endsAt\n    weekly {\n      days\n      from\n      to\n    }\n    createdAt\n    expiresAt\n  }\n": types.InvitationFieldsFragmentDoc,
    "\n  query LockShares($deviceId: ID!) {\n    lockShares(deviceId: $deviceId) {\n      ...ShareFields\n    }\n  }\n": types.LockSharesDocument,
    "\n  query ShareInvitations($deviceId: ID!) {\n    shareInvitations(deviceId: $deviceId) {\n      ...InvitationFields\n    }\n  }\n": types.ShareInvitationsDocument,
    "\n  mutation ShareLock($deviceId: ID!, $username: String!, $role: ShareRole!, $access: ShareAccessInput) {\n    shareLock(deviceId: $deviceId, username: $username, role: $role, access: $access) {\n      ...ShareFields\n    }\n  }\n": types.ShareLockDocument,
    "\n  mutation UpdateShare($shareId: ID!, $role: ShareRole!, $access: ShareAccessInput) {\n    updateShare(shareId: $shareId, role: $role, access: $access) {\n      ...ShareFields\n    }\n  }\n": types.UpdateShareDocument,
    "\n  mutation RevokeShare($shareId: ID!) {\n    revokeShare(shareId: $shareId)\n  }\n": types.RevokeShareDocument,
    "\n  mutation CreateShareInvitation($deviceId: ID!, $role: ShareRole!, $access: ShareAccessInput, $expiresInHours: Int) {\n    createShareInvitation(deviceId: $deviceId, role: $role, access: $access, expiresInHours: $expiresInHours) {\n      invitation {\n        ...InvitationFields\n      }\n      link\n    }\n  }\n": types.CreateShareInvitationDocument,
    "\n  mutation CancelShareInvitation($invitationId: ID!) {\n    cancelShareInvitation(invitationId: $invitationId)\n  }\n": types.CancelShareInvitationDocument,
    "\n  mutation AcceptShareInvitation($token: String!) {\n    acceptShareInvitation(token: $token) {\n      ...ShareFields\n      lock {\n        ...LockFields\n      }\n    }\n  }\n": types.AcceptShareInvitationDocument,
    "\n  mutation SetLockTimeZone($deviceId: ID!, $timeZone: String!) {\n    setLockTimeZone(deviceId: $deviceId, timeZone: $timeZone) {\n      ...LockFields\n    }\n  }\n": types.SetLockTimeZoneDocument,
    "\n  query Users {\n    users {\n      id\n      username\n      role\n      createdAt\n    }\n  }\n": types.UsersDocument,
    "\n  mutation SetUserRole($username: String!, $role: Role!) {\n    setUserRole(username: $username, role: $role) {\n      id\n      username\n      role\n      createdAt\n    }\n  }\n": types.SetUserRoleDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions {\n    sessions {\n      id\n      createdAt\n      lastUsedAt\n      device\n      clientAddress\n      current\n    }\n  }\n"): (typeof documents)["\n  query Sessions {\n    sessions {\n      id\n      createdAt\n      lastUsedAt\n      device\n      clientAddress\n      current\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n"): (typeof documents)["\n  mutation EndSession($id: ID!) {\n    endSession(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Reauthenticate($password: String!) {\n    reauthenticate(password: $password)\n  }\n"): (typeof documents)["\n  mutation Reauthenticate($password: String!) {\n    reauthenticate(password: $password)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReauthenticateWithCode($code: String!) {\n    reauthenticate(code: $code)\n  }\n"): (typeof documents)["\n  mutation ReauthenticateWithCode($code: String!) {\n    reauthenticate(code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TwoFactor {\n    twoFactor {\n      totpEnabled\n      recoveryCodesLeft\n    }\n  }\n"): (typeof documents)["\n  query TwoFactor {\n    twoFactor {\n      totpEnabled\n      recoveryCodesLeft\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BeginTotpEnrollment {\n    beginTotpEnrollment {\n      secret\n      otpauthUri\n    }\n  }\n"): (typeof documents)["\n  mutation BeginTotpEnrollment {\n    beginTotpEnrollment {\n      secret\n      otpauthUri\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code)\n  }\n"): (typeof documents)["\n  mutation ConfirmTotpEnrollment($code: String!) {\n    confirmTotpEnrollment(code: $code)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableTotp {\n    disableTotp\n  }\n"): (typeof documents)["\n  mutation DisableTotp {\n    disableTotp\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportMyData {\n    exportMyData\n  }\n"): (typeof documents)["\n  query ExportMyData {\n    exportMyData\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n"): (typeof documents)["\n  mutation DeleteAccount($password: String!) {\n    deleteAccount(password: $password)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Passkeys {\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n    }\n  }\n"): (typeof documents)["\n  query Passkeys {\n    passkeys {\n      id\n      name\n      createdAt\n      lastUsedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PasskeyRegistrationOptions {\n    passkeyRegistrationOptions\n  }\n"): (typeof documents)["\n  mutation PasskeyRegistrationOptions {\n    passkeyRegistrationOptions\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddPasskey($response: String!, $name: String!) {\n    addPasskey(response: $response, name: $name) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation AddPasskey($response: String!, $name: String!) {\n    addPasskey(response: $response, name: $name) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation RenamePasskey($id: ID!, $name: String!) {\n    renamePasskey(id: $id, name: $name) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n"): (typeof documents)["\n  mutation RemovePasskey($id: ID!) {\n    removePasskey(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PasskeyReauthenticationOptions {\n    passkeyReauthenticationOptions\n  }\n"): (typeof documents)["\n  mutation PasskeyReauthenticationOptions {\n    passkeyReauthenticationOptions\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReauthenticateWithPasskey($passkeyResponse: String!) {\n    reauthenticate(passkeyResponse: $passkeyResponse)\n  }\n"): (typeof documents)["\n  mutation ReauthenticateWithPasskey($passkeyResponse: String!) {\n    reauthenticate(passkeyResponse: $passkeyResponse)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditFields on AuditEntry {\n    id\n    at\n    actor\n    action\n    deviceId\n    result\n    detail\n  }\n"): (typeof documents)["\n  fragment AuditFields on AuditEntry {\n    id\n    at\n    actor\n    action\n    deviceId\n    result\n    detail\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($filter: AuditFilterInput, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          ...AuditFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($filter: AuditFilterInput, $first: Int, $after: String) {\n    auditLog(filter: $filter, first: $first, after: $after) {\n      edges {\n        node {\n          ...AuditFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuditAppended {\n    auditAppended {\n      ...AuditFields\n    }\n  }\n"): (typeof documents)["\n  subscription AuditAppended {\n    auditAppended {\n      ...AuditFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    expiresAt\n    user {\n      id\n      username\n      role\n    }\n  }\n"): (typeof documents)["\n  fragment SessionFields on AuthPayload {\n    accessToken\n    expiresAt\n    user {\n      id\n      username\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($username: String!, $password: String!) {\n    signIn(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($username: String!, $password: String!) {\n    signUp(username: $username, password: $password) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignInSecondFactor($challenge: String!, $code: String!) {\n    signInSecondFactor(challenge: $challenge, code: $code) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignInSecondFactor($challenge: String!, $code: String!) {\n    signInSecondFactor(challenge: $challenge, code: $code) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PasskeySignInOptions($username: String) {\n    passkeySignInOptions(username: $username)\n  }\n"): (typeof documents)["\n  mutation PasskeySignInOptions($username: String) {\n    passkeySignInOptions(username: $username)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignInWithPasskey($response: String!) {\n    signInWithPasskey(response: $response) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignInWithPasskey($response: String!) {\n    signInWithPasskey(response: $response) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PasskeySecondFactorOptions($challenge: String!) {\n    passkeySecondFactorOptions(challenge: $challenge)\n  }\n"): (typeof documents)["\n  mutation PasskeySecondFactorOptions($challenge: String!) {\n    passkeySecondFactorOptions(challenge: $challenge)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignInSecondFactorWithPasskey($challenge: String!, $response: String!) {\n    signInSecondFactorWithPasskey(challenge: $challenge, response: $response) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignInSecondFactorWithPasskey($challenge: String!, $response: String!) {\n    signInSecondFactorWithPasskey(challenge: $challenge, response: $response) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CommandFields on Command {\n    id\n    deviceId\n    action\n    state\n    reason\n    createdAt\n    completedAt\n  }\n"): (typeof documents)["\n  fragment CommandFields on Command {\n    id\n    deviceId\n    action\n    state\n    reason\n    createdAt\n    completedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LockCommand($deviceId: ID!, $idempotencyKey: String) {\n    lock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {\n      ...CommandFields\n    }\n  }\n"): (typeof documents)["\n  mutation LockCommand($deviceId: ID!, $idempotencyKey: String) {\n    lock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {\n      ...CommandFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnlockCommand($deviceId: ID!, $idempotencyKey: String) {\n    unlock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {\n      ...CommandFields\n    }\n  }\n"): (typeof documents)["\n  mutation UnlockCommand($deviceId: ID!, $idempotencyKey: String) {\n    unlock(deviceId: $deviceId, idempotencyKey: $idempotencyKey) {\n      ...CommandFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Command($id: ID!) {\n    command(id: $id) {\n      ...CommandFields\n    }\n  }\n"): (typeof documents)["\n  query Command($id: ID!) {\n    command(id: $id) {\n      ...CommandFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) {\n      ...CommandFields\n    }\n  }\n"): (typeof documents)["\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) {\n      ...CommandFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LockDiagnostics($deviceId: ID!, $range: DiagnosticsRange!) {\n    lock(deviceId: $deviceId) {\n      deviceId\n      diagnostics(range: $range) {\n        range\n        from\n        to\n        uptime\n        firmware\n        battery\n        rssi\n        points {\n          at\n          online\n          battery\n          rssi\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LockDiagnostics($deviceId: ID!, $range: DiagnosticsRange!) {\n    lock(deviceId: $deviceId) {\n      deviceId\n      diagnostics(range: $range) {\n        range\n        from\n        to\n        uptime\n        firmware\n        battery\n        rssi\n        points {\n          at\n          online\n          battery\n          rssi\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment FirmwareRolloutFields on FirmwareRollout {\n    id\n    state\n    stages\n    stageIndex\n    maxFailurePercent\n    pausedReason\n    startedBy\n    createdAt\n    release {\n      id\n      version\n      hw\n    }\n    stageCounts {\n      stage\n      percent\n      sent\n      inProgress\n      confirmed\n      failed\n    }\n    locks {\n      deviceId\n      stage\n      state\n      reason\n    }\n  }\n"): (typeof documents)["\n  fragment FirmwareRolloutFields on FirmwareRollout {\n    id\n    state\n    stages\n    stageIndex\n    maxFailurePercent\n    pausedReason\n    startedBy\n    createdAt\n    release {\n      id\n      version\n      hw\n    }\n    stageCounts {\n      stage\n      percent\n      sent\n      inProgress\n      confirmed\n      failed\n    }\n    locks {\n      deviceId\n      stage\n      state\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FirmwareOverview {\n    firmwareReleases {\n      id\n      hw\n      version\n      arc\n      size\n      sha256\n      addedAt\n    }\n    firmwareRollouts {\n      ...FirmwareRolloutFields\n    }\n  }\n"): (typeof documents)["\n  query FirmwareOverview {\n    firmwareReleases {\n      id\n      hw\n      version\n      arc\n      size\n      sha256\n      addedAt\n    }\n    firmwareRollouts {\n      ...FirmwareRolloutFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartFirmwareRollout($releaseId: ID!, $stages: [Int!]!, $maxFailurePercent: Int!) {\n    startFirmwareRollout(releaseId: $releaseId, stages: $stages, maxFailurePercent: $maxFailurePercent) {\n      ...FirmwareRolloutFields\n    }\n  }\n"): (typeof documents)["\n  mutation StartFirmwareRollout($releaseId: ID!, $stages: [Int!]!, $maxFailurePercent: Int!) {\n    startFirmwareRollout(releaseId: $releaseId, stages: $stages, maxFailurePercent: $maxFailurePercent) {\n      ...FirmwareRolloutFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseFirmwareRollout($id: ID!) {\n    pauseFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n"): (typeof documents)["\n  mutation PauseFirmwareRollout($id: ID!) {\n    pauseFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeFirmwareRollout($id: ID!) {\n    resumeFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeFirmwareRollout($id: ID!) {\n    resumeFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelFirmwareRollout($id: ID!) {\n    cancelFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n"): (typeof documents)["\n  mutation CancelFirmwareRollout($id: ID!) {\n    cancelFirmwareRollout(id: $id) {\n      ...FirmwareRolloutFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LockFirmwareUpdate($deviceId: ID!) {\n    lock(deviceId: $deviceId) {\n      deviceId\n      firmware\n      firmwareUpdate {\n        releaseVersion\n        state\n        reason\n        updatedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query LockFirmwareUpdate($deviceId: ID!) {\n    lock(deviceId: $deviceId) {\n      deviceId\n      firmware\n      firmwareUpdate {\n        releaseVersion\n        state\n        reason\n        updatedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Resync {\n    resync {\n      reason\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription Resync {\n    resync {\n      reason\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TransferOfferFields on LockTransferOffer {\n    id\n    deviceId\n    lockName\n    fromUsername\n    toUsername\n    state\n    expiresAt\n  }\n"): (typeof documents)["\n  fragment TransferOfferFields on LockTransferOffer {\n    id\n    deviceId\n    lockName\n    fromUsername\n    toUsername\n    state\n    expiresAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LockTransferOffers {\n    lockTransferOffers {\n      made {\n        ...TransferOfferFields\n      }\n      received {\n        ...TransferOfferFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query LockTransferOffers {\n    lockTransferOffers {\n      made {\n        ...TransferOfferFields\n      }\n      received {\n        ...TransferOfferFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OfferLockTransfer($deviceId: ID!, $toUsername: String!) {\n    offerLockTransfer(deviceId: $deviceId, toUsername: $toUsername) {\n      ...TransferOfferFields\n    }\n  }\n"): (typeof documents)["\n  mutation OfferLockTransfer($deviceId: ID!, $toUsername: String!) {\n    offerLockTransfer(deviceId: $deviceId, toUsername: $toUsername) {\n      ...TransferOfferFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelLockTransfer($offerId: ID!) {\n    cancelLockTransfer(offerId: $offerId) {\n      ...TransferOfferFields\n    }\n  }\n"): (typeof documents)["\n  mutation CancelLockTransfer($offerId: ID!) {\n    cancelLockTransfer(offerId: $offerId) {\n      ...TransferOfferFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineLockTransfer($offerId: ID!) {\n    declineLockTransfer(offerId: $offerId) {\n      ...TransferOfferFields\n    }\n  }\n"): (typeof documents)["\n  mutation DeclineLockTransfer($offerId: ID!) {\n    declineLockTransfer(offerId: $offerId) {\n      ...TransferOfferFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptLockTransfer($offerId: ID!) {\n    acceptLockTransfer(offerId: $offerId) {\n      lock {\n        ...LockFields\n      }\n      secret\n      secretNote\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptLockTransfer($offerId: ID!) {\n    acceptLockTransfer(offerId: $offerId) {\n      lock {\n        ...LockFields\n      }\n      secret\n      secretNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LockTransferChanged {\n    lockTransferChanged {\n      ...TransferOfferFields\n    }\n  }\n"): (typeof documents)["\n  subscription LockTransferChanged {\n    lockTransferChanged {\n      ...TransferOfferFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LockFields on Lock {\n    deviceId\n    name\n    status\n    state\n    online\n    lastSeen\n    battery\n    power\n    heartbeatSeconds\n    lowBattery\n    issue\n    rssi\n    firmware\n    door\n    boltMotion\n    lastChangeSource\n    lastChangedBy\n    lastChangedAt\n    alerts {\n      kind\n      message\n    }\n    updatedAt\n    owner {\n      username\n    }\n    myRole\n    timeZone\n    # The share's fields spelled out, not spread: one level less, so that operations nesting a lock\n    # (registerLock { lock { ... } }) stay within the server's depth limit (app-operations-limits.test.ts).\n    myShare {\n      id\n      deviceId\n      guest\n      role\n      startsAt\n      endsAt\n      weekly {\n        days\n        from\n        to\n      }\n      createdBy\n      allowedNow\n      nextAllowedAt\n      allowedUntil\n    }\n  }\n"): (typeof documents)["\n  fragment LockFields on Lock {\n    deviceId\n    name\n    status\n    state\n    online\n    lastSeen\n    battery\n    power\n    heartbeatSeconds\n    lowBattery\n    issue\n    rssi\n    firmware\n    door\n    boltMotion\n    lastChangeSource\n    lastChangedBy\n    lastChangedAt\n    alerts {\n      kind\n      message\n    }\n    updatedAt\n    owner {\n      username\n    }\n    myRole\n    timeZone\n    # The share's fields spelled out, not spread: one level less, so that operations nesting a lock\n    # (registerLock { lock { ... } }) stay within the server's depth limit (app-operations-limits.test.ts).\n    myShare {\n      id\n      deviceId\n      guest\n      role\n      startsAt\n      endsAt\n      weekly {\n        days\n        from\n        to\n      }\n      createdBy\n      allowedNow\n      nextAllowedAt\n      allowedUntil\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RegistrationFields on LockRegistration {\n    deviceSecret\n    mqttUsername\n    mqttPassword\n    lock {\n      ...LockFields\n    }\n  }\n"): (typeof documents)["\n  fragment RegistrationFields on LockRegistration {\n    deviceSecret\n    mqttUsername\n    mqttPassword\n    lock {\n      ...LockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Locks {\n    locks {\n      ...LockFields\n    }\n  }\n"): (typeof documents)["\n  query Locks {\n    locks {\n      ...LockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LockChanged($deviceId: ID) {\n    lockChanged(deviceId: $deviceId) {\n      ...LockFields\n    }\n  }\n"): (typeof documents)["\n  subscription LockChanged($deviceId: ID) {\n    lockChanged(deviceId: $deviceId) {\n      ...LockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClaimLock($code: String!, $name: String!) {\n    claimLock(code: $code, name: $name) {\n      ...LockFields\n    }\n  }\n"): (typeof documents)["\n  mutation ClaimLock($code: String!, $name: String!) {\n    claimLock(code: $code, name: $name) {\n      ...LockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterLock($deviceId: ID!, $name: String!) {\n    registerLock(deviceId: $deviceId, name: $name) {\n      ...RegistrationFields\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterLock($deviceId: ID!, $name: String!) {\n    registerLock(deviceId: $deviceId, name: $name) {\n      ...RegistrationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateDeviceSecret($deviceId: ID!) {\n    rotateDeviceSecret(deviceId: $deviceId) {\n      ...RegistrationFields\n    }\n  }\n"): (typeof documents)["\n  mutation RotateDeviceSecret($deviceId: ID!) {\n    rotateDeviceSecret(deviceId: $deviceId) {\n      ...RegistrationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameLock($deviceId: ID!, $name: String!) {\n    renameLock(deviceId: $deviceId, name: $name) {\n      ...LockFields\n    }\n  }\n"): (typeof documents)["\n  mutation RenameLock($deviceId: ID!, $name: String!) {\n    renameLock(deviceId: $deviceId, name: $name) {\n      ...LockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveLock($deviceId: ID!) {\n    removeLock(deviceId: $deviceId)\n  }\n"): (typeof documents)["\n  mutation RemoveLock($deviceId: ID!) {\n    removeLock(deviceId: $deviceId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReassignLock($deviceId: ID!, $username: String!) {\n    reassignLock(deviceId: $deviceId, username: $username) {\n      ...LockFields\n    }\n  }\n"): (typeof documents)["\n  mutation ReassignLock($deviceId: ID!, $username: String!) {\n    reassignLock(deviceId: $deviceId, username: $username) {\n      ...LockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LockAccessLost($deviceId: ID) {\n    lockAccessLost(deviceId: $deviceId) {\n      deviceId\n      reason\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription LockAccessLost($deviceId: ID) {\n    lockAccessLost(deviceId: $deviceId) {\n      deviceId\n      reason\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LockConnection {\n    lockConnection {\n      host\n      hostGuessed\n      plainPort\n      tlsPort\n      tls\n      webSocketUrl\n      topicPrefix\n      protocolVersion\n    }\n  }\n"): (typeof documents)["\n  query LockConnection {\n    lockConnection {\n      host\n      hostGuessed\n      plainPort\n      tlsPort\n      tls\n      webSocketUrl\n      topicPrefix\n      protocolVersion\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IssueOfflineKey($lockId: ID!) {\n    issueOfflineKey(lockId: $lockId) {\n      keyId\n      deviceId\n      capability\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation IssueOfflineKey($lockId: ID!) {\n    issueOfflineKey(lockId: $lockId) {\n      keyId\n      deviceId\n      capability\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VapidPublicKey {\n    vapidPublicKey\n  }\n"): (typeof documents)["\n  query VapidPublicKey {\n    vapidPublicKey\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SubscribePush($subscription: PushSubscriptionInput!, $deviceLabel: String!) {\n    subscribePush(subscription: $subscription, deviceLabel: $deviceLabel) {\n      id\n      endpoint\n    }\n  }\n"): (typeof documents)["\n  mutation SubscribePush($subscription: PushSubscriptionInput!, $deviceLabel: String!) {\n    subscribePush(subscription: $subscription, deviceLabel: $deviceLabel) {\n      id\n      endpoint\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnsubscribePush($endpoint: String!) {\n    unsubscribePush(endpoint: $endpoint)\n  }\n"): (typeof documents)["\n  mutation UnsubscribePush($endpoint: String!) {\n    unsubscribePush(endpoint: $endpoint)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PushPreferences {\n    pushPreferences {\n      deviceId\n      kind\n      enabled\n    }\n  }\n"): (typeof documents)["\n  query PushPreferences {\n    pushPreferences {\n      deviceId\n      kind\n      enabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetPushPreference($deviceId: ID, $kind: PushKind!, $enabled: Boolean!) {\n    setPushPreference(deviceId: $deviceId, kind: $kind, enabled: $enabled) {\n      deviceId\n      kind\n      enabled\n    }\n  }\n"): (typeof documents)["\n  mutation SetPushPreference($deviceId: ID, $kind: PushKind!, $enabled: Boolean!) {\n    setPushPreference(deviceId: $deviceId, kind: $kind, enabled: $enabled) {\n      deviceId\n      kind\n      enabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EmailRecoveryAvailable {\n    emailRecoveryAvailable\n  }\n"): (typeof documents)["\n  query EmailRecoveryAvailable {\n    emailRecoveryAvailable\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestAccountRecovery($usernameOrEmail: String!) {\n    requestAccountRecovery(usernameOrEmail: $usernameOrEmail)\n  }\n"): (typeof documents)["\n  mutation RequestAccountRecovery($usernameOrEmail: String!) {\n    requestAccountRecovery(usernameOrEmail: $usernameOrEmail)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecoverAccount($token: String!, $newPassword: String!) {\n    recoverAccount(token: $token, newPassword: $newPassword) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation RecoverAccount($token: String!, $newPassword: String!) {\n    recoverAccount(token: $token, newPassword: $newPassword) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifyRecoveryEmail($token: String!) {\n    verifyRecoveryEmail(token: $token) {\n      address\n      verified\n    }\n  }\n"): (typeof documents)["\n  mutation VerifyRecoveryEmail($token: String!) {\n    verifyRecoveryEmail(token: $token) {\n      address\n      verified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecoveryEmail {\n    recoveryEmail {\n      address\n      verified\n    }\n    emailRecoveryAvailable\n  }\n"): (typeof documents)["\n  query RecoveryEmail {\n    recoveryEmail {\n      address\n      verified\n    }\n    emailRecoveryAvailable\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetRecoveryEmail($address: String!) {\n    setRecoveryEmail(address: $address) {\n      address\n      verified\n    }\n  }\n"): (typeof documents)["\n  mutation SetRecoveryEmail($address: String!) {\n    setRecoveryEmail(address: $address) {\n      address\n      verified\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveRecoveryEmail {\n    removeRecoveryEmail\n  }\n"): (typeof documents)["\n  mutation RemoveRecoveryEmail {\n    removeRecoveryEmail\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SecretRotationFields on Lock {\n    deviceId\n    secretRotation {\n      state\n      startedAt\n    }\n    overTheAirRotationUnavailable\n  }\n"): (typeof documents)["\n  fragment SecretRotationFields on Lock {\n    deviceId\n    secretRotation {\n      state\n      startedAt\n    }\n    overTheAirRotationUnavailable\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecretRotation($deviceId: ID!) {\n    lock(deviceId: $deviceId) {\n      ...SecretRotationFields\n    }\n  }\n"): (typeof documents)["\n  query SecretRotation($deviceId: ID!) {\n    lock(deviceId: $deviceId) {\n      ...SecretRotationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateSecretOverTheAir($deviceId: ID!) {\n    rotateDeviceSecretOverTheAir(deviceId: $deviceId) {\n      ...SecretRotationFields\n    }\n  }\n"): (typeof documents)["\n  mutation RotateSecretOverTheAir($deviceId: ID!) {\n    rotateDeviceSecretOverTheAir(deviceId: $deviceId) {\n      ...SecretRotationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ShareFields on LockShare {\n    id\n    deviceId\n    guest\n    role\n    startsAt\n    endsAt\n    weekly {\n      days\n      from\n      to\n    }\n    createdBy\n    allowedNow\n    nextAllowedAt\n    allowedUntil\n  }\n"): (typeof documents)["\n  fragment ShareFields on LockShare {\n    id\n    deviceId\n    guest\n    role\n    startsAt\n    endsAt\n    weekly {\n      days\n      from\n      to\n    }\n    createdBy\n    allowedNow\n    nextAllowedAt\n    allowedUntil\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvitationFields on ShareInvitation {\n    id\n    deviceId\n    role\n    startsAt\n    endsAt\n    weekly {\n      days\n      from\n      to\n    }\n    createdAt\n    expiresAt\n  }\n"): (typeof documents)["\n  fragment InvitationFields on ShareInvitation {\n    id\n    deviceId\n    role\n    startsAt\n    endsAt\n    weekly {\n      days\n      from\n      to\n    }\n    createdAt\n    expiresAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LockShares($deviceId: ID!) {\n    lockShares(deviceId: $deviceId) {\n      ...ShareFields\n    }\n  }\n"): (typeof documents)["\n  query LockShares($deviceId: ID!) {\n    lockShares(deviceId: $deviceId) {\n      ...ShareFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShareInvitations($deviceId: ID!) {\n    shareInvitations(deviceId: $deviceId) {\n      ...InvitationFields\n    }\n  }\n"): (typeof documents)["\n  query ShareInvitations($deviceId: ID!) {\n    shareInvitations(deviceId: $deviceId) {\n      ...InvitationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShareLock($deviceId: ID!, $username: String!, $role: ShareRole!, $access: ShareAccessInput) {\n    shareLock(deviceId: $deviceId, username: $username, role: $role, access: $access) {\n      ...ShareFields\n    }\n  }\n"): (typeof documents)["\n  mutation ShareLock($deviceId: ID!, $username: String!, $role: ShareRole!, $access: ShareAccessInput) {\n    shareLock(deviceId: $deviceId, username: $username, role: $role, access: $access) {\n      ...ShareFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateShare($shareId: ID!, $role: ShareRole!, $access: ShareAccessInput) {\n    updateShare(shareId: $shareId, role: $role, access: $access) {\n      ...ShareFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateShare($shareId: ID!, $role: ShareRole!, $access: ShareAccessInput) {\n    updateShare(shareId: $shareId, role: $role, access: $access) {\n      ...ShareFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeShare($shareId: ID!) {\n    revokeShare(shareId: $shareId)\n  }\n"): (typeof documents)["\n  mutation RevokeShare($shareId: ID!) {\n    revokeShare(shareId: $shareId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateShareInvitation($deviceId: ID!, $role: ShareRole!, $access: ShareAccessInput, $expiresInHours: Int) {\n    createShareInvitation(deviceId: $deviceId, role: $role, access: $access, expiresInHours: $expiresInHours) {\n      invitation {\n        ...InvitationFields\n      }\n      link\n    }\n  }\n"): (typeof documents)["\n  mutation CreateShareInvitation($deviceId: ID!, $role: ShareRole!, $access: ShareAccessInput, $expiresInHours: Int) {\n    createShareInvitation(deviceId: $deviceId, role: $role, access: $access, expiresInHours: $expiresInHours) {\n      invitation {\n        ...InvitationFields\n      }\n      link\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelShareInvitation($invitationId: ID!) {\n    cancelShareInvitation(invitationId: $invitationId)\n  }\n"): (typeof documents)["\n  mutation CancelShareInvitation($invitationId: ID!) {\n    cancelShareInvitation(invitationId: $invitationId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptShareInvitation($token: String!) {\n    acceptShareInvitation(token: $token) {\n      ...ShareFields\n      lock {\n        ...LockFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptShareInvitation($token: String!) {\n    acceptShareInvitation(token: $token) {\n      ...ShareFields\n      lock {\n        ...LockFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetLockTimeZone($deviceId: ID!, $timeZone: String!) {\n    setLockTimeZone(deviceId: $deviceId, timeZone: $timeZone) {\n      ...LockFields\n    }\n  }\n"): (typeof documents)["\n  mutation SetLockTimeZone($deviceId: ID!, $timeZone: String!) {\n    setLockTimeZone(deviceId: $deviceId, timeZone: $timeZone) {\n      ...LockFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users {\n    users {\n      id\n      username\n      role\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Users {\n    users {\n      id\n      username\n      role\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserRole($username: String!, $role: Role!) {\n    setUserRole(username: $username, role: $role) {\n      id\n      username\n      role\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  mutation SetUserRole($username: String!, $role: Role!) {\n    setUserRole(username: $username, role: $role) {\n      id\n      username\n      role\n      createdAt\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;