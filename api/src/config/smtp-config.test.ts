import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { configProblems } from '../test-support/config-problems.js';


describe('SMTP_URL and SMTP_FROM', () => {
  it('are off by default', () => {
    expect(parseConfig({}).smtp).toBeUndefined();
  });

  it('take an smtp:// or smtps:// URL with a sender', () => {
    expect(parseConfig({ SMTP_URL: 'smtps://u:p@mail.example:465', SMTP_FROM: 'Smartlock <lock@home.example>' }).smtp).toEqual({
      url: 'smtps://u:p@mail.example:465',
      from: 'Smartlock <lock@home.example>',
    });
  });

  it('stop the start-up when malformed or incomplete, naming the variable', () => {
    expect(configProblems({ SMTP_URL: 'http://mail.example', SMTP_FROM: 'a@b.example' })).toEqual([expect.stringMatching(/^SMTP_URL: must be a URL starting with smtp:\/\/ or smtps:\/\//)]);
    expect(configProblems({ SMTP_URL: 'smtp://mail.example' })).toEqual([expect.stringMatching(/^SMTP_FROM: is required with SMTP_URL/)]);
    expect(configProblems({ SMTP_URL: 'smtp://mail.example', SMTP_FROM: 'not an address' })).toEqual([expect.stringMatching(/^SMTP_FROM: must be an address/)]);
  });
});
