import { describe, expect, it } from 'vitest';
import { parseHomeAssistantCommand } from './command-payload.js';

const parse = (text: string) => parseHomeAssistantCommand(Buffer.from(text));

describe('parseHomeAssistantCommand', () => {
  it('reads what the discovery command_template renders', () => {
    expect(parse('{"action":"UNLOCK","code":"4321"}')).toEqual({ action: 'UNLOCK', code: '4321' });
    expect(parse('{"action":"LOCK","code":""}')).toEqual({ action: 'LOCK', code: undefined });
    expect(parse('{"action":"LOCK","code":"None"}')).toEqual({ action: 'LOCK', code: undefined });
    expect(parse('UNLOCK')).toEqual({ action: 'UNLOCK', code: undefined });
  });

  it('drops anything else', () => {
    for (const text of ['', 'OPEN', 'unlock', '{"action":"OPEN"}', '{"action":"UNLOCK","code":4321}', '[1]', 'null', '{', 'x'.repeat(300)]) {
      expect(parse(text), text).toBeNull();
    }
  });
});
