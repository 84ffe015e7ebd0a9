import { describe, expect, it } from 'vitest';
import { claimCodeProblem, codeFromLink, readClaimCode } from './claim-code';

// The worked example of docs/protocol.md "Claiming".
const PRINTED = 'SL1-5CA1AB1E0DDBA11F-008J-4CT4-ANK7-F24S-7Y';

describe('claim code in the app', () => {
  it('reads the printed code, lower case, without hyphens, and from the QR link', async () => {
    for (const typed of [PRINTED, PRINTED.toLowerCase(), PRINTED.replace(/-/g, ''), `https://lock.example/claim#${PRINTED}`]) {
      const parsed = await readClaimCode(typed);
      expect(parsed.ok, typed).toBe(true);
      if (parsed.ok) expect(parsed.code.factoryId).toBe('5ca1ab1e0ddba11f');
    }
  });

  it('says what is wrong before anything is sent', async () => {
    expect(await claimCodeProblem(PRINTED)).toBeNull();
    expect(await claimCodeProblem('')).toMatch(/Enter the code/);
    expect(await claimCodeProblem(PRINTED.replace('008J', '008K'))).toMatch(/typo/);
    expect(await claimCodeProblem('front-door')).toMatch(/looks like/);
  });

  it('takes the code from a link fragment', () => {
    expect(codeFromLink(`#${encodeURIComponent(PRINTED)}`)).toBe(PRINTED);
    expect(codeFromLink('#%E0%A4%A')).toBe('');
  });
});
