/**
 * Issue 10, item by item: an error only where a seed (or FACTS.md) states the rule, a warning at most where the
 * seeds are silent. Each case cites the seed file and lines it rests on, and each rule is tested on both sides.
 */
import { type ValidationIssue, parseQueryIProductionJob, validateIProductionJob, validateMediaProducingJob } from '../../lib/jobs';
import { OSS_LIMITS } from '../../lib/service';
import { REGION, iceRequest, mediaRequest, mtsRequest } from './fixtures';

type Severity = 'error' | 'warning';
/** The issues on `field`, as `severity` only: what each boundary case asserts. */
const on = (issues: ValidationIssue[], field: string): Severity[] => issues.filter((i) => i.field === field).map((i) => i.severity);
const errorsOf = (issues: ValidationIssue[]) => issues.filter((i) => i.severity === 'error');
const mts = (req: Record<string, unknown>) => validateIProductionJob(req, { api: 'mts', region: REGION });
const ice = (req: Record<string, unknown>) => validateIProductionJob(req, { region: REGION });
const media = (req: Record<string, unknown>) => validateMediaProducingJob(req, { region: REGION });

describe('Wrong: MPS ModelId is an optional free string; ICE keeps its documented list', () => {
  it.each([
    // seed 002 lines 82-86: "The ID of the algorithm model ... you can leave this parameter empty": no list.
    ['MPS Cover, any model id', () => mts(mtsRequest('Cover', { ModelId: 'algo-cover-2026' })), []],
    ['MPS VideoDetext, a model ICE does not list', () => mts(mtsRequest('VideoDetext', { ModelId: 'algo-video-detext-old' })), []],
    ['MPS ImageCartoonize, empty', () => mts(mtsRequest('ImageCartoonize', { ModelId: '' })), []],
    ['MPS ModelId not a string (seed 002 line 82: string)', () => mts(mtsRequest('Cover', { ModelId: 7 })), ['error']],
    // seed 001 lines 297-308: empty is the default model; VideoDetext alone has a non-default one.
    ['ICE VideoDetext, algo-video-detext-new', () => ice(iceRequest('VideoDetext', { ModelId: 'algo-video-detext-new' })), []],
    ['ICE VideoDetext, another model', () => ice(iceRequest('VideoDetext', { ModelId: 'algo-video-detext-old' })), ['error']],
    ['ICE Cover, empty (the default model)', () => ice(iceRequest('Cover', { ModelId: '' })), []],
    ['ICE Cover, any model', () => ice(iceRequest('Cover', { ModelId: 'algo-cover-2026' })), ['error']],
  ] as const)('%s', (_, validate, severities) => {
    // GIVEN a valid request with a ModelId; WHEN validated; THEN ModelId draws exactly these issues
    expect(on(validate(), 'ModelId')).toEqual(severities);
  });
});

describe('Wrong: MPS Input and Output are "Required: No" (seed 002 lines 112-122)', () => {
  it.each([
    ['Input absent', { Input: undefined }, 'Input', ['warning']],
    ['Input empty', { Input: '' }, 'Input', ['warning']],
    ['Input an OSS path', {}, 'Input', []],
    // The seed states the form (line 114: an OSS path, same region): a wrong one is still an error.
    ['Input on a CDN', { Input: 'https://cdn.example.com/a.mp4' }, 'Input', ['error']],
    ['Input in another region (line 114: same region as MPS)', { Input: 'oss://media-in.oss-cn-beijing.aliyuncs.com/a.mp4' }, 'Input', ['error']],
    ['Output absent', { Output: undefined }, 'Output', ['warning']],
    ['Output an OSS path', {}, 'Output', []],
    ['Output not a string', { Output: 5 }, 'Output', ['error']],
  ] as const)('VideoH2V: %s', (_, change, field, severities) => {
    const issues = mts(mtsRequest('VideoH2V', change));
    expect(on(issues, field)).toEqual(severities);
  });

  it('says what is assumed when Input is absent', () => {
    const [issue] = mts(mtsRequest('VideoH2V', { Input: undefined }));
    expect(issue).toEqual({ field: 'Input', severity: 'warning', message: expect.stringMatching(/seed 002 lines 112-116.*; assumed this function does not need it here/) });
  });

  it('AudioQualityAssessment writes no file (seed 001 line 354): no Output draws nothing', () => {
    expect(mts(mtsRequest('AudioQualityAssessment', { Output: undefined }))).toEqual([]);
  });
});

describe('Wrong: SubmitMediaProducingJob leaves the unused two of ProjectId / Timeline / TemplateId empty (seed 003 lines 55, 62, 69)', () => {
  const timeline = mediaRequest().Timeline;
  it.each([
    ['Timeline, the other two ""', { Timeline: timeline, ProjectId: '', TemplateId: '' }, []],
    ['ProjectId, the other two ""', { Timeline: '', ProjectId: '****b4549d46c88681030f6e****', TemplateId: '' }, []],
    ['TemplateId with ClipsParam, the other two ""', { Timeline: '', ProjectId: '', TemplateId: '****96e8864746a0b6f3****', ClipsParam: '{"video1":"****"}' }, []],
    ['ProjectId and TemplateId both filled', { Timeline: '', ProjectId: 'p', TemplateId: 't', ClipsParam: '{}' }, ['error']],
    ['all three empty', { Timeline: '', ProjectId: '', TemplateId: '' }, ['error']],
  ] as const)('%s', (_, change, severities) => {
    const issues = media({ ...mediaRequest(), ...change });
    expect(errorsOf(issues).map((i) => i.severity)).toEqual(severities);
  });

  it.each([
    // Line 69: "当 TemplateId 不为空时,ClipsParam 不能为空": only a non-empty TemplateId needs ClipsParam.
    ['TemplateId "" needs no ClipsParam', { TemplateId: '' }, []],
    ['TemplateId given with ClipsParam ""', { Timeline: undefined, TemplateId: 't1', ClipsParam: '' }, ['error']],
    ['TemplateId given without ClipsParam', { Timeline: undefined, TemplateId: 't1' }, ['error']],
    ['TemplateId given with ClipsParam', { Timeline: undefined, TemplateId: 't1', ClipsParam: { video1: 'm1' } }, []],
  ] as const)('%s', (_, change, severities) => {
    expect(on(media({ ...mediaRequest(), ...change }), 'ClipsParam')).toEqual(severities);
  });
});

describe("Wrong: seed 004's own QueryIProductionJob answer (lines 68-98, a Cover job with Result \"{}\") is an empty result", () => {
  const answer = (Result: string) => ({ JobId: '****20b48fb04483915d4f2cd8ac****', FunctionName: 'Cover', Status: 'Success', Result });
  it.each([
    ['"{}" (line 88)', '{}', {}, []],
    ['"[]"', '[]', [], []],
    // Line 27: Cover's full result is a list of {Score, Time, Url}.
    ['the list of line 27', '[{"Score":8.27,"Time":"28278.25","Url":"cover/test-00001.jpg"}]', [{ Score: 8.27, Time: '28278.25', Url: 'cover/test-00001.jpg' }], []],
    ['an object of another shape', '{"x":1}', '{"x":1}', ['warning']],
  ] as const)('Result %s', (_, result, typed, warnings) => {
    const job = parseQueryIProductionJob(answer(result));
    expect(job.Result).toEqual(typed);
    expect(job.Warnings.map(() => 'warning')).toEqual(warnings);
  });
});

describe('Missing: AudioQualityAssessment on MPS takes 16-bit WAV (seed 002 line 80)', () => {
  it.each([
    ['MPS', 'oss://media-in.oss-cn-shanghai.aliyuncs.com/audio/talk.wav', []],
    ['MPS', 'oss://media-in.oss-cn-shanghai.aliyuncs.com/audio/talk.WAV', []],
    ['MPS', 'oss://media-in.oss-cn-shanghai.aliyuncs.com/audio/talk.mp3', ['warning']],
    ['MPS', 'oss://media-in.oss-cn-shanghai.aliyuncs.com/audio/talk', ['warning']],
  ] as const)('%s input %s', (_, input, severities) => {
    const issues = mts(mtsRequest('AudioQualityAssessment', { Input: input }));
    expect(on(issues, 'Input')).toEqual(severities);
    if (severities.length) expect(issues[0].message).toMatch(/should be a WAV file \(16-bit, 1-2 channels, 8-48 kHz; seed 002 line 80\)/);
  });

  it('ICE states no format for it (seed 001 line 354): an MP3 draws nothing', () => {
    expect(ice(iceRequest('AudioQualityAssessment', { Input: { Type: 'OSS', Media: 'oss://media-in/audio/talk.mp3' } }))).toEqual([]);
  });

  it.each([
    [(m: string) => mts(mtsRequest('SpeechDenoise', { Input: `oss://media-in.oss-cn-shanghai.aliyuncs.com/${m}` })), 'Input'],
    [(m: string) => ice(iceRequest('SpeechDenoise', { Input: { Type: 'OSS', Media: `oss://media-in/${m}` } })), 'Media'],
  ])('gives the same warning SpeechDenoise gives (seed 001 line 442), on %#', (validate, field) => {
    expect(on(validate('a.mp3'), field)).toEqual(['warning']);
    expect(on(validate('a.wav'), field)).toEqual([]);
  });
});

describe('Missing: OSS object keys are 1-1023 bytes of UTF-8 (FACTS.md)', () => {
  const MAX = OSS_LIMITS.objectKeyMaxBytes;
  const ascii = (n: number) => `${'k'.repeat(n - 4)}.mp4`;
  // '测' is 3 bytes: 340 of them and ".mp4" make 1024 bytes; 339 make 1021.
  const cjk = (n: number) => `${'测'.repeat(n)}.mp4`;

  it('is 1023', () => expect(MAX).toBe(1023));

  it.each([
    ['ICE Input.Media oss://, 1023 bytes', () => ice(iceRequest('VideoH2V', { Input: { Type: 'OSS', Media: `oss://media-in/${ascii(MAX)}` } })), 'Media', []],
    ['ICE Input.Media oss://, 1024 bytes', () => ice(iceRequest('VideoH2V', { Input: { Type: 'OSS', Media: `oss://media-in/${ascii(MAX + 1)}` } })), 'Media', ['error']],
    ['ICE Input.Media, 3 MB', () => ice(iceRequest('VideoH2V', { Input: { Type: 'OSS', Media: `oss://media-in/${ascii(3 * 1024 * 1024)}` } })), 'Media', ['error']],
    ['ICE Output.Media, 1021 bytes of CJK', () => ice(iceRequest('VideoH2V', { Output: { Type: 'OSS', Media: `oss://media-out/${cjk(339)}` } })), 'Media', []],
    ['ICE Output.Media, 1024 bytes of CJK', () => ice(iceRequest('VideoH2V', { Output: { Type: 'OSS', Media: `oss://media-out/${cjk(340)}` } })), 'Media', ['error']],
    ['ICE Input.Media https, 1023 bytes percent-encoded', () => ice(iceRequest('VideoH2V', { Input: { Type: 'OSS', Media: `https://media-in.oss-cn-shanghai.aliyuncs.com/${encodeURIComponent(cjk(339))}kk` } })), 'Media', []],
    ['ICE Input.Media https, 1024 bytes percent-encoded', () => ice(iceRequest('VideoH2V', { Input: { Type: 'OSS', Media: `https://media-in.oss-cn-shanghai.aliyuncs.com/${encodeURIComponent(cjk(340))}` } })), 'Media', ['error']],
    ['MPS Input, 1023 bytes', () => mts(mtsRequest('VideoH2V', { Input: `oss://media-in.oss-cn-shanghai.aliyuncs.com/${ascii(MAX)}` })), 'Input', []],
    ['MPS Input, 1024 bytes', () => mts(mtsRequest('VideoH2V', { Input: `oss://media-in.oss-cn-shanghai.aliyuncs.com/${ascii(MAX + 1)}` })), 'Input', ['error']],
    ['MediaProducing MediaURL, 1023 bytes', () => media(mediaRequest({ OutputMediaConfig: { MediaURL: `https://media-out.oss-cn-shanghai.aliyuncs.com/${ascii(MAX)}` } })), 'MediaURL', []],
    ['MediaProducing MediaURL, 1024 bytes', () => media(mediaRequest({ OutputMediaConfig: { MediaURL: `https://media-out.oss-cn-shanghai.aliyuncs.com/${ascii(MAX + 1)}` } })), 'MediaURL', ['error']],
  ] as const)('%s', (_, validate, field, severities) => {
    const issues = validate();
    expect(on(issues, field)).toEqual(severities);
    if (severities.length) expect(errorsOf(issues)[0].message).toMatch(/object key must be 1-1023 bytes of UTF-8, got \d+ bytes/);
  });
});

describe('Invented: MPS JobParams are defined outside the seeds (seed 002 line 89)', () => {
  it.each([
    ['MPS CaptionExtraction, an unknown key', () => mts(mtsRequest('CaptionExtraction', { JobParams: { fps: 5, colour: 'red' } })), 'colour', ['warning']],
    ['MPS ImageH2V, any key', () => mts(mtsRequest('ImageH2V', { JobParams: { ratio: '9:16' } })), 'ratio', ['warning']],
    ['MPS ImageDelogo, any key', () => mts(mtsRequest('ImageDelogo', { JobParams: '{"Boxes2":[]}' })), 'Boxes2', ['warning']],
    ['MPS ImageCartoonize, seed 002 line 91 example {"Model":"gif"}', () => mts(mtsRequest('ImageCartoonize', { JobParams: '{"Model":"gif"}' })), 'Model', ['warning']],
    // A field seed 001 does define keeps its rule: fps is an integer in [2, 10] (seed 001 line 391).
    ['MPS CaptionExtraction, fps 11', () => mts(mtsRequest('CaptionExtraction', { JobParams: { fps: 11 } })), 'fps', ['error']],
    ['MPS CaptionExtraction, fps 10', () => mts(mtsRequest('CaptionExtraction', { JobParams: { fps: 10 } })), 'fps', []],
    // ICE lists CaptionExtraction's fields (seed 001 lines 389-397): an unknown one is an error there.
    ['ICE CaptionExtraction, an unknown key', () => ice(iceRequest('CaptionExtraction', { JobParams: { fps: 5, colour: 'red' } })), 'colour', ['error']],
  ] as const)('%s', (_, validate, field, severities) => {
    expect(on(validate(), field)).toEqual(severities);
  });
});

describe('Invented: VideoClip has no JobParams section in seed 001, unlike the functions it marks None', () => {
  it.each([
    ['ICE VideoClip, a key (no section)', 'VideoClip', ['warning']],
    ['ICE SpeechDenoise, a key (a section without fields, lines 440-442)', 'SpeechDenoise', ['warning']],
    ['ICE VideoH2V, a key (None, lines 424-426)', 'VideoH2V', ['error']],
    ['ICE MusicDemix, a key (None, lines 448-450)', 'MusicDemix', ['error']],
  ] as const)('%s', (_, fn, severities) => {
    expect(on(ice(iceRequest(fn, { JobParams: { Duration: 30 } })), 'Duration')).toEqual(severities);
  });
});

describe('Invented: MPS UserData has no stated cap (seed 002 lines 102-106)', () => {
  it.each([
    [1024, []],
    [1025, ['warning']],
    [3 * 1024, ['warning']],
  ] as const)('%d bytes', (n, severities) => {
    expect(on(mts(mtsRequest('VideoH2V', { UserData: 'u'.repeat(n) })), 'UserData')).toEqual(severities);
  });

  it('ICE keeps its 256 characters (seed 001 line 293)', () => {
    expect(on(ice(iceRequest('VideoH2V', { UserData: 'u'.repeat(256) })), 'UserData')).toEqual([]);
    expect(on(ice(iceRequest('VideoH2V', { UserData: 'u'.repeat(257) })), 'UserData')).toEqual(['error']);
  });
});

describe("Invented: NotifyUrl's queue may be in another region (seed 002 lines 97-123 pair cn-beijing with cn-shanghai)", () => {
  it.each([
    ['cn-beijing queue, cn-shanghai job', 'mns://1253406881700000.mns.cn-beijing.aliyuncs.com/queues/example-pipeline', ['warning']],
    ['cn-shanghai queue, cn-shanghai job', 'mns://1253406881700000.mns.cn-shanghai.aliyuncs.com/queues/example-pipeline', []],
    // Line 99: "Only MNS queues are supported".
    ['a topic', 'mns://1253406881700000.mns.cn-shanghai.aliyuncs.com/topics/example-pipeline', ['error']],
  ] as const)('%s', (_, notifyUrl, severities) => {
    expect(on(mts(mtsRequest('VideoH2V', { NotifyUrl: notifyUrl })), 'NotifyUrl')).toEqual(severities);
  });

  it('without options.region there is nothing to compare', () => {
    const req = mtsRequest('VideoH2V', { NotifyUrl: 'mns://1253406881700000.mns.cn-beijing.aliyuncs.com/queues/q' });
    expect(validateIProductionJob(req, { api: 'mts' })).toEqual([]);
  });
});

describe('Invented: braces in output paths (seed 001 lines 217-225 list what is expanded, not what is forbidden)', () => {
  it.each([
    ['ICE, an unknown placeholder', () => ice(iceRequest('VideoH2V', { Output: { Type: 'OSS', Media: 'oss://media-out/{date}/a.mp4' } })), 'Media', ['warning']],
    ['ICE, a lone brace', () => ice(iceRequest('VideoH2V', { Output: { Type: 'OSS', Media: 'oss://media-out/a{.mp4' } })), 'Media', ['warning']],
    ['ICE, the four placeholders', () => ice(iceRequest('VideoH2V', { Output: { Type: 'OSS', Media: 'oss://media-out/{source}-{timestamp}-{sequenceId}-{resultType}.mp4' } })), 'Media', []],
    ['MPS, an unknown placeholder', () => mts(mtsRequest('VideoH2V', { Output: 'oss://media-out/{date}.mp4' })), 'Output', ['warning']],
    // What the seeds do require stays an error: MusicDemix {resultType} (seed 001 line 366), MPS Cover {sequenceId} (seed 002 line 122).
    ['ICE MusicDemix without {resultType}', () => ice(iceRequest('MusicDemix', { Output: { Type: 'OSS', Media: 'oss://media-out/{date}.wav' } })), 'Media', ['warning', 'error']],
    ['MPS Cover without {sequenceId}', () => mts(mtsRequest('Cover', { Output: 'oss://media-out/cover.png' })), 'Output', ['error']],
    ['ICE Cover without {sequenceId} (line 225: "we recommend")', () => ice(iceRequest('Cover', { Output: { Type: 'OSS', Media: 'oss://media-out/cover.png' } })), 'Media', ['warning']],
  ] as const)('%s', (_, validate, field, severities) => {
    expect(on(validate(), field)).toEqual(severities);
  });
});

describe('Invented: a MediaProducing clip need not name material (seed 003 line 14; text clips such as AI_TTS)', () => {
  const clips = (clip: Record<string, unknown>, track = 'AudioTracks', key = 'AudioTrackClips') => mediaRequest({ Timeline: { [track]: [{ [key]: [clip] }] } });
  it.each([
    ['an AI_TTS clip', clips({ Type: 'AI_TTS', Content: '你好', Voice: 'xiaoyun' }), 'MediaId', []],
    ['a video clip of a Type without material', clips({ Type: 'GlobalImage' }, 'VideoTracks', 'VideoTrackClips'), 'MediaId', []],
    ['a clip with nothing that says what it is', clips({ In: 0, Out: 5 }), 'MediaId', ['warning']],
    // Line 14: OSS material only as an OSS URL.
    ['a clip on a CDN', clips({ MediaURL: 'https://cdn.example.com/a.mp3' }), 'MediaURL', ['error']],
    ['a clip on OSS', clips({ MediaURL: 'https://media-in.oss-cn-shanghai.aliyuncs.com/a.mp3' }), 'MediaURL', []],
  ] as const)('%s', (_, req, field, severities) => {
    expect(on(media(req), field)).toEqual(severities);
  });
});
