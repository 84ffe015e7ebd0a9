import { describe, expect, it } from 'vitest';
import { formatClaimCode, parseClaimCode } from './claim-code.js';
import { claimKey, claimMessage, helloProvesCode, openClaimMessage, readHello, sha256, signHello } from './claim-crypto.js';

// The worked example of docs/protocol.md "Claiming".
const code = { factoryId: '5ca1ab1e0ddba11f', secret: Uint8Array.from(Buffer.from('00112233445566778899', 'hex')) };
const PRINTED = 'SL1-5CA1AB1E0DDBA11F-008J-4CT4-ANK7-F24S-7Y';
const HELLO =
  '{"v":1,"type":"unclaimed","fid":"5ca1ab1e0ddba11f","n":"0f1e2d3c4b5a6978","fw":"fw-1.0","sig":"bbb8469440de08e172fdf386ff75bd42a5b6a099191f0f9de89eea643369539b"}';
const CLAIM =
  '{"v":1,"type":"claim","fid":"5ca1ab1e0ddba11f","n":"0f1e2d3c4b5a6978","dev":"lk-0123456789abcdef","nonce":"000102030405060708090a0b0c0d0e0f","key":"aea0dad203893ff813fd0bc6bc2b4ca35b4a7be7f9fbcb158cd1b21ba2623b45","sig":"e96bab2c6bf2adda364a70e7077e1cf2ff8aff1ffbe4087c3e9fedb133f2152c"}';
const K = Buffer.alloc(32, 0xaa);

describe('claim code', () => {
  it('prints the worked example and reads it back', async () => {
    expect(await formatClaimCode(code, sha256)).toBe(PRINTED);
    expect(await parseClaimCode(PRINTED, sha256)).toEqual({ ok: true, code });
  });

  it('reads it in lower case, without hyphens, with spaces, O for 0 and from a link', async () => {
    for (const typed of [PRINTED.toLowerCase(), PRINTED.replace(/-/g, ''), PRINTED.replace(/-/g, ' '), PRINTED.replace(/0/g, 'O'), `https://app.example/claim#${PRINTED}`]) {
      expect(await parseClaimCode(typed, sha256), typed).toEqual({ ok: true, code });
    }
  });

  it('catches every single-character typo with its check characters', async () => {
    const compact = PRINTED.replace(/-/g, '');
    let caught = 0;
    let tried = 0;
    for (let i = 3; i < compact.length; i += 1) {
      for (const other of '0123456789ABCDEFGHJKMNPQRSTVWXYZ') {
        if (other === compact[i]) continue;
        const typo = compact.slice(0, i) + other + compact.slice(i + 1);
        tried += 1;
        const parsed = await parseClaimCode(typo, sha256);
        if (!parsed.ok) caught += 1;
      }
    }
    // Luhn mod 32 catches every single wrong character, whatever the code.
    expect(caught).toBe(tried);
  });

  it('refuses what is not a code', async () => {
    for (const text of ['', 'SL1', 'SL2-5CA1AB1E0DDBA11F-008J-4CT4-ANK7-F24S-7Y', `${PRINTED}X`, 'SL1-5CA1AB1E0DDBA11G-008J-4CT4-ANK7-F24S-7Y', '%E0%A4%A']) {
      expect((await parseClaimCode(text, sha256)).ok, text).toBe(false);
    }
  });
});

describe('claim messages', () => {
  it('match the worked example: keys, hello and claim message', () => {
    expect(claimKey(code, 'hello').toString('hex')).toBe('8e70945b17f83879e80079135daf964178608e2cbcd751c44b25be0e1202deae');
    expect(signHello(code, '0f1e2d3c4b5a6978', 'fw-1.0')).toBe(HELLO);
    expect(claimMessage(code, '0f1e2d3c4b5a6978', 'lk-0123456789abcdef', K, Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'))).toBe(CLAIM);
  });

  it('a hello proves the code that signed it, and no other', () => {
    const hello = readHello(code.factoryId, HELLO);
    expect(hello).not.toBeNull();
    if (!hello) return;
    expect(helloProvesCode(hello, code)).toBe(true);
    const other = { ...code, secret: Uint8Array.from(code.secret).fill(1, 0, 1) };
    expect(helloProvesCode(hello, other)).toBe(false);
    expect(readHello('0000000000000000', HELLO)).toBeNull(); // another lock's topic
  });

  it('the lock opens the claim message only with its code and its current nonce', () => {
    expect(openClaimMessage(code, '0f1e2d3c4b5a6978', CLAIM)).toEqual({ deviceId: 'lk-0123456789abcdef', deviceSecret: K });
    expect(openClaimMessage(code, '1111111111111111', CLAIM)).toBeNull();
    expect(openClaimMessage(code, '0f1e2d3c4b5a6978', CLAIM.replace('"dev":"lk-0', '"dev":"lk-1'))).toBeNull();
  });
});
