import {
  CATALOGUE, FUNCTION_NAMES, type IProductionJob, isEmptyResult, parseSubmitIProductionJob, ResponseShapeError, isTerminalIProductionStatus, isTerminalMediaProducingStatus, parseGetMediaProducingJob,
  parseQueryIProductionJob,
} from '../../lib/jobs';

/** Seed 004's success example. */
const SEED_004 = {
  RequestId: '',
  JobId: '****20b48fb04483915d4f2cd8ac****',
  Name: '',
  FunctionName: 'Cover',
  Input: { Type: 'OSS', Media: 'oss://bucket/object' },
  Output: { Type: 'OSS', Media: 'oss://bucket/object' },
  TemplateId: '****96e8864746a0b6f3****',
  JobParams: '{"Model":"gif"}',
  ScheduleConfig: { PipelineId: 'a54fdc9c9aab413caef0d1150f565e86', Priority: 6 },
  UserData: '{"test":1}',
  Result: '{}',
  CreateTime: '2022-07-07T07:16:11Z',
  FinishTime: '2021-11-26T14:50:25Z',
  Status: 'Success',
  OutputFiles: ['output/xxx.mp4'],
  OutputUrls: ['http://xxx'],
};

const COVER = '[{"Score":8.270855992569906,"Time":"28278.25","Url":"cover/test-00001.jpg"},{"Score":7.474117489692728,"Time":"25942.583333333332","Url":"cover/test-00002.jpg"}]';

describe('parseQueryIProductionJob (ICE)', () => {
  it("reads seed 004's example", () => {
    // WHEN the seed's answer is parsed
    const job = parseQueryIProductionJob(SEED_004);
    // THEN its fields come through, and its Result "{}" is an empty result, not a malformed one (seed 004 line 88)
    expect(job).toMatchObject({
      JobId: SEED_004.JobId, FunctionName: 'Cover', KnownFunction: true, Status: 'Success', RawStatus: 'Success',
      OutputFiles: ['output/xxx.mp4'], OutputUrls: ['http://xxx'], CreateTime: '2022-07-07T07:16:11Z', FinishTime: '2021-11-26T14:50:25Z',
      UserData: '{"test":1}', PipelineId: 'a54fdc9c9aab413caef0d1150f565e86', Result: {}, ResultRaw: '{}',
    });
    expect(job.Warnings).toEqual([]);
    expect(isEmptyResult(job.Result)).toBe(true);
  });

  it.each([
    ['Cover', COVER, [{ Score: 8.270855992569906, Time: '28278.25', Url: 'cover/test-00001.jpg' }, { Score: 7.474117489692728, Time: '25942.583333333332', Url: 'cover/test-00002.jpg' }]],
    ['VideoClip', '{"VideoSummaryList":[{"EndTime":"5.28","StartTime":"0.28"}]}', { VideoSummaryList: [{ StartTime: '0.28', EndTime: '5.28' }] }],
    ['MusicSegmentDetect', '[{"start":39.32,"end":63.85,"title":"chorus"}]', [{ start: 39.32, end: 63.85, title: 'chorus' }]],
    ['AudioQualityAssessment', '[{"MOS":"Poor","Channel":"1"},{"MOS":"Fair","Channel":"2"}]', [{ MOS: 'Poor', Channel: '1' }, { MOS: 'Fair', Channel: '2' }]],
    ['VideoDelogo', '{}', {}],
  ])('types the %s result of seed 004', (fn, result, typed) => {
    const job = parseQueryIProductionJob({ ...SEED_004, FunctionName: fn, Result: result });
    expect(job.Result).toEqual(typed);
    expect(job.Warnings).toEqual([]);
  });

  it.each(FUNCTION_NAMES.filter((f) => CATALOGUE[f].resultExample !== undefined))('types the catalogue example Result of %s without warnings', (fn) => {
    // GIVEN seed 004's example Result as recorded in the catalogue
    const job = parseQueryIProductionJob({ ...SEED_004, FunctionName: fn, Result: CATALOGUE[fn].resultExample });
    // THEN it parses into the documented shape
    expect(job.Warnings).toEqual([]);
    expect(typeof job.Result).not.toBe('string');
  });

  it('narrows Result by FunctionName', () => {
    const job: IProductionJob = parseQueryIProductionJob({ ...SEED_004, Result: COVER });
    // The compiler lets Cover's fields be read after narrowing (a list, not the empty {}); the test reads them.
    if (job.KnownFunction && job.FunctionName === 'Cover' && typeof job.Result === 'object' && !isEmptyResult(job.Result)) {
      const url: string = job.Result[0].Url;
      // @ts-expect-error Cover's items have Score, Time and Url only: the narrowing keeps the item type
      const other: unknown = job.Result[0].Width;
      expect([url, other]).toEqual(['cover/test-00001.jpg', undefined]);
    } else {
      throw new Error(`expected a typed Cover job, got ${JSON.stringify(job)}`);
    }
  });

  it.each([
    ['not JSON at all', 'oops{', 'oops{', /not JSON/],
    ['JSON of another shape', '{"x":1}', '{"x":1}', /cover-list shape/],
  ])('keeps a Result that is %s as raw text', (_, result, kept, warning) => {
    const job = parseQueryIProductionJob({ ...SEED_004, Result: result });
    expect(job.Result).toBe(kept);
    expect(job.Warnings).toEqual([expect.stringMatching(warning)]);
  });

  it.each([
    ['top level', { Code: 'InvalidInput', Message: 'bad file', Result: '{"Code":"Other","Message":"inner"}' }, 'InvalidInput', 'bad file'],
    ['inside Result', { Result: '{"Code":"DecodeFailed","Message":"cannot decode"}' }, 'DecodeFailed', 'cannot decode'],
  ])('reads Code and Message of a failed job from the %s', (_, extra, code, message) => {
    const job = parseQueryIProductionJob({ ...SEED_004, FunctionName: 'VideoH2V', Status: 'Fail', ...extra });
    expect(job).toMatchObject({ Status: 'Fail', Code: code, Message: message });
    expect(isTerminalIProductionStatus(job.Status)).toBe(true);
  });

  it.each([
    ['Queuing', 'Queuing', false],
    ['Analyzing', 'Analyzing', false],
    ['Success', 'Success', true],
    ['Fail', 'Fail', true],
    ['Exploded', 'Unknown', false],
  ])('status %s normalizes to %s (terminal: %p)', (raw, status, terminal) => {
    const job = parseQueryIProductionJob({ ...SEED_004, Status: raw });
    expect(job.Status).toBe(status);
    expect(job.RawStatus).toBe(raw);
    expect(isTerminalIProductionStatus(job.Status)).toBe(terminal);
    expect(job.Warnings.some((w) => /unknown status/.test(w))).toBe(status === 'Unknown');
  });

  it('keeps a job of an unknown function with its parsed Result', () => {
    const job = parseQueryIProductionJob({ ...SEED_004, FunctionName: 'VideoMagic', Result: '{"a":1}' });
    expect(job).toMatchObject({ KnownFunction: false, FunctionName: 'VideoMagic', Result: { a: 1 } });
  });

  it('accepts the SDK envelope {statusCode, headers, body}', () => {
    expect(parseQueryIProductionJob({ statusCode: 200, headers: {}, body: SEED_004 }).JobId).toBe(SEED_004.JobId);
  });

  it.each([null, 'x', [], {}, { Status: 'Success' }])('refuses %p with a ResponseShapeError', (body) => {
    expect(() => parseQueryIProductionJob(body)).toThrow(ResponseShapeError);
  });
});

describe('parseQueryIProductionJob (MPS, GUESSED shape)', () => {
  it.each([
    ['Analysing', 'Analyzing'],
    ['Queuing', 'Queuing'],
    ['Success', 'Success'],
    ['Fail', 'Fail'],
  ])('State %s normalizes to %s and keeps RawStatus', (state, status) => {
    const body = {
      RequestId: 'r1', JobId: 'j1', FunctionName: 'MusicSegmentDetect', State: state, Result: '[{"start":1,"end":2,"title":"chorus"}]',
      UserData: 'u', PipelineId: 'p1', Input: 'oss://a-b/c.mp3', Output: 'oss://a-b/d.json', CreationTime: '2024-01-01T00:00:00Z', FinishTime: '2024-01-01T00:01:00Z',
    };
    const job = parseQueryIProductionJob(body, { api: 'mts' });
    expect(job).toMatchObject({ Status: status, RawStatus: state, PipelineId: 'p1', CreateTime: '2024-01-01T00:00:00Z', Result: [{ start: 1, end: 2, title: 'chorus' }] });
  });

  it('reads a Result sent as an object (seed 002 shows one)', () => {
    const job = parseQueryIProductionJob({ JobId: 'j', FunctionName: 'ImageCartoonize', State: 'Success', Result: { Code: 'Success', Message: 'success', Details: [] } }, { api: 'mts' });
    expect(job).toMatchObject({ Code: 'Success', Message: 'success', ResultRaw: '{"Code":"Success","Message":"success","Details":[]}' });
  });
});

describe('parseSubmitIProductionJob', () => {
  /** Seed 002 lines 154-166. */
  const SEED_002 = {
    RequestId: '5210DBB0-E327-4D45-ADBC-0B83C8796E26',
    JobId: '39f8e0bc005e4f309379701645f4****',
    Result: { Code: 'Success', Details: [], FunctionName: 'ImageCartoonize', JobId: '39f8e0bc005e4f309379701645f4****', Message: 'success', State: 'Success', Type: 'IProduction' },
  };

  it.each([
    ['as the object seed 002 shows', SEED_002.Result],
    ['as the string the SDK types it as (and seed 002 line 146 writes)', '{ "Code":"Success", "Details":[], "FunctionName":"ImageCartoonize", "JobId":"39f8e0bc005e4f309379701645f4****", "Message":"success", "State":"Success", "Type":"IProduction" }'],
  ])('types the MPS Result given %s', (_, result) => {
    const answer = parseSubmitIProductionJob({ ...SEED_002, Result: result }, { api: 'mts' });
    expect(answer).toMatchObject({ JobId: SEED_002.JobId, RequestId: SEED_002.RequestId, Result: SEED_002.Result, Warnings: [] });
  });

  it("reads ICE's answer, which has no Result (seed 001 lines 488-491)", () => {
    const answer = parseSubmitIProductionJob({ RequestId: 'C1849434-FC47-5DC1-92B6-F7EAAFE3851E', JobId: '****20b48fb04483915d4f2cd8ac****' });
    expect(answer).toEqual({ RequestId: 'C1849434-FC47-5DC1-92B6-F7EAAFE3851E', JobId: '****20b48fb04483915d4f2cd8ac****', Warnings: [] });
  });

  it.each([
    ['not JSON', 'oops', /not a JSON object/],
    ['a JSON list', '[1]', /not a JSON object/],
  ])('keeps a Result that is %s as ResultRaw, with a warning, and keeps the JobId', (_, result, warning) => {
    const answer = parseSubmitIProductionJob({ ...SEED_002, Result: result }, { api: 'mts' });
    expect(answer).toMatchObject({ JobId: SEED_002.JobId, ResultRaw: result, Warnings: [expect.stringMatching(warning)] });
    expect(answer.Result).toBeUndefined();
  });

  it('flags Result fields of unexpected types and keeps the rest', () => {
    const answer = parseSubmitIProductionJob({ ...SEED_002, Result: { ...SEED_002.Result, State: { x: 1 }, Details: 'none' } }, { api: 'mts' });
    expect(answer.Result).toEqual({ Code: 'Success', FunctionName: 'ImageCartoonize', JobId: SEED_002.JobId, Message: 'success', Type: 'IProduction' });
    expect(answer.Warnings).toEqual([expect.stringMatching(/Result.Details is not a list/), expect.stringMatching(/Result.State is not text/)]);
  });

  it.each([null, [], {}, { Result: SEED_002.Result }])('refuses %p with a ResponseShapeError', (body) => {
    expect(() => parseSubmitIProductionJob(body, { api: 'mts' })).toThrow(ResponseShapeError);
  });
});

describe('parseGetMediaProducingJob', () => {
  const answer = (job: Record<string, unknown>) => ({
    RequestId: 'r1',
    MediaProducingJob: { JobId: '****d80e4e4044975745c14b****', ProjectId: 'p', MediaId: 'm', MediaURL: 'https://b-1.oss-cn-shanghai.aliyuncs.com/o.mp4', Status: 'Processing', Progress: 40, ...job },
  });

  it.each([
    ['Init', false], ['Queuing', false], ['Processing', false], ['Success', true], ['Failed', true],
  ])('reads status %s (terminal: %p)', (status, terminal) => {
    const job = parseGetMediaProducingJob(answer({ Status: status }));
    expect(job).toMatchObject({ Status: status, RawStatus: status, Progress: 40, MediaId: 'm', RequestId: 'r1' });
    expect(isTerminalMediaProducingStatus(job.Status)).toBe(terminal);
  });

  it('keeps an unknown status, flagged', () => {
    const job = parseGetMediaProducingJob(answer({ Status: 'Paused' }));
    expect(job).toMatchObject({ Status: 'Unknown', RawStatus: 'Paused' });
    expect(job.Warnings).toEqual([expect.stringMatching(/unknown status "Paused"/)]);
  });

  it('reads a failure with its code and a progress sent as text', () => {
    const job = parseGetMediaProducingJob(answer({ Status: 'Failed', Code: 'InvalidMaterial', Message: 'bad clip', Progress: '100' }));
    expect(job).toMatchObject({ Status: 'Failed', Code: 'InvalidMaterial', Message: 'bad clip', Progress: 100 });
  });

  it.each([null, {}, { MediaProducingJob: 'x' }, { MediaProducingJob: {} }])('refuses %p with a ResponseShapeError', (body) => {
    expect(() => parseGetMediaProducingJob(body)).toThrow(ResponseShapeError);
  });
});
