import * as fc from 'fast-check';
import {
  backoffDelayMs,
  classifyError,
  failureCode,
  isRetryable,
  resolveRetryOptions,
  retryAfterMs,
  retryDelayMs,
} from '../../lib/runtime/retry';
import { ErrorKind } from '../../lib/runtime/errors';

/** Shapes exactly as openapi-client 0.4.15 / httpx 2.3 throw them (see client-errors.test.ts for the real ones). */
function apiError(code: string, statusCode: number, data: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${code}: code: ${statusCode}, msg`), { code, statusCode, data: { Code: code, statusCode, ...data } });
}
function socketError(code: string, syscall?: string): Error {
  return Object.assign(new Error(`${code} POST http://127.0.0.1:1/ failed.`), { code, syscall });
}
function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { name: 'RequestTimeoutError' });
}

describe('classifyError', () => {
  it.each<[string, ErrorKind, unknown]>([
    ['Throttling', 'throttling', apiError('Throttling', 400)],
    ['Throttling.User', 'throttling', apiError('Throttling.User', 400)],
    ['Throttling.Api', 'throttling', apiError('Throttling.Api', 400)],
    ['HTTP 429 with any code', 'throttling', apiError('TooManyRequests', 429)],
    ['InternalError 500', 'transient', apiError('InternalError', 500)],
    ['ServiceUnavailable 503', 'transient', apiError('ServiceUnavailable', 503)],
    ['BadGateway 502 (a proxy may have forwarded it)', 'unknown-outcome', apiError('BadGateway', 502)],
    ['GatewayTimeout 504', 'unknown-outcome', apiError('GatewayTimeout', 504)],
    ['InvalidParameter', 'permanent', apiError('InvalidParameter', 400)],
    ['MissingParameter', 'permanent', apiError('MissingParameter', 400)],
    ['Forbidden.RAM', 'permanent', apiError('Forbidden.RAM', 403)],
    ['SignatureDoesNotMatch', 'permanent', apiError('SignatureDoesNotMatch', 403)],
    ['IdempotentParameterMismatch', 'permanent', apiError('IdempotentParameterMismatch', 400)],
    ['JobNotFound 404', 'permanent', apiError('InvalidParameter.JobNotFound', 404)],
    ['ECONNREFUSED', 'transient', socketError('ECONNREFUSED', 'connect')],
    ['ENOTFOUND', 'transient', socketError('ENOTFOUND', 'getaddrinfo')],
    ['ETIMEDOUT in connect', 'transient', socketError('ETIMEDOUT', 'connect')],
    ['ECONNRESET (socket hang up)', 'unknown-outcome', socketError('ECONNRESET')],
    ['EPIPE', 'unknown-outcome', socketError('EPIPE', 'write')],
    ['plain socket hang up', 'unknown-outcome', new Error('socket hang up')],
    ['ReadTimeout', 'unknown-outcome', timeoutError('ReadTimeout(200). POST http://127.0.0.1/ failed.')],
    ['ReadTimeout while reading the body', 'unknown-outcome', timeoutError('ReadTimeout: 200. POST / failed.')],
    ['ConnectTimeout (idle timer; may fire after sending)', 'unknown-outcome', timeoutError('ConnectTimeout: Connect http://x failed.')],
    ['non-JSON answer body', 'unknown-outcome', new SyntaxError('Unexpected token <')],
    ['credential chain failure', 'permanent', new Error('unable to get credentials from any of the providers in the chain')],
    ['a TypeError (programming error)', 'permanent', new TypeError('x is not a function')],
    ['undefined', 'permanent', undefined],
  ])('%s → %s', (_name, kind, err) => {
    // WHEN
    const got = classifyError(err, { action: 'SubmitIProductionJob' });
    // THEN
    expect(got).toBe(kind);
  });

  it('treats ConnectTimeout as not sent only when the connect timeout outlasts the read timeout', () => {
    // GIVEN
    const err = timeoutError('ConnectTimeout: Connect http://x failed.');
    // WHEN / THEN
    expect(classifyError(err, { connectTimeoutProvesNotSent: true })).toBe('transient');
    expect(classifyError(err, { connectTimeoutProvesNotSent: false })).toBe('unknown-outcome');
  });
});

describe('isRetryable', () => {
  it.each<[ErrorKind, boolean, boolean]>([
    ['throttling', false, true],
    ['throttling', true, true],
    ['transient', false, true],
    ['transient', true, true],
    ['unknown-outcome', false, false],
    ['unknown-outcome', true, true],
    ['permanent', false, false],
    ['permanent', true, false],
  ])('%s with idempotent=%s → %s', (kind, idempotent, expected) => {
    expect(isRetryable(kind, { idempotent })).toBe(expected);
  });
});

describe('failureCode', () => {
  it.each<[string, string, unknown]>([
    ['socket code', 'ECONNRESET', socketError('ECONNRESET')],
    ['read timeout', 'ReadTimeout', timeoutError('ReadTimeout(5). x')],
    ['connect timeout', 'ConnectTimeout', timeoutError('ConnectTimeout: x')],
    ['syntax error', 'InvalidResponseBody', new SyntaxError('bad')],
    ['api code', 'Throttling', apiError('Throttling', 400)],
    ['nothing', 'UnknownError', undefined],
  ])('%s → %s', (_n, code, err) => {
    expect(failureCode(err)).toBe(code);
  });
});

describe('backoffDelayMs', () => {
  const options = { baseMs: 100, capMs: 5000 };

  it('is random() times the capped exponential ceiling', () => {
    // GIVEN a fixed random source
    const half = (): number => 0.5;
    // WHEN / THEN
    expect([0, 1, 2, 3, 6, 10].map((a) => backoffDelayMs(a, options, half))).toEqual([50, 100, 200, 400, 2500, 2500]);
  });

  it('stays within [0, min(cap, base * 2^attempt)) for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (attempt, r, baseMs, extra) => {
          const capMs = baseMs + extra;
          const d = backoffDelayMs(attempt, { baseMs, capMs }, () => r);
          const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
          return d >= 0 && d <= ceiling && (ceiling === 0 || d < ceiling);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never decreases with the attempt for the same random value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        return backoffDelayMs(attempt + 1, options, () => r) >= backoffDelayMs(attempt, options, () => r);
      }),
      { numRuns: 300 },
    );
  });
});

describe('retryAfterMs and retryDelayMs', () => {
  it.each<[string, number | undefined, unknown]>([
    ['RetryAfter in the body (number)', 1500, apiError('Throttling', 400, { RetryAfter: 1500 })],
    ['retryAfter in the body (string)', 250, apiError('Throttling', 400, { retryAfter: '250' })],
    ['retryAfter on the error', 40, Object.assign(new Error('x'), { retryAfter: 40 })],
    ['no hint', undefined, apiError('Throttling', 400)],
    ['garbage hint', undefined, apiError('Throttling', 400, { RetryAfter: 'soon' })],
    ['negative hint', undefined, apiError('Throttling', 400, { RetryAfter: -3 })],
  ])('%s → %s', (_n, expected, err) => {
    expect(retryAfterMs(err)).toBe(expected);
  });

  it('waits at least the hint, clamped to maxRetryAfterMs', () => {
    // GIVEN
    const options = resolveRetryOptions({ baseMs: 100, capMs: 1000, maxRetryAfterMs: 2000 });
    const zero = (): number => 0;
    // WHEN / THEN
    expect(retryDelayMs(0, apiError('Throttling', 400, { RetryAfter: 700 }), options, zero)).toBe(700);
    expect(retryDelayMs(0, apiError('Throttling', 400, { RetryAfter: 90_000 }), options, zero)).toBe(2000);
    expect(retryDelayMs(3, apiError('Throttling', 400, { RetryAfter: 10 }), options, () => 0.5)).toBe(400);
    expect(retryDelayMs(3, apiError('Throttling', 400), options, () => 0.5)).toBe(400);
  });
});

describe('resolveRetryOptions', () => {
  it('fills the defaults', () => {
    expect(resolveRetryOptions()).toEqual({ retries: 8, baseMs: 100, capMs: 5000, maxRetryAfterMs: 60000 });
  });

  it.each<[object, string]>([
    [{ retries: -1 }, 'retries must be an integer between 0 and 20, got -1'],
    [{ retries: 21 }, 'retries must be an integer between 0 and 20, got 21'],
    [{ retries: 1.5 }, 'retries must be an integer between 0 and 20, got 1.5'],
    [{ retries: '3' }, 'retries must be an integer between 0 and 20, got "3"'],
    [{ baseMs: -5 }, 'baseMs must be an integer between 0 and 3600000, got -5'],
    [{ capMs: NaN }, 'capMs must be an integer between 0 and 3600000, got NaN'],
    [{ baseMs: 500, capMs: 100 }, 'capMs must be at least baseMs (500), got 100'],
    [{ maxRetryAfterMs: Infinity }, 'maxRetryAfterMs must be an integer between 0 and 3600000, got Infinity'],
  ])('rejects %j', (options, message) => {
    expect(() => resolveRetryOptions(options as never)).toThrow(message);
  });
});
