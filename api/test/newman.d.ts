// The part of newman's library API the Postman test uses (newman ships no types; @types/newman
// would be one more dependency for four fields).
declare module 'newman' {
  interface NewmanFailure {
    error: { name: string; message: string; test?: string };
    source?: { name?: string };
  }
  interface NewmanExecution {
    item: { name: string };
    response?: { code: number };
    assertions?: { assertion: string; error?: { message: string } }[];
  }
  interface NewmanSummary {
    run: {
      failures: NewmanFailure[];
      executions: NewmanExecution[];
      stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
    };
  }
  interface NewmanRunOptions {
    collection: unknown;
    environment?: unknown;
    envVar?: { key: string; value: string }[];
    reporters?: string | string[];
    timeoutRequest?: number;
  }
  export function run(options: NewmanRunOptions, callback: (error: Error | null, summary: NewmanSummary) => void): unknown;
}
