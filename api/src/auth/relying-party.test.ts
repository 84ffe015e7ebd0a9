import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config/config.js';
import { relyingParty } from './relying-party.js';

describe('the passkeys relying party', () => {
  it('takes WEBAUTHN_ORIGIN and WEBAUTHN_RP_ID, and refuses * or an RP id the origins are not under', () => {
    expect(parseConfig({ WEBAUTHN_ORIGIN: 'https://app.example.org, https://example.org', WEBAUTHN_RP_ID: 'Example.org' }).webauthn).toEqual({ origins: ['https://app.example.org', 'https://example.org'], rpId: 'example.org' });
    expect(() => parseConfig({ WEBAUTHN_ORIGIN: '*' })).toThrow(ConfigError);
    expect(() => parseConfig({ WEBAUTHN_ORIGIN: 'https://app.example.org', WEBAUTHN_RP_ID: 'other.org' })).toThrow(/WEBAUTHN_RP_ID/);
    expect(parseConfig({}).webauthn).toEqual({ origins: [], rpId: undefined });
  });

  it('is derived from the configured origins, else from the origin the request came to', () => {
    expect(relyingParty({ origins: ['https://a.example', 'https://b.example'], rpId: undefined }, 'https://b.example')).toEqual({ rpId: 'b.example', origins: ['https://a.example', 'https://b.example'] });
    expect(relyingParty({ origins: ['https://a.example'], rpId: undefined }, 'https://evil.example')).toEqual({ rpId: 'a.example', origins: ['https://a.example'] });
    expect(relyingParty({ origins: [], rpId: undefined }, 'http://localhost:4000')).toEqual({ rpId: 'localhost', origins: ['http://localhost:4000'] });
    expect(relyingParty({ origins: ['https://app.example.org'], rpId: 'example.org' }, undefined).rpId).toBe('example.org');
    expect(() => relyingParty({ origins: [], rpId: undefined }, undefined)).toThrow(/WEBAUTHN_ORIGIN/);
  });
});
