/**
 * Issue 15 item 6: on a PaaS the disk is wiped at each redeploy, so production there refuses to
 * start on SQLite (DATA_DIR) and names MONGODB_URI. Railway is recognised by RAILWAY_ENVIRONMENT;
 * EPHEMERAL_DISK says it for any other host, or (false) that a volume keeps DATA_DIR.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { configProblems } from '../test-support/config-problems.js';
import { generateVapidKeys } from './vapid-keys.js';

const STRONG = 'a3f1c9e27b4d8e6f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7';
const VAPID = generateVapidKeys();
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: STRONG,
  SECRETS_KEY: STRONG,
  ALLOWED_ORIGINS: 'https://smartlock.up.railway.app',
  VAPID_PUBLIC_KEY: VAPID.publicKey,
  VAPID_PRIVATE_KEY: VAPID.privateKey,
  VAPID_SUBJECT: 'mailto:ops@locks.example',
};
const ATLAS = 'mongodb+srv://smartlock:pw@cluster0.abcde.mongodb.net/smartlock?retryWrites=true&w=majority';


describe('production on a disk wiped at redeploy', () => {
  it('refuses SQLite on Railway, naming MONGODB_URI and why', () => {
    expect(configProblems({ ...PRODUCTION, RAILWAY_ENVIRONMENT: 'production' })).toEqual([
      expect.stringMatching(/^MONGODB_URI: is required when NODE_ENV=production on a disk wiped at each redeploy \(RAILWAY_ENVIRONMENT is set\)/),
    ]);
  });

  it('refuses SQLite anywhere EPHEMERAL_DISK=true says so', () => {
    expect(configProblems({ ...PRODUCTION, EPHEMERAL_DISK: 'true' })).toEqual([expect.stringMatching(/^MONGODB_URI: .*\(EPHEMERAL_DISK=true\)/)]);
  });

  it('starts with a managed MongoDB there', () => {
    expect(configProblems({ ...PRODUCTION, RAILWAY_ENVIRONMENT: 'production', MONGODB_URI: ATLAS })).toEqual([]);
    expect(parseConfig({ ...PRODUCTION, EPHEMERAL_DISK: 'true', MONGODB_URI: ATLAS }).mongodbUri).toBe(ATLAS);
  });

  it('keeps SQLite on Railway when EPHEMERAL_DISK=false declares a volume at DATA_DIR', () => {
    expect(configProblems({ ...PRODUCTION, RAILWAY_ENVIRONMENT: 'production', EPHEMERAL_DISK: 'false' })).toEqual([]);
  });

  it('leaves other hosts and development alone', () => {
    expect(configProblems(PRODUCTION)).toEqual([]);
    expect(configProblems({ RAILWAY_ENVIRONMENT: 'production' })).toEqual([]);
    expect(configProblems({ NODE_ENV: 'development', EPHEMERAL_DISK: 'true' })).toEqual([]);
  });

  it('takes only auto, true or false', () => {
    expect(configProblems({ EPHEMERAL_DISK: 'yes' })).toEqual([expect.stringMatching(/^EPHEMERAL_DISK: /)]);
  });
});
