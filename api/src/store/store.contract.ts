/**
 * The behaviour every Store adapter must have. Each adapter's test file calls
 * `describeStoreContract` with a way to open a fresh, empty store per test.
 */
import { afterEach, beforeEach, describe, vi } from 'vitest';
import { describeAccountErasureContract } from './contract/account-erasure.contract.js';
import { describeAuditContract } from './contract/audit.contract.js';
import { describeClaimsContract } from './contract/claims.contract.js';
import { describeCommandContract } from './contract/commands.contract.js';
import type { ContractContext } from './contract/contract-context.js';
import { describeDiagnosticsContract } from './contract/diagnostics.contract.js';
import { describeFirmwareContract } from './contract/firmware.contract.js';
import { describeFindManyContract } from './contract/find-many.contract.js';
import { describeLockAlertsContract } from './contract/lock-alerts.contract.js';
import { describeLockStatusContract } from './contract/lock-status.contract.js';
import { describeLockContract } from './contract/locks.contract.js';
import { describeLockTransfersContract } from './contract/lock-transfers.contract.js';
import { describeLockSharesContract } from './contract/lock-shares.contract.js';
import { describeLockSettingsContract } from './contract/lock-settings.contract.js';
import { describeOrderingEdgesContract } from './contract/ordering-edges.contract.js';
import { describeOwnerExistsContract } from './contract/owner-exists.contract.js';
import { describeProbeContract } from './contract/probe.contract.js';
import { describePushContract } from './contract/push.contract.js';
import { describeRetentionContract } from './contract/retention.contract.js';
import { describeSessionLinesContract } from './contract/session-lines.contract.js';
import { describeTotpContract } from './contract/totp.contract.js';
import { describeRecoveryContract } from './contract/recovery.contract.js';
import { describePasskeysContract } from './contract/passkeys.contract.js';
import { describeOfflineKeysContract } from './contract/offline-keys.contract.js';
import { describeSessionContract, describeUserContract } from './contract/users-sessions.contract.js';
import type { Store } from './ports.js';

/**
 * @param name title of the suite
 * @param open opens an empty store (called before each test)
 * @param cleanup closes it and removes what `open` made (called after each test)
 */
export function describeStoreContract(
  name: string,
  open: () => Promise<Store>,
  cleanup: (store: Store) => Promise<void>,
): void {
  describe(name, () => {
    let current: Store | undefined;
    const ctx: ContractContext = {
      get store() {
        if (current === undefined) throw new Error('the store is only open inside a test');
        return current;
      },
    };

    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      vi.useRealTimers();
      if (current !== undefined) await cleanup(current);
      current = undefined;
    });

    describeUserContract(ctx);
    describeSessionContract(ctx);
    describeSessionLinesContract(ctx);
    describeTotpContract(ctx);
    describeRecoveryContract(ctx);
    describePasskeysContract(ctx);
    describeLockContract(ctx);
    describeOwnerExistsContract(ctx);
    describeLockTransfersContract(ctx);
    describeLockSharesContract(ctx);
    describeOfflineKeysContract(ctx);
    describeLockStatusContract(ctx);
    describeLockAlertsContract(ctx);
    describeLockSettingsContract(ctx);
    describeCommandContract(ctx);
    describeFindManyContract(ctx);
    describeAuditContract(ctx);
    describeAccountErasureContract(ctx);
    describeRetentionContract(ctx);
    describeOrderingEdgesContract(ctx);
    describeDiagnosticsContract(ctx);
    describeProbeContract(ctx);
    describePushContract(ctx);
    describeFirmwareContract(ctx);
    describeClaimsContract(ctx);
  });
}
