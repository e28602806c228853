/**
 * Which HTTP status the service answered an attempt with, even when the SDK cannot tell us.
 *
 * `@alicloud/openapi-client` 0.4.15 parses every 4xx/5xx body as JSON; when the body is empty or not JSON (an HTTP
 * 431 from a front end, an HTML error page) it throws a bare `SyntaxError` and the status is lost, so an answer
 * the service gave would look like a request that may never have been answered. Node's `diagnostics_channel`
 * (`http.client.request.start`, stable since Node 19.9/18.19) announces every outgoing request of this process;
 * the attempt that started it is found through an `AsyncLocalStorage` store, and the response's status is noted on
 * it. The SDK's own request and response are untouched.
 * @internal
 */
import { AsyncLocalStorage } from 'async_hooks';
import * as diagnostics from 'diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'http';

export interface AttemptTrace {
  /** The status line of the answer, once its headers arrived. */
  statusCode?: number;
}

const attempts = new AsyncLocalStorage<AttemptTrace>();
let subscribed = false;

function onRequestStart(message: unknown): void {
  const trace = attempts.getStore();
  const request = (message as { request?: ClientRequest } | undefined)?.request;
  if (trace === undefined || request === undefined) return;
  request.once('response', (response: IncomingMessage) => {
    trace.statusCode = response.statusCode;
  });
}

/** Runs one SDK call, recording the status of the answer (if any) on `trace`. */
export function traceAttempt<T>(trace: AttemptTrace, call: () => Promise<T>): Promise<T> {
  if (!subscribed) {
    diagnostics.subscribe('http.client.request.start', onRequestStart);
    subscribed = true;
  }
  return attempts.run(trace, call);
}
