import { readFileSync } from 'fs';
import { join } from 'path';
import {
  WARNINGS, WARNINGS_TABLE_END, WARNINGS_TABLE_START, WARNING_IDS, type ValidationIssue, type WarningId, renderWarningsTable, replaceWarningsTable,
  validateIProductionJob, validateMediaProducingJob,
} from '../../lib/jobs';
import { REGION, iceRequest, mediaRequest, mtsRequest } from './fixtures';

const ice = (extra: Record<string, unknown>, fn: Parameters<typeof iceRequest>[0] = 'VideoH2V') => validateIProductionJob(iceRequest(fn, extra), { region: REGION });
const mts = (extra: Record<string, unknown>, fn: Parameters<typeof mtsRequest>[0] = 'VideoH2V') => validateIProductionJob(mtsRequest(fn, extra), { api: 'mts', region: REGION });
const media = (extra: Record<string, unknown>) => validateMediaProducingJob(mediaRequest(extra), { region: REGION });

/** One request per warning that draws it, and nothing else. */
const TRIGGERS: Record<WarningId, [field: string, issues: () => ValidationIssue[]]> = {
  regionUndocumented: ['region', () => validateIProductionJob(iceRequest('VideoH2V'), { region: 'eu-central-1' })],
  inputKind: ['Media', () => ice({ Input: { Type: 'OSS', Media: 'oss://media-in/a.png' } })],
  inputFormat: ['Input', () => mts({ Input: 'oss://media-in/a.mp3' }, 'AudioQualityAssessment')],
  placeholderRecommended: ['Media', () => ice({ Output: { Type: 'OSS', Media: 'oss://media-out/cover.png' } }, 'Cover')],
  placeholderUnknown: ['Media', () => ice({ Output: { Type: 'OSS', Media: 'oss://media-out/{date}.mp4' } })],
  braceUnbalanced: ['Media', () => ice({ Output: { Type: 'OSS', Media: 'oss://media-out/a}.mp4' } })],
  bizWithOss: ['Biz', () => ice({ Output: { Type: 'OSS', Media: 'oss://media-out/a.mp4', Biz: 'IMS' } })],
  outputUrlWithOss: ['OutputUrl', () => ice({ Output: { Type: 'OSS', Media: 'oss://media-out/a.mp4', OutputUrl: 'https://media-out.oss-cn-shanghai.aliyuncs.com/a.mp4' } })],
  jobParamsUnlisted: ['Duration', () => ice({ JobParams: { Duration: 30 } }, 'VideoClip')],
  jobParamsSuperseded: ['LogoModel', () => ice({ Output: { Type: 'OSS', Media: 'oss://media-out/{sequenceId}.png' }, JobParams: { LogoModel: 'tv' } }, 'Cover')],
  mtsInputAbsent: ['Input', () => mts({ Input: undefined })],
  mtsOutputAbsent: ['Output', () => mts({ Output: undefined })],
  mtsUserDataSize: ['UserData', () => mts({ UserData: 'u'.repeat(1025) })],
  notifyUrlRegion: ['NotifyUrl', () => mts({ NotifyUrl: 'mns://1253406881700000.mns.cn-beijing.aliyuncs.com/queues/q' })],
  sourceCasing: ['Source', () => media({ Source: 'OPENAPI' })],
  clipsParamUnused: ['ClipsParam', () => media({ ClipsParam: { video1: 'm' } })],
  outputConfigUnknownField: ['Fps', () => media({ OutputMediaConfig: { MediaURL: 'https://media-out.oss-cn-shanghai.aliyuncs.com/o.mp4', Fps: 25 } })],
  clipWithoutMaterial: ['MediaId', () => media({ Timeline: { VideoTracks: [{ VideoTrackClips: [{ In: 0 }] }] } })],
  clipWithBoth: ['MediaURL', () => media({ Timeline: { VideoTracks: [{ VideoTrackClips: [{ MediaId: 'm', MediaURL: 'https://media-in.oss-cn-shanghai.aliyuncs.com/a.mp4' }] }] } })],
  bitrateBelowOne: ['Bitrate', () => media({ OutputMediaConfig: { MediaURL: 'https://media-out.oss-cn-shanghai.aliyuncs.com/o.mp4', Bitrate: 0 } })],
};

describe('WARNINGS, the list of every warning', () => {
  it.each(WARNING_IDS)('%s is given, alone, as a warning that ends with what is assumed', (id) => {
    // GIVEN a request that differs from a clean one only where the warning looks
    const [field, issues] = TRIGGERS[id];
    // WHEN validated
    // THEN exactly that warning, on its field, its message ending with the registry's `assumed`
    expect(issues()).toEqual([{ field, severity: 'warning', message: expect.stringMatching(/; assumed /) }]);
    expect(issues()[0].message.endsWith(`; ${WARNINGS[id].assumed}`)).toBe(true);
  });

  it.each(WARNING_IDS)('%s cites its source and says what is assumed', (id) => {
    const w = WARNINGS[id];
    expect(w.source).toMatch(/seed 00\d|FACTS\.md/);
    expect(w.assumed).toMatch(/^assumed /);
  });

  it('docs/jobs.md holds a fresh rendering of the table (run scripts/gen-docs.ts when this fails)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'jobs.md'), 'utf8');
    const start = doc.indexOf(WARNINGS_TABLE_START) + WARNINGS_TABLE_START.length;
    expect(doc.slice(start, doc.indexOf(WARNINGS_TABLE_END)).trim()).toBe(renderWarningsTable().trim());
    expect(renderWarningsTable().trim().split('\n')).toHaveLength(WARNING_IDS.length + 2);
  });

  it('replaceWarningsTable refuses a document without markers and is idempotent', () => {
    expect(() => replaceWarningsTable('x')).toThrow(/must contain <!-- warnings:start -->/);
    const once = replaceWarningsTable(`a\n${WARNINGS_TABLE_START}\nold\n${WARNINGS_TABLE_END}\nb\n`);
    expect(replaceWarningsTable(once)).toBe(once);
    expect(once.endsWith(`${WARNINGS_TABLE_END}\nb\n`)).toBe(true);
  });
});
