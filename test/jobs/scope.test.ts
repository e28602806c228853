import { findOssUrls, parseLocationList, scopeRefusals, type JobScope } from '../../lib/jobs';

const SCOPE: JobScope = {
  functions: ['Cover', 'VideoClip'],
  inputs: [{ bucket: 'media-in', prefix: 'input/' }],
  outputs: [{ bucket: 'media-out', prefix: 'output/' }],
};
const COVER = {
  FunctionName: 'Cover',
  Input: { Type: 'OSS', Media: 'oss://media-in/input/a.mp4' },
  Output: { Type: 'OSS', Media: 'oss://media-out/output/{source}.png' },
};

describe('scopeRefusals', () => {
  it.each([
    ['an ICE request inside the scope', COVER, 'iProduction'],
    ['https URLs (percent-encoded keys compared decoded)', {
      ...COVER,
      Input: { Type: 'OSS', Media: 'https://media-in.oss-cn-shanghai.aliyuncs.com/input/caf%C3%A9.mp4' },
    }, 'iProduction'],
    ['an MPS request (flat paths)', { FunctionName: 'Cover', Input: 'oss://media-in/input/a.mp4', Output: 'oss://media-out/output/{source}.png' }, 'iProduction'],
    ['an output to the media library (no OSS location)', { ...COVER, Output: { Type: 'Media' } }, 'iProduction'],
    ['a timeline reading the input prefix', {
      Timeline: JSON.stringify({ VideoTracks: [{ VideoTrackClips: [{ MediaURL: 'oss://media-in/input/a.mp4' }, { MediaId: 'm1' }] }] }),
      OutputMediaConfig: { MediaURL: 'oss://media-out/output/edit.mp4' },
    }, 'mediaProducing'],
  ])('GIVEN %s THEN nothing is refused', (_name, request, kind) => {
    // WHEN / THEN
    expect(scopeRefusals(request, kind as 'iProduction' | 'mediaProducing', SCOPE)).toEqual([]);
  });

  it.each([
    ['a function not listed', { ...COVER, FunctionName: 'VideoSummary' }, 'iProduction', 'functions', 'FunctionName', 'VideoSummary'],
    ['an input in another bucket', { ...COVER, Input: { Type: 'OSS', Media: 'oss://payroll-archive/private/x.mp4' } }, 'iProduction',
      'inputs', 'Input.Media', 'oss://payroll-archive/private/x.mp4'],
    ['an input beside the prefix', { ...COVER, Input: { Type: 'OSS', Media: 'oss://media-in/inputs-other/x.mp4' } }, 'iProduction',
      'inputs', 'Input.Media', 'oss://media-in/inputs-other/x.mp4'],
    ['an input by media asset id', { ...COVER, Input: { Type: 'Media', Media: 'abc123' } }, 'iProduction', 'inputs', 'Input.Type', 'Media'],
    ['an output in another bucket', { ...COVER, Output: { Type: 'OSS', Media: 'oss://public-website/www/{source}.mp4' } }, 'iProduction',
      'outputs', 'Output.Media', 'oss://public-website/www/{source}.mp4'],
    ['an output into the input prefix', { ...COVER, Output: { Type: 'OSS', Media: 'oss://media-in/input/loop.png' } }, 'iProduction',
      'outputs', 'Output.Media', 'oss://media-in/input/loop.png'],
    ['a location hidden in JobParams', { ...COVER, JobParams: JSON.stringify({ Watermark: 'oss://secret/logo.png' }) }, 'iProduction',
      'inputs', 'JobParams.Watermark', 'oss://secret/logo.png'],
    ['a timeline clip from another bucket', {
      Timeline: { VideoTracks: [{ VideoTrackClips: [{ MediaURL: 'oss://other/a.mp4' }] }] },
      OutputMediaConfig: { MediaURL: 'oss://media-out/output/edit.mp4' },
    }, 'mediaProducing', 'inputs', 'Timeline.VideoTracks[0].VideoTrackClips[0].MediaURL', 'oss://other/a.mp4'],
    ['a timeline output elsewhere', { Timeline: {}, OutputMediaConfig: { MediaURL: 'https://www.oss-cn-shanghai.aliyuncs.com/x.mp4' } }, 'mediaProducing',
      'outputs', 'OutputMediaConfig.MediaURL', 'https://www.oss-cn-shanghai.aliyuncs.com/x.mp4'],
  ])('GIVEN %s THEN it is refused by rule naming the field and the value', (_name, request, kind, rule, field, value) => {
    // WHEN
    const refusals = scopeRefusals(request, kind as 'iProduction' | 'mediaProducing', SCOPE);
    // THEN
    expect(refusals[0]).toEqual({ rule, field, value, message: expect.stringContaining(JSON.stringify(value)) });
  });

  it('GIVEN a scope without lists THEN nothing is enforced (a local run)', () => {
    expect(scopeRefusals({ ...COVER, FunctionName: 'X', Input: { Type: 'OSS', Media: 'oss://any/x.mp4' } }, 'iProduction', {})).toEqual([]);
  });

  it('GIVEN empty lists THEN every OSS location is refused and the message says none is allowed', () => {
    const refusals = scopeRefusals(COVER, 'iProduction', { inputs: [], outputs: [] });
    expect(refusals.map((r) => r.rule)).toEqual(['inputs', 'outputs']);
    expect(refusals[0].message).toMatch(/input locations \(none\)/);
  });
});

describe('parseLocationList', () => {
  it('reads "bucket/prefix" entries, a bare bucket meaning all of it', () => {
    expect(parseLocationList('["a-bucket/in/","b-bucket"]')).toEqual({ ok: true, locations: [{ bucket: 'a-bucket', prefix: 'in/' }, { bucket: 'b-bucket', prefix: '' }] });
  });

  it.each([['not JSON', 'a/b'], ['an object', '{}'], ['a number entry', '[1]'], ['a leading slash', '["/x"]']])('refuses %s', (_name, text) => {
    expect(parseLocationList(text)).toEqual({ ok: false, reason: expect.stringMatching(/must (be a JSON array of|list) "bucket\/prefix" strings/) });
  });
});

describe('findOssUrls', () => {
  it('looks inside JSON strings and decodes https keys', () => {
    expect(findOssUrls({ P: '{"a":["https://b-1.oss-cn-shanghai.aliyuncs.com/x%20y.mp4"]}' })).toEqual([
      { path: 'P.a[0]', url: 'https://b-1.oss-cn-shanghai.aliyuncs.com/x%20y.mp4', bucket: 'b-1', object: 'x y.mp4', region: 'cn-shanghai' },
    ]);
  });
});
