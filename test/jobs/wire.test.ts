import {
  buildGetMediaProducingJob, buildQueryIProductionJob, buildSubmitIProductionJob, buildSubmitMediaProducingJob,
  endpointFor, validateIProductionJob, validateMediaProducingJob,
} from '../../lib/jobs';
import { API_FACTS } from '../../lib/service';
import { ICE, MTS, iceRequest, mediaRequest, mtsRequest } from './fixtures';
import { seedParams } from '../support/seeds';

const ICE_SUBMIT = seedParams('001', 'Request parameters', 'Input and output fields');
const MTS_SUBMIT = seedParams('002', 'Request parameters', 'Response parameters');
const MEDIA_SUBMIT = seedParams('003', '请求参数', '返回参数');
const QUERY = seedParams('004', 'Request parameters', 'Response parameters');

describe('parameter names read from the seeds', () => {
  it('holds the documented parameters (guards the parser itself)', () => {
    expect([...ICE_SUBMIT]).toEqual(expect.arrayContaining(['Name', 'FunctionName', 'Input', 'Output', 'TemplateId', 'JobParams', 'ScheduleConfig', 'UserData', 'ModelId']));
    expect([...MTS_SUBMIT].sort()).toEqual(['FunctionName', 'Input', 'JobParams', 'ModelId', 'NotifyUrl', 'Output', 'PipelineId', 'ScheduleParams', 'UserData']);
    expect(MEDIA_SUBMIT.size).toBe(12);
    expect([...QUERY].sort()).toEqual(['ClientToken', 'JobId']);
  });
});

describe('buildSubmitIProductionJob', () => {
  it.each(ICE)('ICE %s: every key is a seed 001 parameter, objects as JSON text', (fn) => {
    // GIVEN a valid ICE request
    const req = iceRequest(fn, { TemplateId: 'tpl-1' });
    expect(validateIProductionJob(req)).toEqual([]);
    // WHEN built
    const wire = buildSubmitIProductionJob(req as never, { api: 'ice' });
    // THEN it is SubmitIProductionJob 2020-11-09 with only documented top-level names, all strings
    expect(wire).toMatchObject({ action: 'SubmitIProductionJob', version: API_FACTS.ice.version });
    for (const key of Object.keys(wire.query)) expect(ICE_SUBMIT).toContain(key);
    expect(JSON.parse(wire.query.Input)).toEqual(req.Input);
    expect(JSON.parse(wire.query.Output)).toEqual(req.Output);
    expect(JSON.parse(wire.query.ScheduleConfig)).toEqual(req.ScheduleConfig);
    expect(wire.query.FunctionName).toBe(fn);
    expect(wire.body).toBeUndefined();
  });

  it.each(MTS)('MPS %s: every key is a seed 002 parameter, flat strings', (fn) => {
    const req = mtsRequest(fn, { ScheduleParams: { k: 1 } });
    const wire = buildSubmitIProductionJob(req as never, { api: 'mts' });
    expect(wire).toMatchObject({ action: 'SubmitIProductionJob', version: API_FACTS.mts.version });
    for (const key of Object.keys(wire.query)) expect(MTS_SUBMIT).toContain(key);
    expect(wire.query.Input).toBe(req.Input);
    expect(wire.query.ScheduleParams).toBe('{"k":1}');
  });

  it.each([
    [{ Model: 'gif' }, '{"Model":"gif"}'],
    ['{"Model": "gif"}', '{"Model": "gif"}'],
  ])('sends JobParams %p as %s', (jobParams, sent) => {
    const wire = buildSubmitIProductionJob(iceRequest('Cover', { JobParams: jobParams }) as never);
    expect(wire.query.JobParams).toBe(sent);
  });

  it.each([
    [[[0, 0, 0.3, 0.3]], '{"Boxes":"[[0,0,0.3,0.3]]"}'],
    ['[[0, 0, 0.3, 0.3]]', '{"Boxes":"[[0, 0, 0.3, 0.3]]"}'],
  ])('sends VideoDelogo Boxes %p as a string, the type seed 001 gives it', (boxes, sent) => {
    const wire = buildSubmitIProductionJob(iceRequest('VideoDelogo', { JobParams: { Boxes: boxes } }) as never);
    expect(wire.query.JobParams).toBe(sent);
  });

  it('omits absent parameters instead of sending them empty', () => {
    // GIVEN a minimal request
    const wire = buildSubmitIProductionJob({ FunctionName: 'VideoH2V', Input: { Type: 'OSS', Media: 'oss://a-b/c.mp4' }, Output: { Type: 'OSS', Media: 'oss://a-b/d.mp4' } });
    // THEN only the three given parameters are sent
    expect(Object.keys(wire.query).sort()).toEqual(['FunctionName', 'Input', 'Output']);
  });
});

describe('buildSubmitMediaProducingJob', () => {
  it('puts the big JSON parameters in the body, the rest in the query, all documented names', () => {
    // GIVEN a valid request
    const req = mediaRequest();
    expect(validateMediaProducingJob(req)).toEqual([]);
    // WHEN built
    const wire = buildSubmitMediaProducingJob(req as never);
    // THEN Timeline and the other JSON documents travel in the body as JSON text
    expect(wire).toMatchObject({ action: 'SubmitMediaProducingJob', version: API_FACTS.ice.version });
    expect(Object.keys(wire.body!).sort()).toEqual(['EditingProduceConfig', 'MediaMetadata', 'OutputMediaConfig', 'ProjectMetadata', 'Timeline', 'UserData']);
    expect(JSON.parse(wire.body!.Timeline)).toEqual(req.Timeline);
    expect(Object.keys(wire.query).sort()).toEqual(['ClientToken', 'Source']);
    for (const key of [...Object.keys(wire.query), ...Object.keys(wire.body!)]) expect(MEDIA_SUBMIT).toContain(key);
  });

  it.each([
    [undefined, '****12e8864746a0a398****'],
    ['retry-token-1', 'retry-token-1'],
  ])('passes ClientToken through (option %p)', (clientToken, sent) => {
    const wire = buildSubmitMediaProducingJob(mediaRequest() as never, { clientToken });
    expect(wire.query.ClientToken).toBe(sent);
  });
});

describe('query builders', () => {
  it.each([
    ['ice', API_FACTS.ice.version],
    ['mts', API_FACTS.mts.version],
  ] as const)('QueryIProductionJob on %s takes the JobId (a seed 004 parameter)', (api, version) => {
    const wire = buildQueryIProductionJob('****20b48fb04483915d4f2cd8ac****', { api });
    expect(wire).toEqual({ action: 'QueryIProductionJob', version, query: { JobId: '****20b48fb04483915d4f2cd8ac****' } });
    expect(QUERY).toContain('JobId');
  });

  it('GetMediaProducingJob takes the JobId', () => {
    expect(buildGetMediaProducingJob('j1')).toEqual({ action: 'GetMediaProducingJob', version: '2020-11-09', query: { JobId: 'j1' } });
  });

  it.each(['', '  ', undefined, 5])('refuses JobId %p naming the rule', (id) => {
    expect(() => buildQueryIProductionJob(id as never)).toThrow(/jobId must be a non-empty string, got/);
    expect(() => buildGetMediaProducingJob(id as never)).toThrow(/jobId must be a non-empty string/);
  });
});

describe('endpoints', () => {
  it.each([
    ['cn-shanghai', 'ice.cn-shanghai.aliyuncs.com', 'mts.cn-shanghai.aliyuncs.com'],
    ['ap-southeast-1', 'ice.ap-southeast-1.aliyuncs.com', 'mts.ap-southeast-1.aliyuncs.com'],
  ])('%s', (region, ice, mts) => {
    expect(endpointFor('ice', region)).toBe(ice);
    expect(endpointFor('mts', region)).toBe(mts);
  });

  it.each(['', 'cn-shanghai.evil.com/', 'CN-SHANGHAI'])('refuse region %p', (region) => {
    expect(() => endpointFor('ice', region)).toThrow(/region must be a region id/);
  });
});
