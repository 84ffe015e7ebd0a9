/** What Home Assistant sends on a lock's command topic (discovery.ts's command_template). */
import type { CommandAction } from '../../store/records.js';

export interface HomeAssistantCommand {
  action: CommandAction;
  /** The PIN typed in Home Assistant; undefined when none was sent. */
  code: string | undefined;
}

/** A command can be short: anything longer is not from our template. */
const MAX_BYTES = 256;

/**
 * `{"action":"UNLOCK","code":"1234"}`, or a bare `LOCK`/`UNLOCK` (a user's own automation without
 * the template); null for anything else. An empty code (HA renders `{{ code }}` as "") is no code.
 */
export function parseHomeAssistantCommand(payload: Buffer): HomeAssistantCommand | null {
  if (payload.length === 0 || payload.length > MAX_BYTES) return null;
  const text = payload.toString('utf8').trim();
  if (text === 'LOCK' || text === 'UNLOCK') return { action: text, code: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { action, code } = parsed as { action?: unknown; code?: unknown };
  if (action !== 'LOCK' && action !== 'UNLOCK') return null;
  if (code !== undefined && code !== null && typeof code !== 'string') return null;
  return { action, code: typeof code === 'string' && code !== '' && code !== 'None' ? code : undefined };
}
