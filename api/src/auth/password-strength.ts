/**
 * Password strength by estimated guesses (zxcvbn-ts with its common-password, English word and
 * name dictionaries), not composition rules (NIST SP 800-63B 5.1.1.2): a long phrase of plain
 * words passes, "Password1!" does not.
 *
 * The estimator runs in a worker thread started on demand and ended after a minute without
 * checks. Its dictionaries cost ~50 MB of memory and 170-400 ms of CPU to load: kept in the api's
 * own thread they blocked the event loop during the first sign-up (long enough on a busy machine to
 * look like overload) and stayed resident for a check that runs a few times a day.
 */
import { Worker } from 'node:worker_threads';
import { startDeadline, type Deadline } from '../app/deadline.js';

/** zxcvbn's score 3: about 10^8 guesses or more ("safely unguessable" online, slow offline). */
const MIN_SCORE = 3;
/** Characters past this are not estimated: matching is superlinear, and more length only helps. */
const ESTIMATED_LENGTH = 100;
/** zxcvbn tries every l33t reading of a password up to this many; digits-only input made the default (100) take seconds. */
const L33T_SUBSTITUTIONS = 8;
/** Words anyone attacking this service would try first. */
const SERVICE_WORDS = ['smartlock', 'smart lock', 'lock', 'unlock', 'door', 'front door', 'home'];
/** The worker (and its dictionaries) ends after this long without a check. */
export const ESTIMATOR_IDLE_MS = 60_000;
/**
 * A check takes milliseconds; one that has not answered this long after the worker was ready failed
 * (the worker is replaced). Loading the dictionaries is bounded apart: on a busy machine it alone took
 * over 10 s, and counting it against the first check turned a slow start into a failed sign-up.
 */
const CHECK_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 60_000;

export interface StrengthVerdict {
  strong: boolean;
  /** What makes it weak, e.g. "This is a frequently used password." */
  warning: string | null;
  /** What to do instead. */
  suggestions: string[];
}

interface Answer {
  ready?: true;
  id: number;
  score?: number;
  warning?: string | null;
  suggestions?: string[];
  error?: string;
}

// CommonJS run by the worker (eval): the api's TypeScript is not loadable in a worker under the
// test runner, and this is all the worker does. Module paths come resolved from here.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const [{ ZxcvbnFactory }, common, english] = workerData.modules.map((path) => require(path));
const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
  ...workerData.options,
});
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, password, userInputs }) => {
  try {
    const { score, feedback } = estimator.check(password, userInputs);
    parentPort.postMessage({ id, score, warning: feedback.warning, suggestions: feedback.suggestions });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

const MODULES = ['@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en'].map((name) => require.resolve(name));

interface Pending {
  resolve: (verdict: StrengthVerdict) => void;
  reject: (error: Error) => void;
  deadline: Deadline | undefined;  // set once the worker is ready
}

export interface EstimatorTimings {
  idleMs?: number;
  checkTimeoutMs?: number;
  startTimeoutMs?: number;
}

/** One worker at a time, started by the first check and ended when idle or on `stop()`. */
export class StrengthEstimator {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private ready = false;
  private workerStartDeadline: Deadline | undefined;
  private readonly idleMs: number;
  private readonly checkTimeoutMs: number;
  private readonly startTimeoutMs: number;

  constructor({ idleMs = ESTIMATOR_IDLE_MS, checkTimeoutMs = CHECK_TIMEOUT_MS, startTimeoutMs = START_TIMEOUT_MS }: EstimatorTimings = {}) {
    this.idleMs = idleMs;
    this.checkTimeoutMs = checkTimeoutMs;
    this.startTimeoutMs = startTimeoutMs;
  }

  /** `userInputs`: words the owner's own data gives away (the username), guessed first. */
  estimate(password: string, userInputs: string[] = []): Promise<StrengthVerdict> {
    const worker = this.ensureWorker();
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise<StrengthVerdict>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, deadline: this.ready ? this.checkDeadline() : undefined });
      worker.postMessage({ id, password, userInputs: [...userInputs, ...SERVICE_WORDS] });
    });
  }

  /** True while a worker holds the dictionaries (for tests and diagnostics). */
  isLoaded(): boolean {
    return this.worker !== undefined;
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.fail(new Error('password strength estimator stopped'));
    await worker?.terminate();
  }

  private checkDeadline(): Deadline {
    return startDeadline(this.checkTimeoutMs, () => this.fail(new Error('password strength check timed out')));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    this.ready = false;
    this.workerStartDeadline = startDeadline(this.startTimeoutMs, () => this.fail(new Error('password strength worker did not start')));
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { modules: MODULES, options: { maxLength: ESTIMATED_LENGTH, l33tMaxSubstitutions: L33T_SUBSTITUTIONS } },
    });
    // Never what keeps the process alive: shutdown does not wait for an idle estimator.
    worker.unref();
    worker.on('message', (answer: Answer) => this.answer(answer));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(new Error(`password strength worker exited (${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private answer({ ready, id, score, warning, suggestions, error }: Answer): void {
    if (ready) {
      this.ready = true;
      this.workerStartDeadline?.clear();
      for (const entry of this.pending.values()) entry.deadline = this.checkDeadline();
      return;
    }
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    entry.deadline?.clear();
    if (error !== undefined || score === undefined) entry.reject(new Error(`password strength check failed: ${error ?? 'no score'}`));
    else entry.resolve({ strong: score >= MIN_SCORE, warning: warning ?? null, suggestions: suggestions ?? [] });
    if (this.pending.size === 0) this.scheduleIdleStop();
  }

  private scheduleIdleStop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const worker = this.worker;
      this.worker = undefined;
      void worker?.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** Rejects every pending check and drops the worker; the next check starts a new one. */
  private fail(error: Error): void {
    clearTimeout(this.idleTimer);
    this.workerStartDeadline?.clear();
    this.ready = false;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    for (const { reject, deadline } of this.pending.values()) {
      deadline?.clear();
      reject(error);
    }
    this.pending.clear();
  }
}

// Shared by every app in the process (tests start several) and never stopped with one: its worker
// is unref'd, so it never holds a shutdown up, and it ends by itself when idle.
const shared = new StrengthEstimator();

/** The process-wide estimator (sign-up, password change, the bootstrap admin). */
export function estimateStrength(password: string, userInputs: string[] = []): Promise<StrengthVerdict> {
  return shared.estimate(password, userInputs);
}
