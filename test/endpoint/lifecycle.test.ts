import { LocalIce, ManualClock, MTS_VERSION, manualClock, startLocalIce } from './index';
import { sdkCall, sdkClient } from './sdk';

const VIDEO_CLIP = {
  FunctionName: 'VideoClip',
  Input: JSON.stringify({ Type: 'OSS', Media: 'oss://bucket/in/talk.mp4' }),
  Output: JSON.stringify({ Type: 'OSS', Media: 'oss://bucket/out/{source}-summary.mp4' }),
  JobParams: '{}',
  UserData: '{"ticket":7}',
  ScheduleConfig: JSON.stringify({ PipelineId: 'p-1', Priority: 6 }),
};

describe('job lifecycle on an injected clock', () => {
  let clock: ManualClock;
  let ice: LocalIce;
  beforeEach(async () => {
    // The SDK stamps requests with real time, so the manual clock starts there (±15 min is accepted).
    clock = manualClock(Date.now());
    ice = await startLocalIce({
      now: clock.now,
      timing: { queuingMs: 1000, runningMs: 4000 },
      failWhen: (job) => (job.params.UserData === '{"fail":true}' ? { Code: 'InvalidMedia', Message: 'the input has no video stream' } : undefined),
      timingFor: (job) => (job.params.FunctionName === 'Cover' ? { queuingMs: 0, runningMs: 10 } : undefined),
    });
  });
  afterEach(async () => {
    await ice.close();
  });

  it('moves an ICE job Queuing -> Analyzing -> Success and answers the seed-004 shape', async () => {
    // GIVEN a submitted VideoClip job
    const client = sdkClient(ice);
    const { body: submitted } = await sdkCall(client, { action: 'SubmitIProductionJob', query: VIDEO_CLIP });
    const query = () => sdkCall(client, { action: 'QueryIProductionJob', query: { JobId: submitted.JobId } });
    // THEN it is queuing, then analyzing, then done exactly at 5000 ms
    const first = (await query()).body;
    expect(first).toMatchObject({ JobId: submitted.JobId, Status: 'Queuing', FunctionName: 'VideoClip', UserData: '{"ticket":7}' });
    expect(first.FinishTime).toBeUndefined();
    expect(first.Result).toBeUndefined();
    clock.advance(1000);
    expect((await query()).body.Status).toBe('Analyzing');
    clock.advance(3999);
    expect((await query()).body.Status).toBe('Analyzing');
    clock.advance(1);
    const done = (await query()).body;
    expect(done).toMatchObject({
      Status: 'Success',
      Input: { Type: 'OSS', Media: 'oss://bucket/in/talk.mp4' },
      Output: { Type: 'OSS', Media: 'oss://bucket/out/{source}-summary.mp4' },
      ScheduleConfig: { PipelineId: 'p-1', Priority: 6 },
      JobParams: '{}',
      OutputFiles: ['out/talk-summary.mp4'],
      OutputUrls: ['https://bucket.oss-cn-shanghai.aliyuncs.com/out/talk-summary.mp4'],
    });
    expect(JSON.parse(done.Result)).toEqual({ VideoSummaryList: [{ EndTime: '5.28', StartTime: '0.28' }] });
    expect(done.CreateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(done.FinishTime) - Date.parse(done.CreateTime)).toBeGreaterThanOrEqual(4000);
    expect(done.Code).toBeUndefined();
    expect(ice.jobs[0]).toMatchObject({ status: 'Success', queryCount: 4 });
  });

  it('ends a job chosen by failWhen in Fail with top-level Code and Message', async () => {
    const client = sdkClient(ice);
    const { body } = await sdkCall(client, { action: 'SubmitIProductionJob', query: { ...VIDEO_CLIP, UserData: '{"fail":true}' } });
    clock.advance(5000);
    const done = (await sdkCall(client, { action: 'QueryIProductionJob', query: { JobId: body.JobId } })).body;
    expect(done).toMatchObject({ Status: 'Fail', Code: 'InvalidMedia', Message: 'the input has no video stream' });
    expect(done.OutputFiles).toBeUndefined();
  });

  it('applies the per-job timing override and names Cover outputs by {sequenceId}', async () => {
    const client = sdkClient(ice);
    const cover = {
      FunctionName: 'Cover',
      Input: JSON.stringify({ Type: 'OSS', Media: 'oss://bucket/in/v.mp4' }),
      Output: JSON.stringify({ Type: 'OSS', Media: 'oss://bucket/covers/{source}-{sequenceId}.jpg' }),
    };
    const { body } = await sdkCall(client, { action: 'SubmitIProductionJob', query: cover });
    clock.advance(10);
    const done = (await sdkCall(client, { action: 'QueryIProductionJob', query: { JobId: body.JobId } })).body;
    expect(done.Status).toBe('Success');
    expect(done.OutputFiles).toEqual(['covers/v-00001.jpg', 'covers/v-00002.jpg', 'covers/v-00003.jpg']);
    expect(JSON.parse(done.Result).map((r: { Url: string }) => r.Url)).toEqual(done.OutputFiles);
  });

  it('uses the MPS State names (Analysing) and fields on 2014-06-18', async () => {
    // GIVEN an MPS job with flat parameters
    const client = sdkClient(ice, { signatureAlgorithm: 'v2' });
    const params = {
      FunctionName: 'ImageCartoonize',
      JobParams: '{"Model":"3d"}',
      Input: 'oss://bucket.oss-cn-hangzhou.aliyuncs.com/in/face.jpg',
      Output: 'oss://bucket.oss-cn-hangzhou.aliyuncs.com/out/{source}.jpg',
      PipelineId: 'pipe-1',
      UserData: 'u',
    };
    const { body } = await sdkCall(client, { action: 'SubmitIProductionJob', version: MTS_VERSION, query: params });
    const query = async () =>
      (await sdkCall(client, { action: 'QueryIProductionJob', version: MTS_VERSION, query: { JobId: body.JobId } })).body;
    // THEN State walks Queuing -> Analysing -> Success
    expect((await query()).State).toBe('Queuing');
    clock.advance(1000);
    expect((await query()).State).toBe('Analysing');
    clock.advance(4000);
    const done = await query();
    expect(done).toMatchObject({ State: 'Success', FunctionName: 'ImageCartoonize', PipelineId: 'pipe-1', UserData: 'u', JobParams: '{"Model":"3d"}' });
    expect(done.Code).toBeUndefined();
    expect(done.CreationTime).toBeDefined();
    expect(done.FinishTime).toBeDefined();
    // AND an MPS job is not visible through ICE
    const { sdkError } = await import('./sdk');
    const err = await sdkError(sdkCall(client, { action: 'QueryIProductionJob', query: { JobId: body.JobId } }));
    expect(err.code).toBe('InvalidParameter.JobNotFound');
    expect(err.statusCode).toBe(404);
  });

  it('moves a MediaProducing job Init -> Queuing -> Processing -> Success with Progress', async () => {
    await ice.close();
    ice = await startLocalIce({ now: clock.now, timing: { initMs: 100, queuingMs: 900, runningMs: 1000 } });
    const client = sdkClient(ice);
    const { body } = await sdkCall(client, {
      action: 'SubmitMediaProducingJob',
      body: {
        Timeline: JSON.stringify({ VideoTracks: [] }),
        OutputMediaConfig: JSON.stringify({ MediaURL: 'https://bucket.oss-cn-shanghai.aliyuncs.com/out.mp4' }),
        UserData: '{"k":1}',
      },
    });
    const get = async () => (await sdkCall(client, { action: 'GetMediaProducingJob', query: { JobId: body.JobId } })).body.MediaProducingJob;
    const seen: Array<[string, number]> = [];
    for (const step of [0, 100, 900, 500, 500]) {
      clock.advance(step);
      const job = await get();
      seen.push([job.Status, job.Progress]);
    }
    expect(seen).toEqual([
      ['Init', 0],
      ['Queuing', 0],
      ['Processing', 0],
      ['Processing', 50],
      ['Success', 100],
    ]);
    const done = await get();
    expect(done).toMatchObject({
      JobId: body.JobId,
      ProjectId: body.ProjectId,
      MediaId: body.MediaId,
      MediaURL: 'https://bucket.oss-cn-shanghai.aliyuncs.com/out.mp4',
      UserData: '{"k":1}',
    });
    expect(done.CompleteTime).toBeDefined();
  });

  it('ends a failing MediaProducing job in Failed with Code and Message', async () => {
    await ice.close();
    ice = await startLocalIce({
      now: clock.now,
      failWhen: (job) => (job.action === 'SubmitMediaProducingJob' ? { Code: 'ProduceFailed', Message: 'bad clip' } : undefined),
    });
    const client = sdkClient(ice);
    const { body } = await sdkCall(client, { action: 'SubmitMediaProducingJob', query: { TemplateId: 't1', ClipsParam: '{}' } });
    clock.advance(60_000);
    const job = (await sdkCall(client, { action: 'GetMediaProducingJob', query: { JobId: body.JobId } })).body.MediaProducingJob;
    expect(job).toMatchObject({ Status: 'Failed', Code: 'ProduceFailed', Message: 'bad clip' });
  });
});
