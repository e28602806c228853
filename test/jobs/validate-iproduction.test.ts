import { type ValidationIssue, validateIProductionJob } from '../../lib/jobs';
import { ICE, MTS, REGION, iceRequest, mtsRequest } from './fixtures';

const errors = (issues: ValidationIssue[]) => issues.filter((i) => i.severity === 'error');
const warnings = (issues: ValidationIssue[]) => issues.filter((i) => i.severity === 'warning');

/**
 * Expectation of a table row: `ok` (no error), the error's field and a pattern of its message, or the same with
 * `'warning'`: no error at all, and a warning on that field.
 */
type Expect = 'ok' | [field: string, message: RegExp] | [field: string, message: RegExp, severity: 'warning'];

function check(issues: ValidationIssue[], expected: Expect): void {
  if (expected === 'ok') {
    expect(errors(issues)).toEqual([]);
  } else if (expected.length === 3) {
    expect(errors(issues)).toEqual([]);
    expect(warnings(issues)).toEqual(expect.arrayContaining([expect.objectContaining({ field: expected[0], message: expect.stringMatching(expected[1]) })]));
  } else {
    expect(errors(issues)).toEqual(expect.arrayContaining([expect.objectContaining({ field: expected[0], message: expect.stringMatching(expected[1]) })]));
  }
}

describe('validateIProductionJob on ICE', () => {
  it.each(ICE)('accepts a complete %s request with no issue', (fn) => {
    // GIVEN a request that sets every documented field of the function
    // WHEN it is validated for its region
    const issues = validateIProductionJob(iceRequest(fn), { region: REGION });
    // THEN nothing is reported
    expect(issues).toEqual([]);
  });

  it("accepts seed 001's own example (Cover with {\"Model\":\"gif\"}) and only recommends {sequenceId}", () => {
    // GIVEN the request assembled from seed 001's example column
    const req = {
      Name: '测试任务',
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: 'oss://bucket/object' },
      Output: { Type: 'OSS', Media: 'oss://bucket/object' },
      TemplateId: '****20b48fb04483915d4f2cd8ac****',
      JobParams: '{"Model":"gif"}',
      ScheduleConfig: { PipelineId: '5246b8d12a62433ab77845074039c3dc', Priority: 6 },
      UserData: '{"test":1}',
    };
    // WHEN validated
    const issues = validateIProductionJob(req);
    // THEN it is valid, with a warning about the several covers overwriting each other
    expect(errors(issues)).toEqual([]);
    expect(warnings(issues)).toEqual([expect.objectContaining({ field: 'Media', message: expect.stringMatching(/\{sequenceId\}/) })]);
  });

  const cases: Array<[string, Record<string, unknown>, Expect]> = [
    ['Name of 100 characters', { Name: 'n'.repeat(100) }, 'ok'],
    ['Name of 101 characters', { Name: 'n'.repeat(101) }, ['Name', /at most 100 characters, got 101/]],
    ['Name of 100 CJK characters', { Name: '测'.repeat(100) }, 'ok'],
    ['UserData of 256 characters', { UserData: 'u'.repeat(256) }, 'ok'],
    ['UserData of 257 characters', { UserData: 'u'.repeat(257) }, ['UserData', /at most 256 characters, got 257/]],
    ['UserData as a number', { UserData: 5 }, ['UserData', /string or a JSON object, got 5/]],
    ['Priority 0', { ScheduleConfig: { Priority: 0 } }, ['Priority', /integer between 1 and 10, got 0/]],
    ['Priority 1', { ScheduleConfig: { Priority: 1 } }, 'ok'],
    ['Priority 10', { ScheduleConfig: { Priority: 10 } }, 'ok'],
    ['Priority 11', { ScheduleConfig: { Priority: 11 } }, ['Priority', /integer between 1 and 10, got 11/]],
    ['Priority 5.5', { ScheduleConfig: { Priority: 5.5 } }, ['Priority', /got 5.5/]],
    ['Priority "5"', { ScheduleConfig: { Priority: '5' } }, ['Priority', /got "5"/]],
    ['ScheduleConfig with an unknown key', { ScheduleConfig: { Prio: 1 } }, ['Prio', /not a parameter of ScheduleConfig/]],
    ['an unknown top-level key', { Jobparams: {} }, ['Jobparams', /not a parameter of ICE SubmitIProductionJob/]],
    ['an MPS-only key', { NotifyUrl: 'mns://1.mns.cn-shanghai.aliyuncs.com/queues/q' }, ['NotifyUrl', /not a parameter/]],
    ['an unknown FunctionName', { FunctionName: 'VideoMagic' }, ['FunctionName', /one of Cover, .*got "VideoMagic"/]],
    ['an MPS-only FunctionName', { FunctionName: 'ImageH2V' }, ['FunctionName', /ImageH2V is not offered by ICE/]],
    ['no FunctionName', { FunctionName: undefined }, ['FunctionName', /required/]],
    ['Input.Type "URL"', { Input: { Type: 'URL', Media: 'oss://media-in/a.mp4' } }, ['Type', /"OSS" or "Media", got "URL"/]],
    ['Input.Type Media with an asset id', { Input: { Type: 'Media', Media: '****20b48fb04483915d4f2cd8ac****' } }, 'ok'],
    ['Input.Type Media with an OSS path', { Input: { Type: 'Media', Media: 'oss://media-in/a.mp4' } }, ['Media', /media asset id when Input.Type is Media/]],
    ['Output.Type Media with an OSS path', { Output: { Type: 'Media', Media: 'oss://media-out/a.srt' } }, ['Media', /media asset id or empty when Output.Type is Media/]],
    ['Output.Type Media with an asset id', { Output: { Type: 'Media', Media: '****20b48fb04483915d4f2cd8ac****' } }, 'ok'],
    ['Input missing', { Input: undefined }, ['Input', /must be an object/]],
    ['Input.Media empty', { Input: { Type: 'OSS', Media: '' } }, ['Media', /non-empty/]],
    ['Input on a CDN host', { Input: { Type: 'OSS', Media: 'https://cdn.example.com/a.mp4' } }, ['Media', /not an OSS endpoint.*CDN/]],
    ['Input over https of the region', { Input: { Type: 'OSS', Media: 'https://media-in.oss-cn-shanghai.aliyuncs.com/a.mp4' } }, 'ok'],
    ['Input in another region', { Input: { Type: 'OSS', Media: 'https://media-in.oss-cn-beijing.aliyuncs.com/a.mp4' } }, ['Media', /region cn-shanghai.*cn-beijing/]],
    ['Input on an internal endpoint', { Input: { Type: 'OSS', Media: 'https://media-in.oss-cn-shanghai-internal.aliyuncs.com/a.mp4' } }, ['Media', /public OSS region/]],
    ['Input in a bucket with capitals', { Input: { Type: 'OSS', Media: 'oss://Media-In/a.mp4' } }, ['Media', /lowercase/]],
    ['Input in a 2-character bucket', { Input: { Type: 'OSS', Media: 'oss://ab/a.mp4' } }, ['Media', /3-63 characters/]],
    ['Input in a 63-character bucket', { Input: { Type: 'OSS', Media: `oss://${'b'.repeat(63)}/a.mp4` } }, 'ok'],
    ['Input in a 64-character bucket', { Input: { Type: 'OSS', Media: `oss://${'b'.repeat(64)}/a.mp4` } }, ['Media', /3-63 characters/]],
    ['Input in a bucket ending with a hyphen', { Input: { Type: 'OSS', Media: 'oss://media-/a.mp4' } }, ['Media', /start and end/]],
    ['Input without an object', { Input: { Type: 'OSS', Media: 'oss://media-in/' } }, ['Media', /object name is empty/]],
    ['Input in the MPS oss-host form', { Input: { Type: 'OSS', Media: 'oss://media-in.oss-cn-shanghai.aliyuncs.com/a.mp4' } }, ['Media', /must be oss:\/\/bucket\/object or http/]],
    // seed 001 lines 217-225 list what is expanded, not what is forbidden: braces only warn.
    ['Output with an unknown placeholder', { Output: { Type: 'OSS', Media: 'oss://media-out/{xyz}-{sequenceId}.png' } }, ['Media', /\{xyz\}, which is not one of the placeholders.*literal text/, 'warning']],
    ['Output with an unbalanced brace', { Output: { Type: 'OSS', Media: 'oss://media-out/{source-{sequenceId}.srt' } }, ['Media', /opens or closes no placeholder/, 'warning']],
    ['Output with a stray closing brace', { Output: { Type: 'OSS', Media: 'oss://media-out/source}.srt' } }, ['Media', /opens or closes no placeholder/, 'warning']],
    ['Output with every known placeholder', { Output: { Type: 'OSS', Media: 'oss://media-out/{source}{timestamp}{sequenceId}{resultType}' } }, 'ok'],
    ['Biz "OSS"', { Output: { Type: 'Media', Media: '', Biz: 'OSS' } }, ['Biz', /"IMS" or "VOD", got "OSS"/]],
    ['Media output creating a new VOD asset', { Output: { Type: 'Media', Biz: 'VOD' } }, 'ok'],
    ['Media output with an OutputUrl', { Output: { Type: 'Media', Media: '', OutputUrl: 'https://media-out.oss-cn-shanghai.aliyuncs.com/o/{sequenceId}.mp4' } }, 'ok'],
    // seed 001 line 235 documents OutputUrl for Type Media and forbids nothing.
    ['OSS output with an OutputUrl', { Output: { Type: 'OSS', Media: 'oss://media-out/a.mp4', OutputUrl: 'https://media-out.oss-cn-shanghai.aliyuncs.com/a.mp4' } }, ['OutputUrl', /documented for Output.Type Media/, 'warning']],
    ['OutputUrl on a CDN', { Output: { Type: 'Media', OutputUrl: 'https://cdn.example.com/a.mp4' } }, ['OutputUrl', /CDN/]],
    ['TemplateId empty (optional, so empty is absent)', { TemplateId: '' }, 'ok'],
    ['TemplateId a number', { TemplateId: 5 }, ['TemplateId', /must be a string, got 5/]],
    ['JobParams malformed JSON', { JobParams: '{"fps":' }, ['JobParams', /malformed JSON/]],
    ['JobParams an array', { JobParams: [1] }, ['JobParams', /JSON object or its JSON string, got \[1\]/]],
    ['an unknown JobParams key', { JobParams: { fps: 5, colour: 'red' } }, ['colour', /not a JobParams field of CaptionExtraction/]],
    ['fps undefined (dropped by JSON)', { JobParams: { fps: undefined } }, 'ok'],
    ['an unknown key whose value is undefined', { Colour: undefined }, 'ok'],
    ['fps 1', { JobParams: { fps: 1 } }, ['fps', /^fps must be an integer between 2 and 10, got 1$/]],
    ['fps 2', { JobParams: { fps: 2 } }, 'ok'],
    ['fps 10', { JobParams: { fps: 10 } }, 'ok'],
    ['fps 11', { JobParams: { fps: 11 } }, ['fps', /^fps must be an integer between 2 and 10, got 11$/]],
    ['fps 2.5', { JobParams: { fps: 2.5 } }, ['fps', /got 2.5/]],
    ['fps as JSON text', { JobParams: '{"fps":11}' }, ['fps', /got 11/]],
    ['lang ch_ml', { JobParams: { lang: 'ch_ml' } }, 'ok'],
    ['lang zh (Hybrid only)', { JobParams: { lang: 'zh' } }, ['lang', /one of "ch", "en", "ch_ml", got "zh"/]],
    ['track "all"', { JobParams: { track: 'all' } }, ['track', /"main"/]],
    ['roi top == bottom', { JobParams: { roi: [[0.5, 0.5], [0, 1]] } }, ['roi', /top < bottom/]],
    ['roi left > right', { JobParams: { roi: [[0, 1], [0.6, 0.4]] } }, ['roi', /left < right/]],
    ['roi beyond 1', { JobParams: { roi: [[0.5, 1.1], [0, 1]] } }, ['roi', /normalized/]],
    ['roi as a box', { JobParams: { roi: [0, 0.5, 1, 0.5] } }, ['roi', /\[\[top, bottom\], \[left, right\]\]/]],
    ['ModelId on a function without models', { ModelId: 'algo-video-detext-new' }, ['ModelId', /ModelId must be empty for CaptionExtraction on ICE/]],
    ['ModelId empty (seed 001 line 303: the default model)', { ModelId: '' }, 'ok'],
  ];
  it.each(cases)('%s', (_, change, expected) => {
    // GIVEN a valid CaptionExtraction request with one change
    const req = { ...iceRequest('CaptionExtraction'), ...change };
    // WHEN validated in cn-shanghai
    const issues = validateIProductionJob(req, { region: REGION });
    // THEN the change is accepted or reported on its innermost field
    check(issues, expected);
  });

  const params: Array<[string, string, Record<string, unknown>, Expect]> = [
    ['Cover Model ""', 'Cover', { Model: '' }, 'ok'],
    ['Cover Model "png"', 'Cover', { Model: 'png' }, ['Model', /one of "", "gif", got "png"/]],
    ['LogoModel "internet,tv"', 'VideoDelogo', { LogoModel: 'internet,tv' }, 'ok'],
    ['LogoModel "tv,radio"', 'VideoDelogo', { LogoModel: 'tv,radio' }, ['LogoModel', /comma-separated list of tv, internet, got "tv,radio"/]],
    ['Boxes as an array', 'VideoDelogo', { Boxes: [[0, 0, 0.3, 0.3]] }, 'ok'],
    ['Boxes of three boxes', 'VideoDelogo', { Boxes: [[0, 0, 0.1, 0.1], [0.2, 0, 0.1, 0.1], [0.4, 0, 0.1, 0.1]] }, ['Boxes', /at most 2 boxes, got 3/]],
    ['Boxes x + w = 1', 'VideoDelogo', { Boxes: [[0.7, 0, 0.3, 0.3]] }, 'ok'],
    ['Boxes x + w > 1', 'VideoDelogo', { Boxes: [[0.8, 0, 0.3, 0.3]] }, ['Boxes', /inside the frame/]],
    ['Boxes y + h > 1', 'VideoDelogo', { Boxes: '[[0, 0.8, 0.3, 0.3]]' }, ['Boxes', /inside the frame/]],
    ['Boxes width 0', 'VideoDelogo', { Boxes: [[0, 0, 0, 0.3]] }, ['Boxes', /width and height > 0/]],
    ['Boxes negative x', 'VideoDelogo', { Boxes: [[-0.1, 0, 0.3, 0.3]] }, ['Boxes', /got \[-0.1,0,0.3,0.3\]/]],
    ['Boxes of three numbers', 'VideoDelogo', { Boxes: [[0, 0, 0.3]] }, ['Boxes', /\[xmin, ymin, width, height\]/]],
    ['Boxes malformed JSON', 'VideoDelogo', { Boxes: '[[0, 0' }, ['Boxes', /malformed JSON/]],
    ['LimitRegion of many boxes', 'VideoDetext', { LimitRegion: [[0, 0, 0.1, 0.1], [0.2, 0, 0.1, 0.1], [0.4, 0, 0.1, 0.1]] }, 'ok'],
    ['LimitRegion as text (the seed types it as a list)', 'VideoDetext', { LimitRegion: '[[0, 0, 0.3, 0.3]]' }, ['LimitRegion', /list of/]],
    ['Time [0, 1]', 'VideoDetext', { Time: [0, 1] }, 'ok'],
    ['Time start == end', 'VideoDetext', { Time: [5, 5] }, ['Time', /0 <= start < end, got \[5,5\]/]],
    ['Time negative start', 'VideoDetext', { Time: [-1, 5] }, ['Time', /0 <= start < end/]],
    ['Time 2-D without the new model', 'VideoDetext', { Time: [[5, 20], [25, 43]] }, ['Time', /needs ModelId "algo-video-detext-new", got ModelId undefined/]],
    ['Time 2-D with a bad range', 'VideoDetext', { Time: [[5, 20], [43, 25]] }, ['Time', /Time\[1\]/]],
    ['HybridCaption roi inside', 'HybridCaptionExtraction', { roi: [0, 0.75, 1, 0.25] }, 'ok'],
    ['HybridCaption roi outside', 'HybridCaptionExtraction', { roi: [0.5, 0.75, 0.6, 0.25] }, ['roi', /inside the frame/]],
    ['HybridCaption lang ch', 'HybridCaptionExtraction', { lang: 'ch' }, ['lang', /one of "zh", "en", got "ch"/]],
    ['HybridCaption fps 11', 'HybridCaptionExtraction', { fps: 11 }, ['fps', /between 2 and 10, got 11/]],
    ['bgimage https', 'VideoGreenScreenMatting', { bgimage: 'https://img.example.com/bg.jpg' }, 'ok'],
    ['bgimage an oss path', 'VideoGreenScreenMatting', { bgimage: 'oss://bucket/bg.jpg' }, ['bgimage', /http\(s\) URL, got "oss:\/\/bucket\/bg.jpg"/]],
    ['beauty_params one pair', 'FaceBeauty', { beauty_params: 'whiten=20' }, 'ok'],
    ['beauty_params non-numeric', 'FaceBeauty', { beauty_params: 'whiten=high' }, ['beauty_params', /numeric values/]],
    ['beauty_params a number', 'FaceBeauty', { beauty_params: 20 }, ['beauty_params', /got 20/]],
    ['AudioMixing inputs as a lone object (seed example)', 'AudioMixing', { inputs: { file: 'http://example-bucket.oss-cn-shanghai.aliyuncs.com/2.mp4' } }, 'ok'],
    ['AudioMixing two inputs', 'AudioMixing', { inputs: [{ file: 'https://a.example.com/1.wav' }, { file: 'https://a.example.com/2.wav' }] }, ['inputs', /exactly 1/]],
    ['AudioMixing no inputs', 'AudioMixing', { inputs: [] }, ['inputs', /exactly 1/]],
    ['AudioMixing file not a URL', 'AudioMixing', { inputs: [{ file: 'song.wav' }] }, ['file', /http\(s\) URL or oss:\/\/ path/]],
    ['AudioMixing file in another region', 'AudioMixing', { inputs: [{ file: 'https://b1b.oss-cn-beijing.aliyuncs.com/2.wav' }] }, ['file', /region cn-shanghai/]],
    ['AudioMixing item with another key', 'AudioMixing', { inputs: [{ file: 'https://a.example.com/1.wav', gain: 2 }] }, ['gain', /only "file"/]],
    ['VideoH2V with any key', 'VideoH2V', { x: 1 }, ['x', /VideoH2V takes no JobParams fields \(seed 001 lines 424-426: None\), got "x"/]],
    ['MusicDemix with any key', 'MusicDemix', { Model: 'gif' }, ['Model', /takes no JobParams fields/]],
    ['VideoH2V with {}', 'VideoH2V', {}, 'ok'],
  ];
  it.each(params)('JobParams: %s', (_, fn, jobParams, expected) => {
    // GIVEN a valid request of the function with the JobParams
    const req = { ...iceRequest(fn as never), JobParams: jobParams };
    // WHEN validated
    // THEN the params are accepted or reported on the field
    check(validateIProductionJob(req, { region: REGION }), expected);
  });

  it('accepts two-dimensional Time with ModelId algo-video-detext-new', () => {
    // GIVEN VideoDetext with the new model and several ranges
    const req = iceRequest('VideoDetext', { ModelId: 'algo-video-detext-new', JobParams: { Time: [[5, 20], [25, 43], [51, 80]] } });
    // WHEN / THEN valid
    expect(errors(validateIProductionJob(req))).toEqual([]);
  });

  it.each([
    ['algo-video-detext-old', /one of algo-video-detext-new, got "algo-video-detext-old"/],
    [7, /got 7/],
  ])('rejects VideoDetext ModelId %p', (modelId, message) => {
    // GIVEN VideoDetext with a model it does not have
    const issues = validateIProductionJob(iceRequest('VideoDetext', { ModelId: modelId }));
    // THEN ModelId is named
    expect(errors(issues)).toEqual([expect.objectContaining({ field: 'ModelId', message: expect.stringMatching(message) })]);
  });

  it.each([
    ['Cover', 'oss://media-out/cover.png', 'warning'],
    ['Cover', 'oss://media-out/cover-{sequenceId}.png', undefined],
    ['MusicDemix', 'oss://media-out/demix.wav', 'error'],
    ['MusicDemix', 'oss://media-out/demix-{resultType}.wav', undefined],
  ] as const)('%s output %s draws %p about placeholders', (fn, media, severity) => {
    // GIVEN an output path with or without the function's placeholder
    const issues = validateIProductionJob(iceRequest(fn, { Output: { Type: 'OSS', Media: media } }));
    // THEN a missing recommended placeholder warns and a missing required one is an error
    const about = issues.filter((i) => i.field === 'Media');
    expect(about.map((i) => i.severity)).toEqual(severity ? [severity] : []);
  });

  it.each([
    ['oss://media-in/audio/speech.wav', []],
    ['oss://media-in/audio/speech.WAV', []],
    ['oss://media-in/audio/speech.mp3', ['warning']],
    ['oss://media-in/video/speech.mp4', ['warning']],
    ['oss://media-in/audio/speech', ['warning']],
  ])('SpeechDenoise input %s draws %p', (media, severities) => {
    // GIVEN SpeechDenoise on a file of some extension
    const issues = validateIProductionJob(iceRequest('SpeechDenoise', { Input: { Type: 'OSS', Media: media } }));
    // THEN only a non-WAV name warns (the service needs WAV 16/48 kHz), never an error
    expect(issues.map((i) => i.severity)).toEqual(severities);
  });

  it.each([
    ['VideoH2V', 'oss://media-in/a.png', /should be video, got an image file/],
    ['CaptionExtraction', 'oss://media-in/a.mp3', /should be video, got an audio file/],
    ['AudioMixing', 'oss://media-in/a.mp4', /should be audio, got a video file/],
  ])('%s on %s warns about the input kind', (fn, media, message) => {
    // GIVEN an input whose well-known extension is of another media kind
    const issues = validateIProductionJob(iceRequest(fn as never, { Input: { Type: 'OSS', Media: media } }));
    // THEN a warning (not an error: names need not tell the truth)
    expect(issues).toEqual([expect.objectContaining({ field: 'Media', severity: 'warning', message: expect.stringMatching(message) })]);
  });

  it.each(['oss://media-in/a.bin', 'oss://media-in/a', 'oss://media-in/a.MP4'])('VideoH2V on %s draws no kind warning', (media) => {
    expect(validateIProductionJob(iceRequest('VideoH2V', { Input: { Type: 'OSS', Media: media } }))).toEqual([]);
  });

  it.each([
    [{ region: 'cn-shanghai/x' }, 'region', 'error'],
    [{ region: 'eu-central-1' }, 'region', 'warning'],
    [{ api: 'vod' }, 'api', 'error'],
  ])('reports bad options %p on %s', (options, field, severity) => {
    // GIVEN a valid request and odd options
    const issues = validateIProductionJob(iceRequest('VideoH2V'), options as never);
    // THEN the option is named
    expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ field, severity })]));
  });
});

describe('validateIProductionJob on MPS', () => {
  it.each(MTS)('accepts a complete %s request with no issue', (fn) => {
    // GIVEN a flat MPS request in seed 002's forms
    // WHEN validated for its region
    // THEN nothing is reported
    expect(validateIProductionJob(mtsRequest(fn), { api: 'mts', region: REGION })).toEqual([]);
  });

  it("accepts seed 002's example (ImageCartoonize, oss://bucket.oss-region host form)", () => {
    const req = {
      FunctionName: 'ImageCartoonize',
      JobParams: '{}',
      NotifyUrl: 'mns://1253406881700000.mns.cn-beijing.aliyuncs.com/queues/example-pipeline',
      UserData: '{"key":"value"}',
      PipelineId: '39f8e0bc005e4f309379701645f40000',
      Input: 'oss://example-bucket.oss-cn-shanghai.aliyuncs.com/example.mp4',
      Output: 'oss://example-bucket.oss-cn-shanghai.aliyuncs.com/iproduction/{source}-{timestamp}-{sequenceId}.srt',
    };
    expect(errors(validateIProductionJob(req, { api: 'mts' }))).toEqual([]);
  });

  const cases: Array<[string, string, Record<string, unknown>, Expect]> = [
    ['HybridCaptionExtraction (ICE only)', 'Cover', { FunctionName: 'HybridCaptionExtraction' }, ['FunctionName', /not offered by MPS/]],
    ['MusicDemix (ICE only)', 'Cover', { FunctionName: 'MusicDemix' }, ['FunctionName', /not offered by MPS/]],
    ['no JobParams', 'VideoH2V', { JobParams: undefined }, ['JobParams', /required by MPS/]],
    ['JobParams empty text', 'VideoH2V', { JobParams: ' ' }, ['JobParams', /required by MPS.*got " "/]],
    ['JobParams "{}" for a function without fields', 'VideoH2V', { JobParams: '{}' }, 'ok'],
    ['JobParams malformed', 'VideoH2V', { JobParams: '{' }, ['JobParams', /malformed JSON/]],
    ['Cover output without {sequenceId}', 'Cover', { Output: 'oss://media-out/cover.png' }, ['Output', /must contain \{sequenceId\}/]],
    ['Input as an object (ICE form)', 'VideoH2V', { Input: { Type: 'OSS', Media: 'oss://a-b/c' } }, ['Input', /OSS path string/]],
    ['Input on another host', 'VideoH2V', { Input: 'https://example.com/a.mp4' }, ['Input', /not an OSS endpoint/]],
    ['Input in another region', 'VideoH2V', { Input: 'oss://media-in.oss-cn-beijing.aliyuncs.com/a.mp4' }, ['Input', /region cn-shanghai/]],
    ['Output with an unknown placeholder', 'VideoH2V', { Output: 'oss://media-out/{date}.mp4' }, ['Output', /\{date\}, which is not one of/, 'warning']],
    ['no Output for AudioQualityAssessment', 'AudioQualityAssessment', { Output: undefined }, 'ok'],
    ['no Output for VideoH2V (seed 002 line 118: Required No)', 'VideoH2V', { Output: undefined }, ['Output', /Output is absent/, 'warning']],
    ['Output as an object', 'VideoH2V', { Output: { Type: 'OSS', Media: 'oss://a-b/c' } }, ['Output', /OSS path string/]],
    ['NotifyUrl over http', 'VideoH2V', { NotifyUrl: 'http://1.mns.cn-shanghai.aliyuncs.com/queues/q' }, ['NotifyUrl', /mns:\/\/\{accountId\}/]],
    ['NotifyUrl in another region (seed 002 lines 101, 117 pair cn-beijing with cn-shanghai)', 'VideoH2V', { NotifyUrl: 'mns://1253.mns.cn-beijing.aliyuncs.com/queues/q' }, ['NotifyUrl', /queue in cn-beijing, not the job's region cn-shanghai/, 'warning']],
    ['NotifyUrl to a topic', 'VideoH2V', { NotifyUrl: 'mns://1253.mns.cn-shanghai.aliyuncs.com/topics/q' }, ['NotifyUrl', /queues/]],
    ['PipelineId with a slash', 'VideoH2V', { PipelineId: 'a/b' }, ['PipelineId', /pipeline id/]],
    ['ScheduleParams as a number', 'VideoH2V', { ScheduleParams: 3 }, ['ScheduleParams', /got 3/]],
    ['UserData of 1024 bytes', 'VideoH2V', { UserData: 'u'.repeat(1024) }, 'ok'],
    ['UserData of 1025 bytes (seed 002 lines 102-106 state no limit)', 'VideoH2V', { UserData: 'u'.repeat(1025) }, ['UserData', /UserData is 1025 bytes, over the 1024/, 'warning']],
    ['ICE-only Name', 'VideoH2V', { Name: 'x' }, ['Name', /not a parameter of MPS/]],
    ['ICE-only ScheduleConfig', 'VideoH2V', { ScheduleConfig: { Priority: 1 } }, ['ScheduleConfig', /not a parameter of MPS/]],
    ['fps 11 in JSON text', 'CaptionExtraction', { JobParams: '{"fps":11}' }, ['fps', /got 11/]],
    ['ModelId on VideoDetext', 'VideoDetext', { ModelId: 'algo-video-detext-new' }, 'ok'],
  ];
  it.each(cases)('%s', (_, fn, change, expected) => {
    // GIVEN a valid MPS request with one change
    const req = { ...mtsRequest(fn as never), ...change };
    // WHEN validated for MPS in cn-shanghai
    // THEN accepted or reported on the innermost field
    check(validateIProductionJob(req, { api: 'mts', region: REGION }), expected);
  });
});

describe('validateIProductionJob on anything', () => {
  it.each([null, undefined, 0, 'Cover', [], [iceRequest('Cover')], true])('reports %p as a bad request without throwing', (value) => {
    // WHEN something that is not an object is validated
    const issues = validateIProductionJob(value);
    // THEN one error names the request
    expect(issues).toEqual([expect.objectContaining({ field: 'request', severity: 'error' })]);
  });

  it('does not read inherited properties such as constructor or toString', () => {
    // GIVEN an object without prototype whose own keys look like Object's members
    const req = Object.assign(Object.create(null), { constructor: 1, toString: 2 });
    // WHEN validated
    const fields = validateIProductionJob(req).map((i) => i.field);
    // THEN they are reported as unknown parameters, next to the missing required ones
    expect(fields).toEqual(expect.arrayContaining(['constructor', 'toString', 'FunctionName', 'Input', 'Output']));
  });
});
