/**
 * Every example request in the seeds, assembled from the seeds' own example values (each value is checked against
 * the seed line it cites), validated and built on the wire. Masked characters (`****`) become `0`, the templates
 * `http(s)` and `[RegionId]` become `https` and the region; nothing else is changed.
 */
import {
  type ValidationIssue, buildQueryIProductionJob, buildSubmitIProductionJob, buildSubmitMediaProducingJob, isEmptyResult, parseQueryIProductionJob,
  parseSubmitIProductionJob, validateIProductionJob, validateMediaProducingJob,
} from '../../lib/jobs';
import { seedLine, seedParams } from '../support/seeds';

const REGION = 'cn-shanghai';

/** `value` as it stands on line `line` of seed `n` (the test fails if it does not), masks filled in. */
function cite(n: string, line: number, value: string): string {
  expect(seedLine(n, line)).toContain(value);
  return value.replace(/\*+/g, (m) => '0'.repeat(m.length)).replace('http(s)', 'https').replace(/\[regionId\]/i, REGION);
}
/** The line itself is the example value (the seeds' "Example" column). */
const col = (n: string, line: number) => cite(n, line, seedLine(n, line));
const json = (n: string, line: number, value?: string) => JSON.parse(value === undefined ? col(n, line) : cite(n, line, value));
/** Lines `from`..`to` of seed `n`, joined: a multi-line JSON example. */
const block = (n: string, from: number, to: number) => JSON.parse(Array.from({ length: to - from + 1 }, (_, i) => col(n, from + i)).join('\n'));

type Kind = 'ice' | 'mts' | 'media' | 'query';
interface Example {
  readonly name: string;
  /** Seed and lines, e.g. `001 lines 69-295`. */
  readonly cites: string;
  readonly kind: Kind;
  readonly request: Record<string, unknown>;
}

/** Seed 000 (ICE, Dec 2024), its request table's example column (lines 33-122); Name has no example. */
const ICE_000 = (): Record<string, unknown> => ({
  FunctionName: col('000', 57),
  Input: { Type: col('000', 68), Media: col('000', 75) },
  Output: { Type: col('000', 86), Media: col('000', 93) },
  TemplateId: col('000', 98),
  JobParams: col('000', 103),
  ScheduleConfig: { PipelineId: col('000', 112), Priority: Number(col('000', 117)) },
  UserData: col('000', 122),
});

/** Seed 001 (ICE, Apr 2026), its request table's example column (lines 57-308). */
const ICE_001 = (): Record<string, unknown> => ({
  Name: col('001', 77),
  FunctionName: col('001', 117),
  Input: { Type: col('001', 141), Media: col('001', 155) },
  Output: { Type: col('001', 179), Biz: col('001', 189), Media: col('001', 227) },
  TemplateId: col('001', 247),
  JobParams: col('001', 257),
  ScheduleConfig: { PipelineId: col('001', 275), Priority: Number(col('001', 285)) },
  UserData: col('001', 295),
});

/** Seed 002 (MPS), its example column (lines 43-123). `null` (ModelId, ScheduleParams) is the seed's "no example". */
const MTS_002 = (): Record<string, unknown> => ({
  FunctionName: col('002', 81),
  JobParams: col('002', 91),
  NotifyUrl: col('002', 101),
  // The page escapes the quotes of its JSON example.
  UserData: col('002', 106).replace(/\\"/g, '"'),
  PipelineId: col('002', 111),
  Input: col('002', 117),
  Output: col('002', 123),
});

/** Seed 003's example column (lines 50-143) besides the three sources, of which the seed fills one and leaves two empty. */
const MEDIA_003 = (): Record<string, unknown> => ({
  ProjectId: '',
  Timeline: '',
  TemplateId: '',
  ProjectMetadata: col('003', 81),
  OutputMediaTarget: col('003', 92),
  OutputMediaConfig: col('003', 101),
  UserData: col('003', 108),
  ClientToken: col('003', 113),
  Source: col('003', 124),
  EditingProduceConfig: col('003', 138),
  MediaMetadata: col('003', 143),
});

/** JobParams examples of seed 001 (lines 368-450) and seed 000 (lines 124-172), one request each. */
const JOB_PARAMS: ReadonlyArray<[cites: string, fn: string, params: () => Record<string, unknown>, modelId?: () => string]> = [
  ['001 line 372', 'Cover', () => ({ Model: cite('001', 372, 'gif') })],
  ['001 lines 376-378', 'VideoDelogo', () => ({ LogoModel: `${cite('001', 376, 'tv')},${cite('001', 376, 'internet')}`, Boxes: json('001', 378, '"[[0, 0, 0.3, 0.3], [0.7, 0, 0.3, 0.3]]"') })],
  ['001 lines 382-385', 'VideoDetext', () => ({ LimitRegion: json('001', 382, '[[0, 0, 0.3, 0.3], [0.7, 0, 0.3, 0.3]]'), Time: json('001', 385, '[5, 20]') })],
  ['001 lines 308, 387', 'VideoDetext', () => ({ Time: json('001', 387, '[[5, 20], [25, 43], [51, 80]]') }), () => cite('001', 308, 'algo-video-detext-new')],
  ['001 lines 391-397 (fps 2)', 'CaptionExtraction', () => ({ fps: Number(cite('001', 391, '2')), roi: json('001', 393, '[[0.5, 1], [0, 1]]'), lang: cite('001', 395, 'ch'), track: cite('001', 397, 'main') })],
  ['001 lines 391-395 (fps 10, en)', 'CaptionExtraction', () => ({ fps: Number(cite('001', 391, '10')), lang: cite('001', 395, 'en') })],
  ['001 lines 391-395 (default fps 5, ch_ml)', 'CaptionExtraction', () => ({ fps: Number(cite('001', 391, 'Default: 5').slice(-1)), lang: cite('001', 395, 'ch_ml') })],
  ['001 lines 401-414', 'HybridCaptionExtraction', () => ({
    fps: Number(cite('001', 401, '10')),
    roi: [Number(cite('001', 404, '0.1')), Number(cite('001', 406, '0.0')), Number(cite('001', 408, '0.3')), Number(cite('001', 410, '0.2'))],
    lang: cite('001', 412, 'zh'),
    track: cite('001', 414, 'main'),
  })],
  ['001 line 412 (en)', 'HybridCaptionExtraction', () => ({ lang: cite('001', 412, 'en') })],
  ['001 line 418', 'VideoGreenScreenMatting', () => ({ bgimage: cite('001', 418, 'http://example-image-****.example-location.aliyuncs.com/example/example.jpg') })],
  ['001 line 422', 'FaceBeauty', () => ({ beauty_params: json('001', 422, '"whiten=20,smooth=50,face_thin=50"') })],
  ['001 line 446', 'AudioMixing', () => ({ inputs: json('001', 446, '{"file":"http://example-bucket-****.oss-cn-shanghai.aliyuncs.com/2.mp4"}') })],
  ['000 lines 128-130 (Cover, as the older seed lists it)', 'Cover', () => ({ Model: cite('000', 128, 'gif'), LogoModel: `${cite('000', 129, 'tv')},${cite('000', 129, 'internet')}`, Boxes: cite('000', 130, '[[0, 0, 0.3, 0.3], [0.7, 0, 0.3, 0.3]]') })],
  ['000 lines 134-135', 'VideoDetext', () => ({ LimitRegion: json('000', 134, '[[0, 0, 0.3, 0.3], [0.7, 0, 0.3, 0.3]]'), Time: json('000', 135, '[5, 20]') })],
  ['000 lines 139-142', 'CaptionExtraction', () => ({ fps: Number(cite('000', 139, '5')), roi: json('000', 140, '[[0.5, 1], [0, 1]]'), lang: cite('000', 141, 'ch_ml'), track: cite('000', 142, 'main') })],
  ['000 line 146', 'VideoGreenScreenMatting', () => ({ bgimage: cite('000', 146, 'http://example-image-****.example-location.aliyuncs.com/example/example.jpg') })],
  ['000 line 172', 'AudioMixing', () => ({ inputs: json('000', 172, '{"file":"http://example-bucket-****.oss-cn-shanghai.aliyuncs.com/2.mp4"}') })],
];

/** Seed 002's FunctionName values (lines 48-78): the seed's example request with each of them. */
const MTS_FUNCTIONS: ReadonlyArray<[line: number, fn: string]> = [
  [48, 'VideoH2V'], [50, 'VideoDelogo'], [52, 'Cover'], [54, 'VideoClip'], [56, 'ImageH2V'], [58, 'ImageDelogo'], [60, 'CaptionExtraction'],
  [62, 'VideoDetext'], [64, 'VideoGreenScreenMatting'], [66, 'MusicSegmentDetect'], [68, 'AudioMixing'], [70, 'AudioBeatDetection'],
  [72, 'ImageCartoonize'], [74, 'AudioQualityAssessment'], [76, 'FaceBeauty'], [78, 'SpeechDenoise'],
];

const EXAMPLES: readonly Example[] = [
  { name: 'ICE request example column', cites: '000 lines 33-122', kind: 'ice', request: ICE_000() },
  { name: 'ICE request example column', cites: '001 lines 57-295', kind: 'ice', request: ICE_001() },
  {
    name: 'ICE output as a new media asset with OutputUrl',
    cites: '001 lines 173-237',
    kind: 'ice',
    request: { ...ICE_001(), Output: { Type: cite('001', 177, 'Media'), Biz: col('001', 189), OutputUrl: col('001', 237) } },
  },
  {
    name: 'ICE output path with the placeholders example',
    cites: '001 line 217',
    kind: 'ice',
    request: { ...ICE_001(), Output: { Type: 'OSS', Media: cite('001', 217, 'oss://example-****/iproduction/{source}-{timestamp}-{sequenceId}.png') } },
  },
  ...JOB_PARAMS.map(([cites, fn, params, modelId]): Example => ({
    name: `ICE ${fn} JobParams example`,
    cites,
    kind: 'ice',
    request: { ...ICE_001(), FunctionName: fn, JobParams: params(), ...(modelId ? { ModelId: modelId() } : {}) },
  })),
  { name: 'MPS request example column', cites: '002 lines 43-123', kind: 'mts', request: MTS_002() },
  ...MTS_FUNCTIONS.map(([line, fn]): Example => ({ name: `MPS example with FunctionName ${fn}`, cites: `002 lines 43-123, ${line}`, kind: 'mts', request: { ...MTS_002(), FunctionName: cite('002', line, fn) } })),
  { name: 'MediaProducing with Timeline', cites: '003 lines 55-143', kind: 'media', request: { ...MEDIA_003(), Timeline: col('003', 64) } },
  { name: 'MediaProducing with ProjectId', cites: '003 lines 51-57, 77-143', kind: 'media', request: { ...MEDIA_003(), ProjectId: col('003', 57) } },
  {
    // Line 76 gives no value ("see the template docs"): the smallest JSON object stands in.
    name: 'MediaProducing with TemplateId and ClipsParam',
    cites: '003 lines 65-76, 77-143',
    kind: 'media',
    request: { ...MEDIA_003(), TemplateId: col('003', 71), ClipsParam: '{}' },
  },
  { name: 'MediaProducing with the OSS output example', cites: '003 lines 147-156', kind: 'media', request: { ...MEDIA_003(), Timeline: col('003', 64), OutputMediaConfig: block('003', 149, 154) } },
  {
    name: 'MediaProducing with the VOD output example',
    cites: '003 lines 168-178',
    kind: 'media',
    request: { ...MEDIA_003(), Timeline: col('003', 64), OutputMediaTarget: cite('003', 178, 'vod-media'), OutputMediaConfig: block('003', 170, 176) },
  },
  { name: 'QueryIProductionJob', cites: '004 lines 20-23', kind: 'query', request: { JobId: cite('004', 23, '****20b48fb04483915d4f2cd8ac****') } },
  {
    // Line 22 gives ClientToken no example value: any token stands in.
    name: 'QueryIProductionJob with a ClientToken',
    cites: '004 lines 20-23',
    kind: 'query',
    request: { ClientToken: `${cite('004', 22, 'ClientToken')}-1`, JobId: cite('004', 23, '****20b48fb04483915d4f2cd8ac****') },
  },
];

function validate(e: Example): ValidationIssue[] {
  switch (e.kind) {
    case 'ice':
      return validateIProductionJob(e.request, { region: REGION });
    case 'mts':
      return validateIProductionJob(e.request, { api: 'mts', region: REGION });
    case 'media':
      return validateMediaProducingJob(e.request, { region: REGION });
    case 'query':
      return [];
  }
}

function build(e: Example): { query: Record<string, string>; body?: Record<string, string> } {
  switch (e.kind) {
    case 'ice':
    case 'mts':
      return buildSubmitIProductionJob(e.request as never, { api: e.kind });
    case 'media':
      return buildSubmitMediaProducingJob(e.request as never);
    case 'query':
      return buildQueryIProductionJob(e.request.JobId as string, { clientToken: e.request.ClientToken as string | undefined });
  }
}

/** Every key, at any depth, of a request. */
const keysOf = (v: unknown): string[] =>
  typeof v === 'object' && v !== null ? Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(typeof x === 'string' && /^\s*\{/.test(x) ? JSON.parse(x) : x)]) : [];

describe('the example requests of the seeds', () => {
  it('are all listed: every request parameter with an example value appears in one', () => {
    // GIVEN the parameter names of each seed's request table
    const tables: ReadonlyArray<[seed: string, names: Set<string>, kinds: Kind[], noExample: string[]]> = [
      ['000', seedParams('000', 'Request parameters', 'Parameters of JobParams'), ['ice'], ['Name']],
      ['001', seedParams('001', 'Request parameters', 'Input and output fields'), ['ice'], []],
      ['002', seedParams('002', 'Request parameters', 'Response parameters'), ['mts'], ['ModelId', 'ScheduleParams']],
      ['003', seedParams('003', '请求参数', '返回参数'), ['media'], []],
      ['004', seedParams('004', 'Request parameters', 'Response parameters'), ['query'], []],
    ];
    for (const [seed, names, kinds, noExample] of tables) {
      // WHEN the keys of that seed's examples are collected
      const used = new Set(EXAMPLES.filter((e) => kinds.includes(e.kind) && e.cites.startsWith(seed)).flatMap((e) => keysOf(e.request)));
      // THEN each name with an example value is used (ModelId and ScheduleParams show "null", Name nothing)
      expect([...names].filter((n) => !used.has(n) && !noExample.includes(n))).toEqual([]);
    }
    expect(EXAMPLES).toHaveLength(45);
  });

  it.each(EXAMPLES.map((e) => [`${e.name} (seed ${e.cites})`, e] as const))('%s validates with no error', (_, e) => {
    // GIVEN a seed's example request WHEN validated for cn-shanghai THEN no issue is an error
    expect(validate(e).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it.each(EXAMPLES.map((e) => [`${e.name} (seed ${e.cites})`, e] as const))('%s builds, sending every non-empty parameter and no empty one', (_, e) => {
    // WHEN built for the wire
    const wire = build(e);
    const sent = { ...wire.query, ...wire.body };
    // THEN each given parameter is sent, as text, and those the seed leaves empty are not sent at all
    for (const [key, value] of Object.entries(e.request)) {
      if (value === '' || value === undefined) expect(sent).not.toHaveProperty(key);
      else expect(typeof sent[key]).toBe('string');
    }
    expect(Object.values(sent).every((v) => v !== '')).toBe(true);
  });
});

describe('the example answers of the seeds', () => {
  it.each([
    ['000 lines 198-201 (ICE)', () => block('000', 198, 201), 'ice', undefined],
    ['001 lines 488-491 (ICE)', () => block('001', 488, 491), 'ice', undefined],
    ['002 lines 154-166 (MPS)', () => block('002', 154, 166), 'mts', { Code: 'Success', Details: [], FunctionName: 'ImageCartoonize', JobId: '39f8e0bc005e4f309379701645f40000', Message: 'success', State: 'Success', Type: 'IProduction' }],
  ] as const)('SubmitIProductionJob answer of seed %s parses, its Result typed', (_, body, api, result) => {
    const answer = parseSubmitIProductionJob(body(), { api });
    expect(answer.Warnings).toEqual([]);
    expect(answer.JobId).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.Result).toEqual(result);
  });

  it('QueryIProductionJob answer of seed 004 lines 68-98 (a Cover job whose Result is "{}") parses to an empty result, without a warning', () => {
    const job = parseQueryIProductionJob(block('004', 68, 98));
    expect(job).toMatchObject({ FunctionName: 'Cover', Status: 'Success', Result: {}, ResultRaw: '{}', Warnings: [] });
    expect(isEmptyResult(job.Result)).toBe(true);
  });
});
