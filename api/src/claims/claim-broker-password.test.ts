/**
 * The claim account's broker password (docs/protocol.md §15.2, §15.7): hex of key(broker), the
 * worked example's value, the same as the firmware's (firmware/test/claim_broker_login_test.cpp).
 */
import { describe, expect, it } from 'vitest';
import { claimBrokerPassword } from './claim-crypto.js';

const WORKED_EXAMPLE = { factoryId: '5ca1ab1e0ddba11f', secret: Uint8Array.from(Buffer.from('00112233445566778899', 'hex')) };

describe('claimBrokerPassword', () => {
  it('is the worked example’s key(broker) in hex', () => {
    expect(claimBrokerPassword(WORKED_EXAMPLE)).toBe('469e1875832da022a8071dc71dbbd9e69c214dca4f9352d0fc39c39c5f533815');
  });

  it('differs for another secret of the same factory id', () => {
    const other = Uint8Array.from(WORKED_EXAMPLE.secret);
    other[9] = (other[9] ?? 0) ^ 1;
    expect(claimBrokerPassword({ ...WORKED_EXAMPLE, secret: other })).not.toBe(claimBrokerPassword(WORKED_EXAMPLE));
  });
});
