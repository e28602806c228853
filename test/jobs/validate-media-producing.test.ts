import { type ValidationIssue, validateMediaProducingJob } from '../../lib/jobs';
import { REGION, mediaRequest } from './fixtures';

const errors = (issues: ValidationIssue[]) => issues.filter((i) => i.severity === 'error');
const warnings = (issues: ValidationIssue[]) => issues.filter((i) => i.severity === 'warning');
/** `ok` (no error), an error's field and message pattern, or the same with `'warning'`: no error, that warning. */
type Expect = 'ok' | [field: string, message: RegExp] | [field: string, message: RegExp, severity: 'warning'];

function check(issues: ValidationIssue[], expected: Expect): void {
  const matching = (e: readonly [string, RegExp, ...unknown[]]) => expect.arrayContaining([expect.objectContaining({ field: e[0], message: expect.stringMatching(e[1]) })]);
  if (expected === 'ok') expect(errors(issues)).toEqual([]);
  else if (expected.length === 3) {
    expect(errors(issues)).toEqual([]);
    expect(warnings(issues)).toEqual(matching(expected));
  } else expect(errors(issues)).toEqual(matching(expected));
}

const tracks = (n: number, key: string, clipsKey: string) => ({ [key]: Array.from({ length: n }, () => ({ [clipsKey]: [] })) });
const output = (c: Record<string, unknown>) => ({ OutputMediaConfig: { MediaURL: 'https://my-test-bucket.oss-cn-shanghai.aliyuncs.com/o.mp4', ...c } });

describe('validateMediaProducingJob', () => {
  it("accepts a request built from seed 003's examples with no issue", () => {
    // GIVEN the seed's timeline, OSS output config, metadata, user data and token
    // WHEN validated in its region
    // THEN nothing is reported
    expect(validateMediaProducingJob(mediaRequest(), { region: REGION })).toEqual([]);
  });

  it("accepts seed 003's Timeline example given as JSON text, and the VOD output example", () => {
    const req = {
      Timeline: '{"VideoTracks":[{"VideoTrackClips":[{"MediaId":"****4d7cf14dc7b83b0e801c****"},{"MediaId":"****4d7cf14dc7b83b0e801c****"}]}]}',
      OutputMediaTarget: 'vod-media',
      OutputMediaConfig: { StorageLocation: 'outin-xxxxxx7d2a3811eb83da00163exxxxxx.oss-cn-shanghai.aliyuncs.com', FileName: 'output.mp4', Bitrate: 2000, Width: 800, Height: 680 },
      Source: 'OPENAPI',
    };
    const issues = validateMediaProducingJob(req, { region: REGION });
    expect(errors(issues)).toEqual([]);
    // The seed's own "OPENAPI" is taken, with a note of the documented spelling.
    expect(issues).toEqual([expect.objectContaining({ field: 'Source', severity: 'warning' })]);
  });

  const cases: Array<[string, Record<string, unknown>, Expect]> = [
    ['no ProjectId, Timeline or TemplateId', { Timeline: undefined }, ['Timeline', /exactly one of ProjectId, Timeline, TemplateId is required, got none/]],
    ['ProjectId only', { Timeline: undefined, ProjectId: '****b4549d46c88681030f6e****' }, 'ok'],
    ['ProjectId and Timeline', { ProjectId: 'p1' }, ['Timeline', /may be given \(the others left empty\), got ProjectId and Timeline/]],
    ['TemplateId without ClipsParam', { Timeline: undefined, TemplateId: '****96e8864746a0b6f3****' }, ['ClipsParam', /must not be empty when TemplateId is given/]],
    ['TemplateId with ClipsParam text', { Timeline: undefined, TemplateId: 't1', ClipsParam: '{"video1":"****"}' }, 'ok'],
    ['ClipsParam malformed', { Timeline: undefined, TemplateId: 't1', ClipsParam: '{video1' }, ['ClipsParam', /malformed JSON/]],
    ['ProjectMetadata malformed', { ProjectMetadata: '{"Title":' }, ['ProjectMetadata', /malformed JSON/]],
    ['EditingProduceConfig an array', { EditingProduceConfig: '[1]' }, ['EditingProduceConfig', /JSON object/]],
    ['MediaMetadata a number', { MediaMetadata: 4 }, ['MediaMetadata', /got 4/]],
    ['Timeline malformed', { Timeline: '{"VideoTracks":' }, ['Timeline', /malformed JSON/]],
    ['an unknown parameter', { Timline: {} }, ['Timline', /not a parameter of SubmitMediaProducingJob/]],
    ['OutputMediaTarget S3', { OutputMediaTarget: 'S3', OutputMediaConfig: undefined }, 'ok'],
    ['OutputMediaTarget "oss"', { OutputMediaTarget: 'oss' }, ['OutputMediaTarget', /oss-object, vod-media, S3, got "oss"/]],
    ['no OutputMediaConfig for OSS', { OutputMediaConfig: undefined }, ['OutputMediaConfig', /required for OutputMediaTarget oss-object/]],
    ['OutputMediaConfig without MediaURL', { OutputMediaConfig: { Width: 800 } }, ['MediaURL', /MediaURL is required/]],
    ['OutputMediaConfig as JSON text', { OutputMediaConfig: '{"MediaURL":"https://my-test-bucket.oss-cn-shanghai.aliyuncs.com/o.mp4"}' }, 'ok'],
    ['MediaURL on a CDN', output({ MediaURL: 'https://cdn.example.com/o.mp4' }), ['MediaURL', /CDN/]],
    ['MediaURL in oss:// form', output({ MediaURL: 'oss://my-test-bucket/o.mp4' }), ['MediaURL', /http\(s\):\/\/bucket.oss-\{region\}/]],
    ['MediaURL in another region', output({ MediaURL: 'https://my-test-bucket.oss-cn-beijing.aliyuncs.com/o.mp4' }), ['MediaURL', /region cn-shanghai/]],
    ['VOD output without FileName', { OutputMediaTarget: 'vod-media', OutputMediaConfig: { StorageLocation: 'outin-1.oss-cn-shanghai.aliyuncs.com' } }, ['FileName', /file name with an extension/]],
    ['VOD output with a scheme in StorageLocation', { OutputMediaTarget: 'vod-media', OutputMediaConfig: { StorageLocation: 'https://outin-1.oss-cn-shanghai.aliyuncs.com', FileName: 'a.mp4' } }, ['StorageLocation', /no scheme/]],
    ['VOD FileName with a path', { OutputMediaTarget: 'vod-media', OutputMediaConfig: { StorageLocation: 'outin-1.oss-cn-shanghai.aliyuncs.com', FileName: 'x/a.mp4' } }, ['FileName', /no path/]],
    ['Width 127', output({ Width: 127 }), ['Width', /^Width must be an integer between 128 and 4096 px, got 127$/]],
    ['Width 128', output({ Width: 128, Height: 128 }), 'ok'],
    ['Width 4096', output({ Width: 4096, Height: 2160 }), 'ok'],
    ['Width 4097', output({ Width: 4097 }), ['Width', /got 4097/]],
    ['Height 127', output({ Height: 127 }), ['Height', /got 127/]],
    ['Height 4097', output({ Height: 4097 }), ['Height', /got 4097/]],
    ['Width 800.5', output({ Width: 800.5 }), ['Width', /got 800.5/]],
    ['short side 2160', output({ Width: 3840, Height: 2160 }), 'ok'],
    ['short side 2161 (height)', output({ Width: 3840, Height: 2161 }), ['Height', /short side .*at most 2160 px, got 2161/]],
    ['short side 2161 (width)', output({ Width: 2161, Height: 3840 }), ['Width', /short side .*got 2161/]],
    ['Bitrate 5000', output({ Bitrate: 5000 }), 'ok'],
    ['Bitrate 5001', output({ Bitrate: 5001 }), ['Bitrate', /at most 5000 Kbps, got 5001/]],
    ['Bitrate 1', output({ Bitrate: 1 }), 'ok'],
    ['Bitrate 0 (seed 003 line 188: no minimum)', output({ Bitrate: 0 }), ['Bitrate', /no minimum/, 'warning']],
    ['Bitrate 2000.5', output({ Bitrate: 2000.5 }), ['Bitrate', /integer of at most 5000 Kbps, got 2000.5/]],
    ['100 video tracks', { Timeline: tracks(100, 'VideoTracks', 'VideoTrackClips') }, 'ok'],
    ['101 video tracks', { Timeline: tracks(101, 'VideoTracks', 'VideoTrackClips') }, ['VideoTracks', /at most 100 tracks, got 101/]],
    ['100 image tracks', { Timeline: tracks(100, 'ImageTracks', 'ImageTrackClips') }, 'ok'],
    ['101 image tracks', { Timeline: tracks(101, 'ImageTracks', 'ImageTrackClips') }, ['ImageTracks', /got 101/]],
    ['100 subtitle tracks', { Timeline: tracks(100, 'SubtitleTracks', 'SubtitleTrackClips') }, 'ok'],
    ['101 subtitle tracks', { Timeline: tracks(101, 'SubtitleTracks', 'SubtitleTrackClips') }, ['SubtitleTracks', /got 101/]],
    ['101 audio tracks (no documented limit)', { Timeline: tracks(101, 'AudioTracks', 'AudioTrackClips') }, 'ok'],
    ['a clip without material or Type', { Timeline: { VideoTracks: [{ VideoTrackClips: [{ In: 0 }] }] } }, ['MediaId', /none of MediaId, MediaURL, Type/, 'warning']],
    ['an AI_TTS audio clip (no material)', { Timeline: { AudioTracks: [{ AudioTrackClips: [{ Type: 'AI_TTS', Content: 'hello' }] }] } }, 'ok'],
    ['a clip on a CDN', { Timeline: { ImageTracks: [{ ImageTrackClips: [{ MediaURL: 'https://cdn.example.com/a.png' }] }] } }, ['MediaURL', /CDN/]],
    ['a clip written MediaUrl on another host', { Timeline: { AudioTracks: [{ AudioTrackClips: [{ MediaUrl: 'http://example.com/a.mp3' }] }] } }, ['MediaUrl', /not an OSS endpoint/]],
    ['a clip in another region', { Timeline: { VideoTracks: [{ VideoTrackClips: [{ MediaURL: 'https://media-in.oss-cn-beijing.aliyuncs.com/a.mp4' }] }] } }, ['MediaURL', /region cn-shanghai/]],
    ['a subtitle clip without material', { Timeline: { SubtitleTracks: [{ SubtitleTrackClips: [{ Type: 'Text', Content: 'hi' }] }] } }, 'ok'],
    ['clips not a list', { Timeline: { VideoTracks: [{ VideoTrackClips: {} }] } }, ['VideoTrackClips', /list of clips/]],
    ['UserData of 512 bytes', { UserData: JSON.stringify({ k: 'x'.repeat(504) }) }, 'ok'],
    ['UserData of 513 bytes', { UserData: JSON.stringify({ k: 'x'.repeat(505) }) }, ['UserData', /at most 512 bytes \(UTF-8\), got 513/]],
    ['UserData of 169 CJK characters (515 bytes)', { UserData: JSON.stringify({ k: '测'.repeat(169) }) }, ['UserData', /got 515/]],
    ['UserData not JSON', { UserData: 'hello' }, ['UserData', /malformed JSON/]],
    ['UserData as an object', { UserData: { NotifyAddress: 'https://xx.com/xx' } }, 'ok'],
    ['ClientToken of 64 characters', { ClientToken: 't'.repeat(64) }, 'ok'],
    ['ClientToken of 65 characters', { ClientToken: 't'.repeat(65) }, ['ClientToken', /at most 64 ASCII characters, got 65/]],
    ['ClientToken non-ASCII', { ClientToken: 'tokén' }, ['ClientToken', /printable ASCII characters, got "tokén"/]],
    ['ClientToken with a space (ASCII)', { ClientToken: 'a b' }, 'ok'],
    ['ClientToken with a tab', { ClientToken: 'a\tb' }, ['ClientToken', /printable ASCII/]],
    ['ClientToken empty (absent)', { ClientToken: '' }, 'ok'],
    ['ClientToken a number', { ClientToken: 5 }, ['ClientToken', /must be a string, got 5/]],
    ['Source WebSDK', { Source: 'WebSDK' }, 'ok'],
    ['Source "CLI"', { Source: 'CLI' }, ['Source', /OpenAPI, AliyunConsole, WebSDK, got "CLI"/]],
  ];
  it.each(cases)('%s', (_, change, expected) => {
    // GIVEN the valid seed request with one change
    const req = { ...mediaRequest(), ...change };
    // WHEN validated in cn-shanghai
    // THEN accepted, or reported on the innermost field with rule and value
    check(validateMediaProducingJob(req, { region: REGION }), expected);
  });

  it.each([null, 42, 'x', [mediaRequest()]])('reports %p as a bad request without throwing', (value) => {
    expect(validateMediaProducingJob(value)).toEqual([expect.objectContaining({ field: 'request', severity: 'error' })]);
  });
});
