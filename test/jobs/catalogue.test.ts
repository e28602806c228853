import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import {
  CATALOGUE, FUNCTION_NAMES, FUNCTIONS_TABLE_END, FUNCTIONS_TABLE_START, ICE_FUNCTIONS, type IProductionJobRequest,
  type JobParamsOf, MTS_FUNCTIONS, type MtsIProductionJobRequest, isFunctionName, renderFunctionsTable, replaceFunctionsTable,
} from '../../lib/jobs';
import { seedsDir } from '../support/seeds';

const SEED_001_FUNCTIONS = [
  'Cover', 'VideoClip', 'VideoDelogo', 'VideoDetext', 'CaptionExtraction', 'HybridCaptionExtraction', 'VideoGreenScreenMatting', 'FaceBeauty',
  'VideoH2V', 'MusicSegmentDetect', 'AudioBeatDetection', 'AudioQualityAssessment', 'SpeechDenoise', 'AudioMixing', 'MusicDemix',
];

describe('the catalogue', () => {
  it('holds the 15 ICE functions of seed 001 and the 16 MPS functions of seed 002, 18 in all', () => {
    expect([...ICE_FUNCTIONS].sort()).toEqual([...SEED_001_FUNCTIONS].sort());
    expect(FUNCTION_NAMES).toHaveLength(18);
    expect(MTS_FUNCTIONS).toHaveLength(16);
    expect(FUNCTION_NAMES.filter((f) => !MTS_FUNCTIONS.includes(f as never))).toEqual(['HybridCaptionExtraction', 'MusicDemix']);
    expect(FUNCTION_NAMES.filter((f) => !ICE_FUNCTIONS.includes(f as never))).toEqual(['ImageH2V', 'ImageDelogo', 'ImageCartoonize']);
  });

  it('lists the FunctionName values of seeds 001 and 002 in their own text', () => {
    const dir = seedsDir();
    // The seeds list each function as "  • Name: description" under FunctionName: every one must be in the
    // catalogue, and vice versa. The list ends where the next parameter (Input on ICE, ModelId on MPS) starts.
    const listed = (file: string) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const from = text.indexOf('FunctionName');
      const section = text.slice(from, text.slice(from).search(/^(Input|ModelIdstringNo)$/m) + from);
      return new Set([...section.matchAll(/^\s*•\s*([A-Z][A-Za-z0-9]+):/gm)].map((m) => m[1]));
    };
    const files = readdirSync(dir);
    const ice = listed(files.find((f) => f.startsWith('001_'))!);
    const mts = listed(files.find((f) => f.startsWith('002_'))!);
    expect([...ice].sort()).toEqual([...ICE_FUNCTIONS].sort());
    expect([...mts].sort()).toEqual([...MTS_FUNCTIONS].sort());
  });

  it.each(FUNCTION_NAMES.map((f) => [f, CATALOGUE[f]] as const))('%s is fully described', (name, spec) => {
    expect(isFunctionName(name)).toBe(true);
    expect(spec.description).toMatch(/\.$/);
    expect(spec.input.kinds.length).toBeGreaterThan(0);
    expect(spec.apis.length).toBeGreaterThan(0);
    for (const p of Object.values(spec.params)) expect(p.description).not.toBe('');
  });

  it('gives ModelIds only to VideoDetext', () => {
    const withModels = FUNCTION_NAMES.filter((f) => CATALOGUE[f].modelIds.length > 0);
    expect(withModels.map((f) => [f, CATALOGUE[f].modelIds])).toEqual([['VideoDetext', ['algo-video-detext-new']]]);
  });

  it.each([
    ['Cover', { ice: { required: [], recommended: ['sequenceId'] }, mts: { required: ['sequenceId'], recommended: [] } }],
    ['MusicDemix', { ice: { required: ['resultType'], recommended: [] }, mts: { required: ['resultType'], recommended: [] } }],
  ] as const)('%s has its placeholder rules', (fn, rules) => {
    expect(CATALOGUE[fn].output.placeholders).toEqual(rules);
  });

  it.each(['constructor', 'toString', '__proto__', 'cover', '', 5, null])('isFunctionName(%p) is false', (x) => {
    expect(isFunctionName(x)).toBe(false);
  });
});

describe('request types derive from the catalogue', () => {
  it('type-checks JobParams per function (checked by tsc; the asserted values are the ones built)', () => {
    const cover: IProductionJobRequest = {
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: 'oss://a-b/c.mp4' },
      Output: { Type: 'OSS', Media: 'oss://a-b/{sequenceId}.png' },
      JobParams: { Model: 'gif' },
    };
    const caption: JobParamsOf<'CaptionExtraction'> = { fps: 5, lang: 'ch_ml', roi: [[0.5, 1], [0, 1]] };
    // @ts-expect-error Model takes only '' or 'gif'
    const badModel: JobParamsOf<'Cover'> = { Model: 'png' };
    // @ts-expect-error VideoH2V has no JobParams fields
    const badH2V: JobParamsOf<'VideoH2V'> = { x: 1 };
    const badFn: IProductionJobRequest = {
      // @ts-expect-error ImageH2V is MPS only
      FunctionName: 'ImageH2V',
      Input: { Type: 'OSS', Media: 'oss://a-b/c.png' },
      Output: { Type: 'OSS', Media: 'oss://a-b/d.png' },
    };
    const mts: MtsIProductionJobRequest = { FunctionName: 'ImageH2V', Input: 'oss://a-b/c.png', Output: 'oss://a-b/d.png', JobParams: '{}' };
    expect([cover.JobParams, caption.fps, badModel.Model, Object.keys(badH2V), badFn.FunctionName, mts.FunctionName]).toEqual([{ Model: 'gif' }, 5, 'png', ['x'], 'ImageH2V', 'ImageH2V']);
  });
});

describe('the README functions table', () => {
  it('equals a fresh rendering of the catalogue (run scripts/gen-docs.ts when this fails)', () => {
    // GIVEN README.md as committed
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    // WHEN the table between the markers is cut out
    const start = readme.indexOf(FUNCTIONS_TABLE_START) + FUNCTIONS_TABLE_START.length;
    const table = readme.slice(start, readme.indexOf(FUNCTIONS_TABLE_END)).trim();
    // THEN it is exactly what the catalogue renders
    expect(table).toBe(renderFunctionsTable().trim());
  });

  it('has one row per function, with ICE and MPS marks from the catalogue', () => {
    const rows = renderFunctionsTable().trim().split('\n').slice(2);
    expect(rows).toHaveLength(18);
    expect(rows.find((r) => r.startsWith('| `MusicDemix`'))).toMatch(/^\| `MusicDemix` \| ✓ \|  \|/);
    expect(rows.find((r) => r.startsWith('| `ImageH2V`'))).toMatch(/^\| `ImageH2V` \|  \| ✓ \|/);
  });

  it.each([
    ['no markers', 'x'],
    ['end before start', `${FUNCTIONS_TABLE_END}\n${FUNCTIONS_TABLE_START}`],
  ])('replaceFunctionsTable refuses a README with %s', (_, readme) => {
    expect(() => replaceFunctionsTable(readme)).toThrow(/must contain <!-- functions:start -->/);
  });

  it('replaceFunctionsTable keeps everything outside the markers and is idempotent', () => {
    const readme = `# t\n\nbefore\n${FUNCTIONS_TABLE_START}\nold\n${FUNCTIONS_TABLE_END}\nafter\n`;
    const once = replaceFunctionsTable(readme);
    expect(once.startsWith(`# t\n\nbefore\n${FUNCTIONS_TABLE_START}\n| Function |`)).toBe(true);
    expect(once.endsWith(`${FUNCTIONS_TABLE_END}\nafter\n`)).toBe(true);
    expect(replaceFunctionsTable(once)).toBe(once);
  });
});
