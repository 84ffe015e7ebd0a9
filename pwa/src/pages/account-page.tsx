import { useState } from 'react';
import { PageHeading } from '../components/page-heading';
import { ChangePasswordSection } from './account/change-password-section';
import { RecoveryEmailSection } from './account/recovery-email-section';
import { PasskeysSection } from './account/passkeys-section';
import { SessionsSection } from './account/sessions-section';
import { TwoFactorSection } from './account/two-factor-section';
import { YourDataSection } from './account/your-data-section';

/** Loaded on demand: the signed-in sessions, the password, passkeys, the second factor, the recovery address, and your data. */
export default function AccountPage() {
  // A password change ends the other sessions: the list is read again.
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <>
      <PageHeading title="Account">Account</PageHeading>
      <SessionsSection reloadKey={reloadKey} />
      <ChangePasswordSection onChanged={() => setReloadKey((key) => key + 1)} />
      <PasskeysSection />
      <TwoFactorSection />
      <RecoveryEmailSection />
      <YourDataSection />
    </>
  );
}
