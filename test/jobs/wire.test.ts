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

  // seed 001 line 378: Boxes is a string, whichever form JobParams itself takes.
  it.each([
    ['JSON text with Boxes as an array', '{"LogoModel":"tv","Boxes":[[0,0,0.3,0.3]]}', '{"LogoModel":"tv","Boxes":"[[0,0,0.3,0.3]]"}'],
    ['JSON text with Boxes already a string (sent exactly as given)', '{"Boxes": "[[0, 0, 0.3, 0.3]]"}', '{"Boxes": "[[0, 0, 0.3, 0.3]]"}'],
    ['JSON text without Boxes (sent exactly as given)', '{ "LogoModel": "tv" }', '{ "LogoModel": "tv" }'],
    ['malformed JSON text (sent as given; the validator refuses it)', '{"Boxes":', '{"Boxes":'],
  ])('VideoDelogo JobParams as %s', (_, jobParams, sent) => {
    expect(buildSubmitIProductionJob(iceRequest('VideoDelogo', { JobParams: jobParams }) as never).query.JobParams).toBe(sent);
    expect(buildSubmitIProductionJob(mtsRequest('VideoDelogo', { JobParams: jobParams }) as never, { api: 'mts' }).query.JobParams).toBe(sent);
  });

  // seed 003 lines 55, 62, 69 ("填写为空"), seed 002 lines 94, 96 (ScheduleParams "You can leave it empty"): empty is absent.
  it.each([
    ['ICE', () => buildSubmitIProductionJob(iceRequest('VideoH2V', { TemplateId: '', UserData: '', ModelId: '', Name: '' }) as never), ['TemplateId', 'UserData', 'ModelId', 'Name']],
    ['MPS', () => buildSubmitIProductionJob(mtsRequest('VideoH2V', { ScheduleParams: '', NotifyUrl: '', PipelineId: '', ModelId: null }) as never, { api: 'mts' }), ['ScheduleParams', 'NotifyUrl', 'PipelineId', 'ModelId']],
    ['MediaProducing', () => buildSubmitMediaProducingJob(mediaRequest({ ProjectId: '', TemplateId: '', ClipsParam: '', Source: '', ClientToken: '' }) as never, { clientToken: '' }), ['ProjectId', 'TemplateId', 'ClipsParam', 'Source', 'ClientToken']],
  ] as const)('%s: empty and null parameters are not sent', (_, build, empty) => {
    const wire = build();
    const sent = { ...wire.query, ...wire.body };
    for (const key of empty) expect(sent).not.toHaveProperty(key);
    expect(Object.values(sent).filter((v) => v === '')).toEqual([]);
  });

  it('sends a non-empty ScheduleParams text as given (the other side of the boundary)', () => {
    expect(buildSubmitIProductionJob(mtsRequest('VideoH2V', { ScheduleParams: '{"Priority":1}' }) as never, { api: 'mts' }).query.ScheduleParams).toBe('{"Priority":1}');
  });

  // seed 002 lines 107-123: MPS Input, Output and PipelineId are strings (OSS paths, an id), not ICE's objects.
  it.each([
    ['Input', { Input: { Type: 'OSS', Media: 'oss://media-in/a.mp4' } }],
    ['Output', { Output: { Type: 'OSS', Media: 'oss://media-out/a.mp4' } }],
    ['PipelineId', { PipelineId: 5 }],
  ])("refuses an ICE-shaped %s with api 'mts' instead of sending its JSON as a path", (key, change) => {
    expect(() => buildSubmitIProductionJob(mtsRequest('VideoH2V', change) as never, { api: 'mts' })).toThrow(new RegExp(`^${key} must be a string for MPS`));
  });

  it("takes MPS's flat strings, and JobParams, ScheduleParams, UserData as objects (sent as JSON)", () => {
    const wire = buildSubmitIProductionJob(mtsRequest('VideoH2V', { JobParams: {}, ScheduleParams: { a: 1 }, UserData: { k: 'v' } }) as never, { api: 'mts' });
    expect(wire.query).toMatchObject({ Input: mtsRequest('VideoH2V').Input, JobParams: '{}', ScheduleParams: '{"a":1}', UserData: '{"k":"v"}' });
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

  it.each([
    ['a token', 'query-1', { JobId: 'j1', ClientToken: 'query-1' }],
    ['an empty token (not sent)', '', { JobId: 'j1' }],
    ['no token', undefined, { JobId: 'j1' }],
  ])('ICE QueryIProductionJob with %s (seed 004 line 22)', (_, clientToken, query) => {
    expect(buildQueryIProductionJob('j1', { clientToken }).query).toEqual(query);
    expect(QUERY).toContain('ClientToken');
  });

  it.each([
    ['on MPS, whose QueryIProductionJob takes none', { api: 'mts', clientToken: 'q' }, /ICE QueryIProductionJob only/],
    ['that is not a string', { clientToken: 7 }, /clientToken must be a string, got 7/],
  ] as const)('refuses a ClientToken %s', (_, options, message) => {
    expect(() => buildQueryIProductionJob('j1', options as never)).toThrow(message);
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
