/**
 * BACKUP_CRON: backs the SQLite database up at the times a cron expression names (UTC), in this
 * process. Not on BullMQ like the sweep and retention: a SQLite file belongs to one api process
 * (replicas need MongoDB, whose backups are mongodump's), so there is never a second replica to
 * keep from running it twice. A failed backup is logged and counted, and the next time still comes.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Logger } from '../app/logger.js';
import { backupDatabase } from './sqlite-backup.js';

export interface BackupScheduleOptions {
  cron: string;
  dbFile: string;
  dir: string;
  keep: number;
  log: Logger;
  /** Told of each backup's outcome (metrics). */
  onResult?: (ok: boolean) => void;
  /** @default Date.now (tests pass a clock) */
  now?: () => number;
}

export interface BackupSchedule {
  /** When the next backup starts. */
  readonly nextAt: Date | undefined;
  stop(): Promise<void>;
}

// setTimeout's longest delay (about 24.8 days); a later time is reached in steps.
const MAX_DELAY_MS = 2 ** 31 - 1;

export function startBackupSchedule(options: BackupScheduleOptions): BackupSchedule {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let nextAt: Date | undefined;

  const planNext = () => {
    if (stopped) return;
    nextAt = CronExpressionParser.parse(options.cron, { currentDate: new Date(now()), tz: 'UTC' }).next().toDate();
    wait();
  };
  const wait = () => {
    const left = nextAt!.getTime() - now();
    timer = setTimeout(left > MAX_DELAY_MS ? wait : run, Math.min(Math.max(left, 0), MAX_DELAY_MS));
    timer.unref();
  };
  const run = () => {
    running = backupDatabase(options.dbFile, options.dir, { keep: options.keep, now: new Date(now()) }).then(
      (file) => {
        options.log.info({ file }, 'backup written');
        options.onResult?.(true);
      },
      (error: unknown) => {
        options.log.error({ err: error, dir: options.dir }, 'backup failed');
        options.onResult?.(false);
      },
    );
    void running.finally(() => {
      running = undefined;
      planNext();
    });
  };

  planNext();
  return {
    get nextAt() {
      return nextAt;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
