/**
 * The statements behind an auditLog page, chosen so that each reads through an index in the page's
 * order and stops at the page (test/query-plans.test.ts holds their plans):
 *
 * - filters that name one device, actor or action: one statement, newest id first, on that index;
 * - a filter that stands for several devices (`device`: the typed id and the locks named so; a
 *   non-admin's scope: each of their devices, and their own actions) is split into one statement
 *   per device (an "arm"), each limited to the page on its own index; the arms are merged by id.
 *   One statement with `IN (…)` or `OR` made SQLite sort every matching entry first;
 * - a time window alone: newest first by time (see `timeOrdered`).
 */
import { foldName } from './name-folding.js';
import { toMs } from './sqlite-helpers.js';
import type { AuditFilter } from '../records.js';

export type Params = Record<string, string | number | null>;

/** Clauses that all hold, with their parameters. */
export interface Conditions {
  clauses: string[];
  params: Params;
}

/**
 * Above this many arms the page is read by one statement instead (a viewer with hundreds of locks:
 * their entries are then read through the device index and sorted, the cost of their history).
 */
export const MAX_ARMS = 200;

/** The filters that narrow every arm alike. */
export function sharedConditions(filter: AuditFilter): Conditions {
  const clauses: string[] = [];
  const params: Params = {};
  const add = (clause: string, name: string, value: string | number) => {
    clauses.push(clause);
    params[name] = value;
  };
  if (filter.deviceId !== undefined) add('device_id = @deviceId', 'deviceId', filter.deviceId);
  if (filter.actor !== undefined) add('actor = @actor', 'actor', filter.actor);
  if (filter.action !== undefined) add('action = @action', 'action', filter.action);
  if (filter.from !== undefined) add('at >= @from', 'from', toMs(filter.from));
  if (filter.to !== undefined) add('at <= @to', 'to', toMs(filter.to));
  return { clauses, params };
}

/**
 * True for a time window without any other filter. Such a page is read newest first by `at` (then
 * id), through the audit_at index, with a (time, id) cursor. Ordering by id would need ids to grow
 * with `at`, and they do not always: audit rows are appended with `at = now` except the Flask
 * import (migrate/flask-migration.ts), which appends old entries with their own times after newer
 * ones, and a clock set back stamps later ids with earlier times. So walking ids down to the window
 * (or bounding the ids of the window) could miss entries; the time order cannot.
 */
export function timeOrdered(filter: AuditFilter): boolean {
  const { from, to, ...rest } = filter;
  return (from !== undefined || to !== undefined) && Object.values(rest).every((value) => value === undefined);
}

/**
 * The arms of a filter: each is what one entry must also match in one of the ways the filter
 * allows (one device of `device`, one device of the scope, or the viewer's own actions).
 * `named`: the ids of the locks whose folded name is the folded `filter.device`.
 */
export function armsOf(filter: AuditFilter, named: readonly string[]): Conditions[] {
  let arms: Conditions[] = [{ clauses: [], params: {} }];
  if (filter.device !== undefined) {
    // Device ids are ASCII (DEVICE_ID_PATTERN), so NOCASE (ASCII) serves them and the audit_device_nocase index.
    const ids = [...new Set([foldName(filter.device), ...named.map((id) => id.toLowerCase())])];
    arms = ids.map((id) => ({ clauses: ['device_id COLLATE NOCASE = @named'], params: { named: id } }));
  }
  if (filter.scope !== undefined) {
    const scoped: Conditions[] = [
      ...filter.scope.devices.map((device) => ({
        clauses: ['device_id = @scopeDevice', 'at >= @scopeSince'],
        params: { scopeDevice: device.deviceId, scopeSince: toMs(device.since) },
      })),
      { clauses: ['actor = @scopeActor'], params: { scopeActor: filter.scope.actor } },
    ];
    arms = arms.flatMap((arm) => scoped.map((scope) => ({ clauses: [...arm.clauses, ...scope.clauses], params: { ...arm.params, ...scope.params } })));
  }
  return arms;
}

/**
 * The same filter as one statement, for more than MAX_ARMS arms. json_each keeps the SQL text the
 * same whatever the number of devices, so it is prepared once.
 */
export function singleStatementConditions(filter: AuditFilter, named: readonly string[]): Conditions {
  const clauses: string[] = [];
  const params: Params = {};
  if (filter.device !== undefined) {
    clauses.push('device_id COLLATE NOCASE IN (SELECT value FROM json_each(@named))');
    params.named = JSON.stringify([foldName(filter.device), ...named]);
  }
  if (filter.scope !== undefined) {
    // `[deviceId, sinceMs]` pairs; the IN keeps the audit_device index in use (a correlated EXISTS
    // alone made SQLite scan the table), the scalar subquery then applies that device's `since`.
    clauses.push(`((device_id IN (SELECT json_extract(value, '$[0]') FROM json_each(@scopeDevices))
         AND at >= (SELECT json_extract(value, '$[1]') FROM json_each(@scopeDevices) WHERE json_extract(value, '$[0]') = audit.device_id))
        OR actor = @scopeActor)`);
    params.scopeDevices = JSON.stringify(filter.scope.devices.map((device) => [device.deviceId, toMs(device.since)]));
    params.scopeActor = filter.scope.actor;
  }
  return { clauses, params };
}

export const whereOf = (clauses: readonly string[]): string => (clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`);
