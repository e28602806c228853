import { LocalIce, MTS_VERSION, startLocalIce } from './index';
import { sdkCall, sdkClient, sdkError } from './sdk';

const input = JSON.stringify({ Type: 'OSS', Media: 'oss://bucket/in/a.mp4' });
const output = JSON.stringify({ Type: 'OSS', Media: 'oss://bucket/out/a.mp4' });
const ICE_OK = { FunctionName: 'VideoDelogo', Input: input, Output: output };
const TIMELINE = JSON.stringify({ VideoTracks: [{ VideoTrackClips: [{ MediaId: 'm1' }] }] });

describe('request checks the service makes', () => {
  let ice: LocalIce;
  beforeAll(async () => {
    ice = await startLocalIce({ qps: { SubmitIProductionJob: Infinity, SubmitMediaProducingJob: Infinity } });
  });
  afterAll(async () => {
    await ice.close();
  });

  it.each<[string, string, string | undefined, Record<string, string>, Record<string, string> | undefined, string, RegExp]>([
    ['ICE submit without FunctionName', 'SubmitIProductionJob', undefined, { Input: input, Output: output }, undefined, 'MissingParameter', /"FunctionName"/],
    ['ICE submit without Input', 'SubmitIProductionJob', undefined, { FunctionName: 'Cover', Output: output }, undefined, 'MissingParameter', /"Input"/],
    ['ICE submit with empty Output', 'SubmitIProductionJob', undefined, { FunctionName: 'Cover', Input: input, Output: '' }, undefined, 'MissingParameter', /"Output"/],
    ['ICE submit with Input not JSON', 'SubmitIProductionJob', undefined, { ...ICE_OK, Input: 'oss://bucket/a.mp4' }, undefined, 'InvalidParameter', /"Input".*valid JSON.*oss:\/\/bucket\/a\.mp4/],
    ['ICE submit with Input.Type wrong', 'SubmitIProductionJob', undefined, { ...ICE_OK, Input: '{"Type":"URL","Media":"x"}' }, undefined, 'InvalidParameter', /"Input\.Type".*OSS, Media.*"URL"/],
    ['ICE submit with Output.Media missing', 'SubmitIProductionJob', undefined, { ...ICE_OK, Output: '{"Type":"OSS"}' }, undefined, 'MissingParameter', /"Output\.Media"/],
    ['ICE submit with JobParams not JSON', 'SubmitIProductionJob', undefined, { ...ICE_OK, JobParams: '{fps:5}' }, undefined, 'InvalidParameter', /"JobParams".*"\{fps:5\}"/],
    ['ICE submit with Priority 0', 'SubmitIProductionJob', undefined, { ...ICE_OK, ScheduleConfig: '{"Priority":0}' }, undefined, 'InvalidParameter', /"ScheduleConfig\.Priority".*between 1 and 10.*"0"/],
    ['ICE submit with an MPS-only function', 'SubmitIProductionJob', undefined, { ...ICE_OK, FunctionName: 'ImageH2V' }, undefined, 'InvalidParameter', /"FunctionName".*"ImageH2V"/],
    ['ICE submit with a 101-character Name', 'SubmitIProductionJob', undefined, { ...ICE_OK, Name: 'n'.repeat(101) }, undefined, 'InvalidParameter', /"Name".*at most 100/],
    ['MPS submit without JobParams', 'SubmitIProductionJob', MTS_VERSION, { FunctionName: 'Cover' }, undefined, 'MissingParameter', /"JobParams"/],
    ['MPS submit with a bad NotifyUrl', 'SubmitIProductionJob', MTS_VERSION, { FunctionName: 'Cover', JobParams: '{}', NotifyUrl: 'https://x' }, undefined, 'InvalidParameter', /"NotifyUrl"/],
    ['ICE query without JobId', 'QueryIProductionJob', undefined, {}, undefined, 'MissingParameter', /"JobId"/],
    ['timeline job with nothing to produce', 'SubmitMediaProducingJob', undefined, {}, undefined, 'MissingParameter', /ProjectId\|Timeline\|TemplateId/],
    ['timeline job with two sources', 'SubmitMediaProducingJob', undefined, { ProjectId: 'p' }, { Timeline: TIMELINE }, 'InvalidParameter', /exactly one of/],
    ['timeline job with Timeline not JSON', 'SubmitMediaProducingJob', undefined, {}, { Timeline: '[[' }, 'InvalidParameter', /"Timeline"/],
    ['template job without ClipsParam', 'SubmitMediaProducingJob', undefined, { TemplateId: 't' }, undefined, 'MissingParameter', /"ClipsParam"/],
    ['timeline job with a 65-character ClientToken', 'SubmitMediaProducingJob', undefined, { ClientToken: 't'.repeat(65) }, { Timeline: TIMELINE }, 'InvalidParameter', /"ClientToken".*64/],
    ['timeline job to OSS without MediaURL', 'SubmitMediaProducingJob', undefined, { OutputMediaConfig: '{"Width":640}' }, { Timeline: TIMELINE }, 'MissingParameter', /"OutputMediaConfig\.MediaURL"/],
    ['GetMediaProducingJob for an unknown job', 'GetMediaProducingJob', undefined, { JobId: 'nope' }, undefined, 'InvalidParameter.JobNotFound', /"nope"/],
  ])('%s', async (_name, action, version, query, body, code, message) => {
    // GIVEN a signed call with a bad parameter
    const jobsBefore = ice.jobs.length;
    // WHEN the service checks it
    const err = await sdkError(sdkCall(sdkClient(ice), { action, version, query, body }));
    // THEN a 4xx names the parameter, the rule and the value; nothing is created
    expect(err.code).toBe(code);
    expect(err.statusCode).toBe(code === 'InvalidParameter.JobNotFound' ? 404 : 400);
    expect(err.data?.Message).toMatch(message);
    expect(ice.jobs).toHaveLength(jobsBefore);
  });

  it.each([
    ['an action the version lacks', 'GetMediaProducingJob', MTS_VERSION, 'InvalidAction.NotFound', 404],
    ['an unknown action', 'DeleteEverything', undefined, 'InvalidAction.NotFound', 404],
    ['an unknown version', 'SubmitIProductionJob', '2099-01-01', 'InvalidVersion', 400],
  ])('refuses %s', async (_name, action, version, code, statusCode) => {
    const before = ice.stats.unknownActions;
    const err = await sdkError(sdkCall(sdkClient(ice), { action, version, query: { JobId: 'x' } }));
    expect(err.code).toBe(code);
    expect(err.statusCode).toBe(statusCode);
    expect(ice.stats.unknownActions).toBe(before + 1);
  });
});

describe('idempotency and duplicate accounting', () => {
  let ice: LocalIce;
  beforeEach(async () => {
    ice = await startLocalIce();
  });
  afterEach(async () => {
    await ice.close();
  });

  it('answers a repeated ClientToken with the same job and creates nothing new', async () => {
    // GIVEN a timeline job sent with a token
    const client = sdkClient(ice);
    const call = { action: 'SubmitMediaProducingJob', query: { ClientToken: 'token-1' }, body: { Timeline: TIMELINE } };
    const first = (await sdkCall(client, call)).body;
    // WHEN the same request is sent again (as a retry would, V1 or V3 alike)
    const second = (await sdkCall(sdkClient(ice, { signatureAlgorithm: 'v2' }), call)).body;
    // THEN the ids are the same, one job exists, and it is no duplicate
    expect(second).toMatchObject({ JobId: first.JobId, ProjectId: first.ProjectId, MediaId: first.MediaId });
    expect(second.RequestId).not.toBe(first.RequestId);
    expect(ice.jobs).toHaveLength(1);
    expect(ice.stats).toMatchObject({ idempotentReplays: 1, mediaProducingDuplicates: 0 });
  });

  it('refuses a reused ClientToken with different parameters', async () => {
    const client = sdkClient(ice);
    await sdkCall(client, { action: 'SubmitMediaProducingJob', query: { ClientToken: 'token-2' }, body: { Timeline: TIMELINE } });
    const err = await sdkError(
      sdkCall(client, { action: 'SubmitMediaProducingJob', query: { ClientToken: 'token-2' }, body: { Timeline: TIMELINE, UserData: '{"v":2}' } }),
    );
    expect(err.code).toBe('IdempotentParameterMismatch');
    expect(err.statusCode).toBe(400);
    expect(ice.jobs).toHaveLength(1);
  });

  it('treats JSON parameters with reordered keys as the same request', async () => {
    const client = sdkClient(ice);
    await sdkCall(client, { action: 'SubmitMediaProducingJob', query: { ClientToken: 't3' }, body: { Timeline: '{"a":1,"b":2}' } });
    const again = await sdkCall(client, { action: 'SubmitMediaProducingJob', query: { ClientToken: 't3' }, body: { Timeline: '{"b":2,"a":1}' } });
    expect(again.statusCode).toBe(200);
    expect(ice.jobs).toHaveLength(1);
  });

  it.each([
    ['no token', [undefined, undefined], 1],
    ['different tokens', ['a', 'b'], 1],
    ['different parameters', [undefined, undefined, 'other'], 0],
  ])('a timeline job created twice with %s (tokens %j) counts %p duplicate(s)', async (_name, tokens, duplicates) => {
    const client = sdkClient(ice);
    const timelines = tokens.length === 3 ? [TIMELINE, JSON.stringify({ VideoTracks: [] })] : [TIMELINE, TIMELINE];
    for (let i = 0; i < 2; i++) {
      const query: Record<string, string> = tokens[i] ? { ClientToken: tokens[i] as string } : {};
      await sdkCall(client, { action: 'SubmitMediaProducingJob', query, body: { Timeline: timelines[i] } });
    }
    expect(ice.jobs).toHaveLength(2);
    expect(ice.stats.mediaProducingDuplicates).toBe(duplicates);
  });

  it('counts identical SubmitIProductionJob requests as duplicates, per API, whatever the key order', async () => {
    // GIVEN three identical ICE submits (one with reordered JSON keys), one different, and one identical on MPS
    const client = sdkClient(ice);
    const reordered = { ...ICE_OK, Input: JSON.stringify({ Media: 'oss://bucket/in/a.mp4', Type: 'OSS' }) };
    for (const query of [ICE_OK, ICE_OK, reordered, { ...ICE_OK, UserData: 'x' }]) {
      await sdkCall(client, { action: 'SubmitIProductionJob', query });
    }
    const mts = { FunctionName: 'VideoDelogo', JobParams: '{}', Input: 'oss://b/a.mp4' };
    await sdkCall(client, { action: 'SubmitIProductionJob', version: MTS_VERSION, query: mts });
    await sdkCall(client, { action: 'SubmitIProductionJob', version: MTS_VERSION, query: { ...mts, PipelineId: 'other' } });
    // THEN every request made a job, and 2 (ICE) + 1 (MPS: PipelineId is not part of the identity) are duplicates
    expect(ice.jobs).toHaveLength(6);
    expect(ice.stats.duplicates).toBe(3);
  });

  it('reset() forgets jobs, tokens and counters', async () => {
    const client = sdkClient(ice);
    await sdkCall(client, { action: 'SubmitMediaProducingJob', query: { ClientToken: 'r' }, body: { Timeline: TIMELINE } });
    ice.reset();
    expect(ice.jobs).toHaveLength(0);
    expect(ice.stats.totals.received).toBe(0);
    await sdkCall(client, { action: 'SubmitMediaProducingJob', query: { ClientToken: 'r' }, body: { Timeline: TIMELINE } });
    expect(ice.stats.idempotentReplays).toBe(0);
    expect(ice.jobs).toHaveLength(1);
  });
});

describe('oversized requests', () => {
  it('answers a query beyond the header limit with a JSON error the SDK can read', async () => {
    // GIVEN JobParams far too long for the request line
    const ice = await startLocalIce();
    try {
      const query = { ...ICE_OK, JobParams: JSON.stringify({ pad: 'x'.repeat(20_000) }) };
      // WHEN the SDK sends it in the query
      const err = await sdkError(sdkCall(sdkClient(ice), { action: 'SubmitIProductionJob', query }));
      // THEN it gets a coded error rather than a parse failure, and nothing is created
      expect(err.code).toBe('InvalidParameter.RequestTooLarge');
      expect(err.statusCode).toBe(431);
      expect(err.data?.Message).toMatch(/form body/);
      expect(ice.jobs).toHaveLength(0);
      // AND the same parameters in the form body are fine
      const ok = await sdkCall(sdkClient(ice), { action: 'SubmitIProductionJob', query: ICE_OK, body: { JobParams: query.JobParams } });
      expect(ok.statusCode).toBe(200);
    } finally {
      await ice.close();
    }
  });
});

describe('callbacks that go wrong', () => {
  it.each([
    ['failWhen throws', { failWhen: () => { throw new Error('boom'); } }, /boom/],
    ['timingFor returns a negative time', { timingFor: () => ({ runningMs: -1 }) }, /timingFor\(\)\.runningMs must be a finite number >= 0, got -1/],
  ])('%s: answers InternalError naming the cause and creates nothing', async (_name, options, message) => {
    const ice = await startLocalIce(options);
    try {
      const err = await sdkError(sdkCall(sdkClient(ice), { action: 'SubmitIProductionJob', query: ICE_OK }));
      expect(err.code).toBe('InternalError');
      expect(err.statusCode).toBe(500);
      expect(err.data?.Message).toMatch(message);
      expect(ice.jobs).toHaveLength(0);
    } finally {
      await ice.close();
    }
  });

  it('a submit refused by a throwing callback is not counted when it is sent again and accepted', async () => {
    // GIVEN a callback that throws once
    let calls = 0;
    const ice = await startLocalIce({
      failWhen: () => {
        if (calls++ === 0) throw new Error('first call fails');
        return undefined;
      },
    });
    try {
      const client = sdkClient(ice);
      await sdkError(sdkCall(client, { action: 'SubmitIProductionJob', query: ICE_OK }));
      // WHEN the same request is sent again
      await sdkCall(client, { action: 'SubmitIProductionJob', query: ICE_OK });
      // THEN one job exists and it is nobody's duplicate
      expect(ice.jobs).toHaveLength(1);
      expect(ice.stats.duplicates).toBe(0);
    } finally {
      await ice.close();
    }
  });
});
