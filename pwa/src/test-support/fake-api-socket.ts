/**
 * The api's end of a graphql-transport-ws socket, in memory (stub it as the global `WebSocket`):
 * acknowledges the connection, records every operation a client starts, and answers or pushes
 * when the test says so.
 */
import { afterEach, beforeEach, vi } from 'vitest';

export interface StartedOperation {
  id: string;
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
}

export class FakeApiSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static readonly opened: FakeApiSocket[] = [];

  readyState = FakeApiSocket.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((error: unknown) => void) | null = null;
  /** Operation id → operation name, while the client has not completed it. */
  readonly subscriptions = new Map<string, string>();
  /** Every operation the client started on this socket, in order. */
  readonly started: StartedOperation[] = [];
  /** Ids of the operations the client completed (cancelled) itself. */
  readonly completedByClient: string[] = [];

  constructor() {
    FakeApiSocket.opened.push(this);
    setTimeout(() => {
      this.readyState = FakeApiSocket.OPEN;
      this.onopen?.();
    });
  }

  send(text: string): void {
    const message = JSON.parse(text) as { type: string; id?: string; payload?: { operationName?: string; query?: string; variables?: Record<string, unknown> } };
    if (message.type === 'connection_init') this.reply({ type: 'connection_ack' });
    if (message.type === 'subscribe' && message.id) {
      const operationName = message.payload?.operationName ?? '';
      this.subscriptions.set(message.id, operationName);
      this.started.push({ id: message.id, operationName, query: message.payload?.query ?? '', variables: message.payload?.variables ?? {} });
    }
    if (message.type === 'complete' && message.id) {
      this.subscriptions.delete(message.id);
      this.completedByClient.push(message.id);
    }
  }

  close(code = 1000, reason = ''): void {
    this.readyState = FakeApiSocket.CLOSED;
    this.onclose?.({ code, reason });
  }

  /** Sends `data` to every subscription of the named operation. */
  push(operationName: string, data: unknown): void {
    for (const [id, name] of this.subscriptions) if (name === operationName) this.reply({ type: 'next', id, payload: { data } });
  }

  /** Answers one operation as the api answers a query or mutation: its result, then complete. */
  answer(id: string, result: { data?: unknown; errors?: unknown[] }): void {
    this.subscriptions.delete(id);
    this.reply({ type: 'next', id, payload: result });
    this.reply({ type: 'complete', id });
  }

  /** Refuses one operation before it runs (graphql-ws `error`: validation, onSubscribe). */
  refuse(id: string, errors: unknown[]): void {
    this.subscriptions.delete(id);
    this.reply({ type: 'error', id, payload: errors });
  }

  operations(): string[] {
    return [...this.subscriptions.values()].sort();
  }

  private reply(message: unknown): void {
    setTimeout(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }
}

/** Stubs the global WebSocket with FakeApiSocket around each test of the calling suite (and clears localStorage). */
export function useFakeApiSocket(): void {
  beforeEach(() => {
    FakeApiSocket.opened.length = 0;
    vi.stubGlobal('WebSocket', FakeApiSocket);
    localStorage.clear();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });
}
