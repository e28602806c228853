import { JobValidationError } from '../../lib/jobs';
import {
  AbortError,
  IceApiError,
  IceNetworkError,
  JobFailedError,
  RuntimeOptionsError,
  UnknownOutcomeError,
  WaitTimeoutError,
} from '../../lib/runtime/errors';
import { toErrorBody } from '../../lib/runtime/handler-errors';
import { createHandler } from '../../lib/runtime/handler';

const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;

describe('toErrorBody', () => {
  it.each([
    ['a service error', new IceApiError({ code: 'Forbidden.RAM', statusCode: 403, requestId: 'R1', action: 'SubmitIProductionJob', kind: 'permanent', attempts: 1, message: 'denied' }),
      { code: 'Forbidden.RAM', statusCode: 403, requestId: 'R1', action: 'SubmitIProductionJob', kind: 'permanent', attempts: 1 }],
    ['a network error', new IceNetworkError({ code: 'ECONNRESET', action: 'QueryIProductionJob', kind: 'transient', attempts: 9, cause: new Error('socket hang up') }),
      { code: 'ECONNRESET', action: 'QueryIProductionJob', attempts: 9 }],
    ['an unknown outcome', new UnknownOutcomeError({ action: 'SubmitMediaProducingJob', request: { TemplateId: 't' }, attempts: 1, clientToken: 'tok', cause: new Error('reset') }),
      { code: 'UnknownOutcome', action: 'SubmitMediaProducingJob', request: { TemplateId: 't' }, clientToken: 'tok', cause: 'reset' }],
    ['a failed job', new JobFailedError({ jobId: 'j1', code: 'InvalidInput', message: 'bad', status: 'Fail', job: { Status: 'Fail' } }),
      { code: 'JobFailed', jobId: 'j1', jobCode: 'InvalidInput', status: 'Fail', job: { Status: 'Fail' } }],
    ['a wait timeout', new WaitTimeoutError({ jobId: 'j1', lastStatus: 'Analyzing', timeoutMs: 5 }),
      { code: 'WaitTimeout', jobId: 'j1', lastStatus: 'Analyzing' }],
    ['an abandoned wait', new AbortError({ jobId: 'j1', lastStatus: 'Queuing' }),
      { code: 'WaitTimeout', jobId: 'j1', lastStatus: 'Queuing' }],
    ['refused client options', new RuntimeOptionsError('endpoint must be a host name, got "x"'),
      { code: 'InvalidConfiguration', message: 'endpoint must be a host name, got "x"' }],
    ['a validation error', new JobValidationError([{ field: 'fps', message: 'fps must be between 2 and 10, got 0', severity: 'error' }]),
      { code: 'InvalidRequest', issues: [{ field: 'fps', message: 'fps must be between 2 and 10, got 0', severity: 'error' }] }],
    ['a Node error with a code', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }],
    ['an error with an odd code', Object.assign(new Error('x'), { code: 42 }), { code: 'InternalError', message: 'x' }],
    ['a thrown string', 'boom', { code: 'InternalError', message: 'boom' }],
    ['a circular object', circular, { code: 'InternalError', message: '[object Object]' }],
  ])('GIVEN %s THEN it maps to its code and keeps the details', (_name, err, expected) => {
    // WHEN
    const body = toErrorBody(err);
    // THEN
    expect(body).toMatchObject(expected);
    expect(typeof body.message).toBe('string');
  });

  it('GIVEN an unknown outcome without the request THEN the event request is kept', () => {
    // WHEN
    const body = toErrorBody(new UnknownOutcomeError({ action: 'SubmitIProductionJob', request: undefined, attempts: 1, cause: 'x' }), { Name: 'mine' });
    // THEN
    expect(body).toMatchObject({ code: 'UnknownOutcome', request: { Name: 'mine' } });
  });
});

describe('handler last line of defence', () => {
  it('GIVEN a clock that throws THEN the handler still answers instead of rejecting', async () => {
    // GIVEN
    const broken = createHandler({ now: () => { throw new Error('clock broke'); }, log: () => undefined });
    // WHEN
    const answer = await broken(Buffer.from('{"action":"query","jobId":"a"}'), {});
    // THEN
    expect(answer).toEqual({ error: { code: 'InternalError', message: 'the handler failed: clock broke' } });
  });

  it('GIVEN a logger that throws THEN the answer is unaffected', async () => {
    // GIVEN
    const noisy = createHandler({ env: {}, log: () => { throw new Error('disk full'); } });
    // WHEN
    const answer = await noisy(Buffer.from('{"action":"nope"}'));
    // THEN
    expect(answer).toEqual({ error: expect.objectContaining({ code: 'UnknownAction' }) });
  });
});

describe('error answers stay small', () => {
  // What httpx throws when a connection is reset: its message ends with the whole request URL.
  const resetWithUrl = (query: string) =>
    Object.assign(new Error(`socket hang upPOST http://127.0.0.1:8091/?${query}failed.`), { code: 'ECONNRESET' });

  it('GIVEN an unknown outcome for an 8 MB request THEN the answer keeps its identifying fields, says what was cut, and drops the URL', () => {
    // GIVEN
    const timeline = { VideoTracks: [{ VideoTrackClips: [{ MediaURL: `https://in.oss-cn-shanghai.aliyuncs.com/${'a'.repeat(8 * 1024 * 1024)}.mp4` }] }] };
    const request = { Timeline: timeline, ClientToken: 'tok-1', UserData: { app: 'x' } };
    const err = new UnknownOutcomeError({
      action: 'SubmitMediaProducingJob',
      request,
      attempts: 9,
      clientToken: 'tok-1',
      cause: resetWithUrl(`Timeline=${encodeURIComponent(JSON.stringify(timeline))}`),
    });
    // WHEN
    const body = toErrorBody(err);
    const size = Buffer.byteLength(JSON.stringify({ error: body }));
    // THEN
    expect(size).toBeLessThan(4 * 1024);
    expect(body).toMatchObject({
      code: 'UnknownOutcome',
      clientToken: 'tok-1',
      request: { ClientToken: 'tok-1', UserData: { app: 'x' } },
      requestCut: expect.stringMatching(/^the request is \d+ bytes of JSON, more than the 16384 an answer echoes: only UserData, ClientToken field\(s\) kept$/),
    });
    expect(body.message).toContain('socket hang up (POST http://127.0.0.1:8091)');
    expect(body.message).not.toContain('Timeline=');
  });

  it('GIVEN a small request THEN it is echoed whole', () => {
    const request = { FunctionName: 'Cover', Name: 'n' };
    const body = toErrorBody(new UnknownOutcomeError({ action: 'SubmitIProductionJob', request, attempts: 1, cause: resetWithUrl('Name=n') }));
    expect(body.request).toEqual(request);
    expect(body).not.toHaveProperty('requestCut');
  });

  it('GIVEN an enormous message THEN it is cut, saying how much', () => {
    const body = toErrorBody(new Error('x'.repeat(100_000)));
    expect(body.message.length).toBeLessThan(2_100);
    expect(body.message).toMatch(/… \[98000 more characters cut\]$/);
  });
});
