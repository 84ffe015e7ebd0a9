import { describe, expect, it, vi } from 'vitest';
import { createRequest } from './api-client';
import type { Connectivity } from './connectivity';
import { ApiError } from './graphql-http';
import type { SessionManager } from './session';
import { StepUpGate } from './step-up';

const STALE = { errors: [{ message: 'Confirm it is you', extensions: { code: 'STEP_UP_REQUIRED', maxAgeSeconds: 300 } }] };
const OK = { data: { removeLock: true } };
const DOCUMENT = { kind: 'Document', definitions: [] } as never;

function setUp(answers: unknown[]) {
  const sent: unknown[] = [];
  const fetchFn = vi.fn(async (_url: string, init?: { body?: unknown }) => {
    sent.push(init?.body);
    return new Response(JSON.stringify(answers.shift()), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  const session = { accessToken: () => Promise.resolve('token') } as unknown as SessionManager;
  const connectivity = { reportReachable: () => undefined, reportUnreachable: () => undefined } as unknown as Connectivity;
  const gate = new StepUpGate();
  const request = createRequest(session, connectivity, fetchFn, gate);
  return { gate, request, sent };
}

describe('step-up in the app', () => {
  it('asks the user when the api wants a recent password, then sends the operation once more', async () => {
    const { gate, request, sent } = setUp([STALE, OK]);
    const questions: unknown[] = [];
    gate.subscribe((question) => questions.push(question));
    const result = request(DOCUMENT, {});
    await vi.waitFor(() => expect(gate.question).toEqual({ maxAgeSeconds: 300 }));
    expect(sent).toHaveLength(1);
    gate.settle(true);
    expect(await result).toEqual({ removeLock: true });
    expect(sent).toHaveLength(2);
    expect(questions).toEqual([{ maxAgeSeconds: 300 }, null]);
  });

  it('gives up with the api\'s error when the user cancels, sending nothing more', async () => {
    const { gate, request, sent } = setUp([STALE]);
    const result = request(DOCUMENT, {});
    await vi.waitFor(() => expect(gate.question).not.toBeNull());
    gate.settle(false);
    await expect(result).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(sent).toHaveLength(1);
  });

  it('asks once for operations refused together', async () => {
    const gate = new StepUpGate();
    const error = new ApiError('x', 'STEP_UP_REQUIRED', { maxAgeSeconds: 60 });
    const first = gate.confirm(error);
    const second = gate.confirm(error);
    gate.settle(true);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(gate.question).toBeNull();
  });
});
