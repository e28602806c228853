/**
 * Turns anything a call can throw into the handler's `{error: {...}}` answer, so the caller gets the service's
 * code and nothing is lost when the outcome of a submit is unknown.
 */
import { JobValidationError } from '../jobs';
import { AbortError, IceApiError, IceNetworkError, JobFailedError, RuntimeOptionsError, UnknownOutcomeError, WaitTimeoutError } from './errors';

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly [extra: string]: unknown;
}

// A type alias (not an interface) so that it fits `Record<string, unknown>` answers.
export type ErrorResponse = { readonly error: ErrorBody };

export function errorResponse(body: ErrorBody): ErrorResponse;
export function errorResponse(code: string, message: string, extra?: Record<string, unknown>): ErrorResponse;
export function errorResponse(codeOrBody: string | ErrorBody, message?: string, extra?: Record<string, unknown>): ErrorResponse {
  if (typeof codeOrBody !== 'string') return { error: codeOrBody };
  return { error: { code: codeOrBody, message: message ?? codeOrBody, ...(extra ?? {}) } };
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    // circular or BigInt-holding values
    return String(err);
  }
}

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * @param request the request the event carried, kept in an `UnknownOutcome` answer (when the error lacks it) so that the caller can check
 * whether the job exists before submitting it again.
 */
export function toErrorBody(err: unknown, request?: unknown): ErrorBody {
  if (err instanceof UnknownOutcomeError) {
    return defined({
      code: 'UnknownOutcome',
      message: err.message,
      action: err.action,
      request: err.request ?? request,
      clientToken: err.clientToken,
      attempts: err.attempts,
      cause: err.cause !== undefined ? messageOf(err.cause) : undefined,
    }) as unknown as ErrorBody;
  }
  if (err instanceof IceApiError) {
    return defined({
      code: err.code,
      message: err.message,
      statusCode: err.statusCode,
      requestId: err.requestId,
      action: err.action,
      kind: err.kind,
      attempts: err.attempts,
    }) as unknown as ErrorBody;
  }
  if (err instanceof IceNetworkError) {
    return defined({ code: err.code, message: err.message, action: err.action, kind: err.kind, attempts: err.attempts }) as unknown as ErrorBody;
  }
  if (err instanceof JobFailedError) {
    return defined({
      code: 'JobFailed',
      message: err.message,
      jobId: err.jobId,
      status: err.status,
      jobCode: err.code,
      job: err.job,
    }) as unknown as ErrorBody;
  }
  if (err instanceof WaitTimeoutError) {
    return defined({ code: 'WaitTimeout', message: err.message, jobId: err.jobId, lastStatus: err.lastStatus }) as unknown as ErrorBody;
  }
  // The client refuses settings it cannot work with (an ICE_ENDPOINT with a scheme, say) before any call.
  if (err instanceof RuntimeOptionsError) {
    return { code: 'InvalidConfiguration', message: err.message };
  }
  // The handler aborts a wait only when the function's time runs out: for the caller that is a timeout.
  if (err instanceof AbortError) {
    return defined({ code: 'WaitTimeout', message: err.message, jobId: err.jobId, lastStatus: err.lastStatus }) as unknown as ErrorBody;
  }
  if (err instanceof JobValidationError) {
    return { code: 'InvalidRequest', message: err.message, issues: err.issues };
  }
  // Errors straight from the SDK or Node (ECONNREFUSED...) carry a string code worth passing on.
  const code = (err as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' && /^[A-Za-z][\w.]*$/.test(code) ? code : 'InternalError',
    message: messageOf(err),
  };
}
