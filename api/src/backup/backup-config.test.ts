import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config/config.js';

function problem(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('parseConfig accepted it');
}

describe('backup settings', () => {
  it('are off by default, in DATA_DIR/backups, keeping 14', () => {
    expect(parseConfig({ DATA_DIR: '/srv/smartlock' }).backup).toEqual({ cron: undefined, dir: join('/srv/smartlock', 'backups'), keep: 14 });
    expect(parseConfig({ BACKUP_CRON: ' 0 3 * * * ', BACKUP_DIR: '/backups', BACKUP_KEEP: '30' }).backup).toEqual({ cron: '0 3 * * *', dir: '/backups', keep: 30 });
    expect(parseConfig({ BACKUP_CRON: '' }).backup.cron).toBeUndefined();
  });

  it('stop the start-up with a message naming the setting', () => {
    expect(problem({ BACKUP_CRON: '61 * * * *' })).toMatch(/BACKUP_CRON: must be a cron expression like "0 3 \* \* \*"/);
    expect(problem({ BACKUP_CRON: '0 0 3 * * *' })).toMatch(/BACKUP_CRON: must have five fields/);
    expect(problem({ BACKUP_CRON: 'daily' })).toMatch(/BACKUP_CRON/);
    expect(problem({ BACKUP_KEEP: '0' })).toMatch(/BACKUP_KEEP/);
  });
});
