/**
 * `CommandRepository.open` as its three steps one after the other, each atomic on its own: for a
 * store without multi-document transactions (a standalone MongoDB has none). A failed `create`
 * leaves its counter spent, which the lock never sees: counters need only grow.
 */
import type { CommandRepository, LockRepository, OpenedCommand } from './ports.js';
import type { IdempotencyClaim, NewCommand } from './records.js';

export async function openInSteps(
  locks: Pick<LockRepository, 'allocateCounter'>,
  commands: Pick<CommandRepository, 'create' | 'supersedeOlder'>,
  command: Omit<NewCommand, 'counter'>,
  claim: IdempotencyClaim | undefined,
  at: Date,
): Promise<OpenedCommand | null> {
  const counter = await locks.allocateCounter(command.deviceId);
  if (counter === null) return null;
  const created = await commands.create({ ...command, counter }, claim);
  return { command: created, superseded: await commands.supersedeOlder(command.deviceId, command.id, counter, at) };
}
