/**
 * Turns anything a call can throw into the handler's `{error: {...}}` answer, so the caller gets the service's
 * code and nothing is lost when the outcome of a submit is unknown.
 */
import { JobValidationError } from '../jobs';
import {
  AbortError,
  causeMessage,
  clip,
  IceApiError,
  IceNetworkError,
  JobFailedError,
  MissingCredentialsError,
  RuntimeOptionsError,
  UnknownOutcomeError,
  WaitTimeoutError,
} from './errors';

/**
 * Largest request an `UnknownOutcome` answer echoes, in bytes of JSON. A bigger one is replaced by its identifying
 * fields (what a caller needs to look the job up before resubmitting), and the answer says what was cut.
 */
export const MAX_ECHOED_REQUEST_BYTES = 16 * 1024;
/** Longest message an error answer carries. */
export const MAX_ERROR_MESSAGE_CHARS = 2_000;
const IDENTIFYING_FIELDS = ['FunctionName', 'Name', 'UserData', 'ClientToken', 'ProjectId', 'TemplateId'];

/** The request, or when it is too big to echo, its identifying fields and a note of what was cut. */
function echoRequest(request: unknown): Record<string, unknown> {
  let text: string | undefined;
  try {
    text = JSON.stringify(request);
  } catch {
    text = undefined;
  }
  if (text === undefined) return {};
  const bytes = Buffer.byteLength(text);
  if (bytes <= MAX_ECHOED_REQUEST_BYTES) return { request };
  const source = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const field of IDENTIFYING_FIELDS) {
    const value = source[field];
    if (value === undefined) continue;
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    if (shown !== undefined && Buffer.byteLength(shown) <= 1024) kept[field] = value;
  }
  return {
    request: kept,
    requestCut: `the request is ${bytes} bytes of JSON, more than the ${MAX_ECHOED_REQUEST_BYTES} an answer echoes: only ${Object.keys(kept).join(', ') || 'no'} field(s) kept`,
  };
}

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
      message: clip(err.message, MAX_ERROR_MESSAGE_CHARS),
      action: err.action,
      ...echoRequest(err.request ?? request),
      clientToken: err.clientToken,
      attempts: err.attempts,
      cause: err.cause !== undefined ? causeMessage(err.cause, 300) : undefined,
    }) as unknown as ErrorBody;
  }
  if (err instanceof MissingCredentialsError) {
    return {
      code: 'MissingCredentials',
      message: clip(
        `${err.message}. On Function Compute, give the function a role: FC passes its STS keys in context.credentials`,
        MAX_ERROR_MESSAGE_CHARS,
      ),
    };
  }
  if (err instanceof IceApiError) {
    return defined({
      code: err.code,
      message: clip(err.message, MAX_ERROR_MESSAGE_CHARS),
      statusCode: err.statusCode,
      requestId: err.requestId,
      action: err.action,
      kind: err.kind,
      attempts: err.attempts,
    }) as unknown as ErrorBody;
  }
  if (err instanceof IceNetworkError) {
    return defined({ code: err.code, message: clip(err.message, MAX_ERROR_MESSAGE_CHARS), action: err.action, kind: err.kind, attempts: err.attempts }) as unknown as ErrorBody;
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
    message: err instanceof Error ? causeMessage(err, MAX_ERROR_MESSAGE_CHARS) : clip(messageOf(err), MAX_ERROR_MESSAGE_CHARS),
  };
}
