/**
 * Step-up in the app: an operation the api refuses with STEP_UP_REQUIRED waits while the user
 * confirms their password (a dialog that calls `reauthenticate`), then is sent once more. One
 * question at a time: operations refused meanwhile wait for the same answer.
 */
import { ApiError } from './graphql-http';

export const STEP_UP_REQUIRED = 'STEP_UP_REQUIRED';

export function isStepUpRequired(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === STEP_UP_REQUIRED;
}

/** What the dialog shows: how recent the check must be. */
export interface StepUpQuestion {
  maxAgeSeconds: number | null;
}

type Listener = (question: StepUpQuestion | null) => void;

export class StepUpGate {
  private pending: { question: StepUpQuestion; answered: Promise<boolean>; answer: (confirmed: boolean) => void } | null = null;
  private readonly listeners = new Set<Listener>();

  /** Resolves true once the user confirmed (the retry may go), false if they cancelled. */
  confirm(error: ApiError): Promise<boolean> {
    if (this.pending) return this.pending.answered;
    const maxAge = error.extensions.maxAgeSeconds;
    const question = { maxAgeSeconds: typeof maxAge === 'number' ? maxAge : null };
    let answer: (confirmed: boolean) => void = () => undefined;
    const answered = new Promise<boolean>((resolve) => (answer = resolve));
    this.pending = { question, answered, answer };
    this.emit(question);
    return answered;
  }

  /** The dialog's outcome: true after a successful `reauthenticate`. */
  settle(confirmed: boolean): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    pending.answer(confirmed);
    this.emit(null);
  }

  /** The open question now, for a dialog mounted after it was asked. */
  get question(): StepUpQuestion | null {
    return this.pending?.question ?? null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(question: StepUpQuestion | null): void {
    for (const listener of this.listeners) listener(question);
  }
}
