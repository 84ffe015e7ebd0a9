/**
 * One lock's lock/unlock flow: the mutation, then the outcome from `commandUpdated` (subscribed
 * right after the mutation returns) with a poll of `command(id)` after 1 s in case the final event
 * raced the subscription, and a late poll in case the socket is down.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandAction, CommandFieldsFragment } from '../gql/graphql';
import { isFinal } from '../lib/command-display';
import { errorMessage, NetworkError } from '../lib/graphql-http';
import { CommandDocument, CommandUpdatedDocument, LockCommandDocument, UnlockCommandDocument } from '../operations/commands';
import { useServices } from './use-services';

export type CommandView =
  | { phase: 'idle' }
  | { phase: 'sending'; action: CommandAction }
  | { phase: 'sent'; action: CommandAction; command: CommandFieldsFragment }
  | { phase: 'done'; action: CommandAction; command: CommandFieldsFragment }
  | { phase: 'error'; action: CommandAction; message: string; cause: unknown };

const POLL_AFTER_MS = [1000, 15_000, 30_000];

export function useCommand(deviceId: string): { view: CommandView; send: (action: CommandAction) => Promise<void> } {
  const { request, live } = useServices();
  const [view, setView] = useState<CommandView>({ phase: 'idle' });
  const stopFollowing = useRef<(() => void) | null>(null);

  useEffect(() => () => stopFollowing.current?.(), []);

  const follow = useCallback(
    (command: CommandFieldsFragment) => {
      let done = false;
      const timers: ReturnType<typeof setTimeout>[] = [];
      let unsubscribe = () => {};
      const stop = () => {
        done = true;
        timers.forEach(clearTimeout);
        unsubscribe();
      };
      const apply = (update: CommandFieldsFragment) => {
        if (done || update.id !== command.id) return;
        if (isFinal(update.state)) {
          stop();
          setView({ phase: 'done', action: update.action, command: update });
        }
      };
      stopFollowing.current = stop;
      setView({ phase: 'sent', action: command.action, command });
      unsubscribe = live.subscribe(CommandUpdatedDocument, { id: command.id }, { next: (data) => apply(data.commandUpdated) });
      for (const delay of POLL_AFTER_MS) {
        timers.push(
          setTimeout(() => {
            request(CommandDocument, { id: command.id }).then(
              (data) => apply(data.command),
              () => undefined,
            );
          }, delay),
        );
      }
    },
    [live, request],
  );

  const send = useCallback(
    async (action: CommandAction) => {
      stopFollowing.current?.();
      stopFollowing.current = null;
      setView({ phase: 'sending', action });
      // One key per press: if the answer is lost, the retry cannot send the command twice.
      const variables = { deviceId, idempotencyKey: crypto.randomUUID() };
      // First on the live socket if it is open (the shortest way to the door), a retry of a lost
      // answer over HTTP; the retry keeps the key, so it cannot send the command twice.
      const once = async (preferLiveSocket: boolean) =>
        action === 'LOCK'
          ? (await request(LockCommandDocument, variables, { preferLiveSocket })).lock
          : (await request(UnlockCommandDocument, variables, { preferLiveSocket })).unlock;
      try {
        const command = await once(true).catch((error: unknown) => {
          if (error instanceof NetworkError) return once(false);
          throw error;
        });
        if (isFinal(command.state)) setView({ phase: 'done', action, command });
        else follow(command);
      } catch (error) {
        setView({ phase: 'error', action, message: errorMessage(error), cause: error });
      }
    },
    [deviceId, follow, request],
  );

  return { view, send };
}
