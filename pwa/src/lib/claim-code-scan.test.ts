import { describe, expect, it } from 'vitest';
import { claimCodeProblem, codeFromScan } from './claim-code';

// The worked example of docs/protocol.md "Claiming", in the forms the printed QR codes hold: bare
// (the virtual lock, api/test/virtual-lock-qr.test.ts) or in a link (the simulator with --api,
// api/test/simulator-qr.test.ts).
const PRINTED = 'SL1-5CA1AB1E0DDBA11F-008J-4CT4-ANK7-F24S-7Y';

describe('a scanned QR code', () => {
  it('fills in the code, bare or from the link <app>/claim#<code>', async () => {
    for (const scanned of [PRINTED, `http://127.0.0.1:4000/claim#${PRINTED}`, `https://lock.example/claim#${encodeURIComponent(PRINTED)}`]) {
      const code = codeFromScan(scanned);
      expect(code).toBe(PRINTED);
      expect(await claimCodeProblem(code)).toBeNull();
    }
  });

  it('leaves what is not a code for the form to refuse', async () => {
    expect(await claimCodeProblem(codeFromScan('https://example.com/'))).not.toBeNull();
    expect(await claimCodeProblem(codeFromScan('hello'))).not.toBeNull();
  });
});
