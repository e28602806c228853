/**
 * The one catalogue of intelligent-production functions. Every other part of the package (request types,
 * validation, CLI help, the README table, grants) reads this data, so a fact about a function is written here once.
 *
 * Sources: seed 001 (ICE SubmitIProductionJob, Apr 2026: newest, wins over seed 000), seed 002 (MPS
 * SubmitIProductionJob), seed 004 (QueryIProductionJob results).
 */

import type { Api } from '../service';

export type MediaKind = 'video' | 'audio' | 'image';

export type OutputKind = 'video' | 'audio' | 'image' | 'subtitle' | 'json' | 'none';

/** The placeholders the service expands in output paths (seed 001 "Note"). */
export const OUTPUT_PLACEHOLDERS = ['source', 'timestamp', 'sequenceId', 'resultType'] as const;
export type OutputPlaceholder = (typeof OUTPUT_PLACEHOLDERS)[number];

/**
 * The shape of one JobParams field. The validator interprets each kind; adding a function whose fields reuse these
 * kinds needs no code.
 */
export type ParamShape =
  /** A string; restricted to `values` when given. */
  | { readonly kind: 'string'; readonly values?: readonly string[] }
  /** An integer in [min, max]. */
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  /** A comma-separated list drawn from `values` (e.g. `tv,internet`). */
  | { readonly kind: 'csv'; readonly values: readonly string[] }
  /**
   * A list of normalized `[xmin, ymin, width, height]` boxes lying inside the frame. `jsonString`: the API
   * types it as a string, so a JSON string of the list is accepted too.
   */
  | { readonly kind: 'boxes'; readonly maxItems?: number; readonly jsonString: boolean }
  /** One normalized `[x, y, width, height]` box lying inside the frame. */
  | { readonly kind: 'box' }
  /** `[[top, bottom], [left, right]]`, normalized, top < bottom, left < right. */
  | { readonly kind: 'tblr' }
  /** `[start, end]` seconds, or a list of such ranges when the ModelId `multiModelId` is used. */
  | { readonly kind: 'time-ranges'; readonly multiModelId: string }
  /** An http(s) URL. */
  | { readonly kind: 'http-url' }
  /** `key=value,key=value` with numeric values. */
  | { readonly kind: 'key-numbers' }
  /** A list of exactly `count` `{file: URL}` objects (a lone object is accepted too: the seed shows one). */
  | { readonly kind: 'audio-inputs'; readonly count: number };

export interface ParamSpec {
  readonly shape: ParamShape;
  /** What the service does with the field, one line. */
  readonly description: string;
  /** The service's default when the field is absent, as the seed states it. */
  readonly default?: string | number;
  /**
   * Set when only an older seed lists the field for this function: it is still checked and sent, with a warning
   * (`jobParamsSuperseded`) saying which seed dropped it.
   */
  readonly superseded?: string;
}

export interface PlaceholderRules {
  /** Missing one of these is an error. */
  readonly required: readonly OutputPlaceholder[];
  /** Missing one of these is a warning. */
  readonly recommended: readonly OutputPlaceholder[];
}

export interface OutputSpec {
  readonly kind: OutputKind;
  /** File formats the service writes (lowercase extensions); empty when no file is written. */
  readonly formats: readonly string[];
  /** How many files one job writes: a number, or `'several'` when it varies (Cover: three by default). */
  readonly count: number | 'several';
  /** Placeholder rules per API: MPS requires what ICE only recommends (seed 002 vs seed 001). */
  readonly placeholders: Readonly<Record<Api, PlaceholderRules>>;
}

/** A file-format requirement a seed states for the input of a function on some APIs. */
export interface InputRequirement {
  readonly apis: readonly Api[];
  /** Accepted file formats (lowercase extensions); a name without one of them draws a warning (`inputFormat`). */
  readonly formats: readonly string[];
  /** What the validator cannot check from a path (sample rate, channels...), shown in docs and warnings. */
  readonly notes: string;
  /** Seed file and lines. */
  readonly source: string;
}

export interface InputSpec {
  readonly kinds: readonly MediaKind[];
  readonly requirements?: readonly InputRequirement[];
}

/**
 * The shape of QueryIProductionJob's `Result` (seed 004):
 * `cover-list` `[{Score, Time, Url}]`, `video-summary` `{VideoSummaryList: [{StartTime, EndTime}]}`,
 * `segments` `[{start, end, title}]`, `records` an array of string records, `empty` `{}`.
 */
export type ResultShape = 'cover-list' | 'video-summary' | 'segments' | 'records' | 'empty';

export interface FunctionSpec {
  readonly apis: readonly Api[];
  readonly description: string;
  readonly input: InputSpec;
  readonly output: OutputSpec;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /**
   * Per API, the seed lines that list this function's JobParams fields (or say "None"): there a key outside
   * `params` is an error. Where an API has no entry the seeds leave its JobParams open (MPS: seed 002 line 89;
   * ICE VideoClip and SpeechDenoise: no field list in seed 001), and an unlisted key only warns.
   */
  readonly paramsListed: Readonly<Partial<Record<Api, string>>>;
  /**
   * Non-default models ICE accepts in `ModelId` (seed 001 lines 297-308); an empty list means ICE takes only the
   * default (ModelId absent or empty). MPS takes any string (seed 002 lines 82-86).
   */
  readonly modelIds: readonly string[];
  readonly result: ResultShape;
  /** Seed 004's example `Result` text, where the seed gives one. */
  readonly resultExample?: string;
}

const NONE: PlaceholderRules = { required: [], recommended: [] };
const SAME: Readonly<Record<Api, PlaceholderRules>> = { ice: NONE, mts: NONE };
const one = (kind: OutputKind, formats: readonly string[]): OutputSpec => ({ kind, formats, count: 1, placeholders: SAME });

const FPS: ParamSpec = { shape: { kind: 'integer', min: 2, max: 10 }, description: 'Sampling frame rate.', default: 5 };
const LOGO_MODEL = {
  shape: { kind: 'csv', values: ['tv', 'internet'] },
  description: 'Logo types to remove, comma-separated: `tv`, `internet`.',
} as const satisfies ParamSpec;
const LOGO_BOXES = {
  shape: { kind: 'boxes', maxItems: 2, jsonString: true },
  description: 'Up to two normalized `[xmin, ymin, width, height]` logo boxes (list or JSON string).',
} as const satisfies ParamSpec;
const TRACK: ParamSpec = {
  shape: { kind: 'string', values: ['main'] },
  description: '`main` extracts only the main caption track; absent extracts every caption in the region.',
};

/**
 * `as const` keeps the literal types the request types are derived from; `satisfies` checks the data against
 * FunctionSpec without widening it.
 */
const DATA = {
  Cover: {
    apis: ['ice', 'mts'],
    description: 'Smart cover: picks the best frames of a video as images.',
    input: { kinds: ['video'] },
    output: {
      kind: 'image',
      formats: ['png', 'gif'],
      count: 'several',
      placeholders: {
        ice: { required: [], recommended: ['sequenceId'] },
        mts: { required: ['sequenceId'], recommended: [] },
      },
    },
    params: {
      Model: {
        shape: { kind: 'string', values: ['', 'gif'] },
        description: 'Empty for static PNG covers, `gif` for animated covers.',
        default: '',
      },
      LogoModel: { ...LOGO_MODEL, superseded: 'seed 000 lines 129-130 (Cover); seed 001 lines 374-378 list it under VideoDelogo only' },
      Boxes: { ...LOGO_BOXES, superseded: 'seed 000 lines 129-130 (Cover); seed 001 lines 374-378 list it under VideoDelogo only' },
    },
    paramsListed: { ice: 'seed 001 lines 370-372' },
    modelIds: [],
    result: 'cover-list',
    resultExample:
      '[{"Score":8.270855992569906,"Time":"28278.25","Url":"cover/test-00001.jpg"},{"Score":7.474117489692728,"Time":"25942.583333333332","Url":"cover/test-00002.jpg"}]',
  },
  VideoClip: {
    apis: ['ice', 'mts'],
    description: 'Video summary: cuts the highlights of a video.',
    input: { kinds: ['video'] },
    output: one('video', ['mp4']),
    params: {},
    paramsListed: {},
    modelIds: [],
    result: 'video-summary',
    resultExample: '{"VideoSummaryList":[{"EndTime":"5.28","StartTime":"0.28"}]}',
  },
  VideoDelogo: {
    apis: ['ice', 'mts'],
    description: 'Removes station logos from a video.',
    input: { kinds: ['video'] },
    output: one('video', ['mp4']),
    params: { LogoModel: LOGO_MODEL, Boxes: LOGO_BOXES },
    paramsListed: { ice: 'seed 001 lines 374-378' },
    modelIds: [],
    result: 'empty',
    resultExample: '{}',
  },
  VideoDetext: {
    apis: ['ice', 'mts'],
    description: 'Removes burnt-in captions from a video.',
    input: { kinds: ['video'] },
    output: one('video', ['mp4']),
    params: {
      LimitRegion: {
        shape: { kind: 'boxes', jsonString: false },
        description: 'Normalized `[xmin, ymin, width, height]` detection boxes.',
        default: 'bottom 30% of the frame',
      },
      Time: {
        shape: { kind: 'time-ranges', multiModelId: 'algo-video-detext-new' },
        description: '`[start, end]` seconds; a list of ranges only with ModelId `algo-video-detext-new`.',
      },
    },
    paramsListed: { ice: 'seed 001 lines 380-387' },
    modelIds: ['algo-video-detext-new'],
    result: 'empty',
    resultExample: '{}',
  },
  CaptionExtraction: {
    apis: ['ice', 'mts'],
    description: 'Extracts burnt-in captions of a video to SRT.',
    input: { kinds: ['video'] },
    output: one('subtitle', ['srt']),
    params: {
      fps: FPS,
      roi: {
        shape: { kind: 'tblr' },
        description: 'Region `[[top, bottom], [left, right]]`, normalized.',
        default: 'bottom quarter of the frame',
      },
      lang: {
        shape: { kind: 'string', values: ['ch', 'en', 'ch_ml'] },
        description: 'Language: `ch`, `en`, `ch_ml` (mixed).',
        default: 'ch',
      },
      track: TRACK,
    },
    paramsListed: { ice: 'seed 001 lines 389-397' },
    modelIds: [],
    result: 'empty',
    resultExample: '{}',
  },
  HybridCaptionExtraction: {
    apis: ['ice'],
    description: 'Multimodal caption extraction of a video to SRT.',
    input: { kinds: ['video'] },
    output: one('subtitle', ['srt']),
    params: {
      fps: FPS,
      roi: {
        shape: { kind: 'box' },
        description: 'Caption box `[bx, by, bw, bh]`, normalized.',
        default: 'bottom quarter of the frame',
      },
      lang: {
        shape: { kind: 'string', values: ['zh', 'en'] },
        description: 'Language: `zh`, `en`.',
        default: 'zh',
      },
      track: TRACK,
    },
    paramsListed: { ice: 'seed 001 lines 399-414' },
    modelIds: [],
    result: 'empty',
  },
  VideoGreenScreenMatting: {
    apis: ['ice', 'mts'],
    description: 'Replaces the green screen of a video.',
    input: { kinds: ['video'] },
    output: one('video', ['mp4', 'webm']),
    params: {
      bgimage: {
        shape: { kind: 'http-url' },
        description: 'Background image URL; absent writes a WebM with alpha channel.',
      },
    },
    paramsListed: { ice: 'seed 001 lines 416-418' },
    modelIds: [],
    result: 'empty',
    resultExample: '{}',
  },
  FaceBeauty: {
    apis: ['ice', 'mts'],
    description: 'Beautifies faces in a video.',
    input: { kinds: ['video'] },
    output: one('video', ['mp4']),
    params: {
      beauty_params: {
        shape: { kind: 'key-numbers' },
        description: '`key=value,...` with numeric values, e.g. `whiten=20,smooth=50,face_thin=50`.',
      },
    },
    paramsListed: { ice: 'seed 001 lines 420-422' },
    modelIds: [],
    result: 'empty',
    resultExample: '{}',
  },
  VideoH2V: {
    apis: ['ice', 'mts'],
    description: 'Converts a horizontal video to vertical.',
    input: { kinds: ['video'] },
    output: one('video', ['mp4']),
    params: {},
    paramsListed: { ice: 'seed 001 lines 424-426' },
    modelIds: [],
    result: 'empty',
    resultExample: '{}',
  },
  MusicSegmentDetect: {
    apis: ['ice', 'mts'],
    description: 'Detects the chorus segments of a song.',
    // MPS also takes a video (seed 002); ICE says audio.
    input: { kinds: ['audio', 'video'] },
    output: one('json', ['json']),
    params: {},
    paramsListed: { ice: 'seed 001 lines 428-430' },
    modelIds: [],
    result: 'segments',
    resultExample:
      '[{"start":39.32,"end":63.85,"title":"chorus"},{"start":86.69,"end":114.45,"title":"chorus"},{"start":135.75,"end":160.27,"title":"chorus"}]',
  },
  AudioBeatDetection: {
    apis: ['ice', 'mts'],
    description: 'Detects beats and downbeats of audio.',
    input: { kinds: ['audio', 'video'] },
    output: one('json', ['json']),
    params: {},
    paramsListed: { ice: 'seed 001 lines 432-434' },
    modelIds: [],
    result: 'empty',
    resultExample: '{}',
  },
  AudioQualityAssessment: {
    apis: ['ice', 'mts'],
    description: 'Scores audio quality; the scores come back in the job result, no file is written.',
    input: {
      kinds: ['audio'],
      requirements: [{ apis: ['mts'], formats: ['wav'], notes: '16-bit, 1-2 channels, 8-48 kHz', source: 'seed 002 line 80' }],
    },
    output: { kind: 'none', formats: [], count: 0, placeholders: SAME },
    params: {},
    paramsListed: { ice: 'seed 001 lines 436-438' },
    modelIds: [],
    result: 'records',
    // The first of the seed's two records.
    resultExample:
      '[{"Discontinuity":"Good","Loudness":"Excellent","Worst MOS(0-5)":"0.38","Discontinuity(0-5)":"3.52","Speech Ratio":"48.55","Loudness(0-5)":"4.91","Worst Discontinuity(0-5)":"0.88","Worst Coloration(0-5)":"0.42","Channel":"1","Coloration(0-5)":"0.99","Bad Mute Ratio(%)":"0.0","Time":"2022-12-02 16:14:06","Noisiness(0-5)":"3.28","MOS":"Poor","Worst Noisiness(0-5)":"0.91","Double Talk Ratio(%)":"19.23","Input":"/home/admin/algo/quality****/example.wav","Total Duration":"42.78","Noisiness":"Good","Tag":"Valid","MOS(0-5)":"1.01","Loudness(-90dB-0dB)":"-0.59","Coloration":"Bad","Saturated Ratio(%)":"37.55"}]',
  },
  SpeechDenoise: {
    apis: ['ice', 'mts'],
    description: 'Removes noise from speech.',
    input: {
      kinds: ['audio'],
      requirements: [{ apis: ['ice', 'mts'], formats: ['wav'], notes: '16 kHz or 48 kHz', source: 'seed 001 line 442, seed 000 line 168' }],
    },
    output: one('audio', ['wav']),
    params: {},
    paramsListed: {},
    modelIds: [],
    result: 'empty',
    resultExample: '{}',
  },
  AudioMixing: {
    apis: ['ice', 'mts'],
    description: 'Mixes a second audio track into the input.',
    input: { kinds: ['audio'] },
    output: one('audio', ['wav']),
    params: {
      inputs: {
        shape: { kind: 'audio-inputs', count: 1 },
        description: 'The track to mix in: `[{"file": URL}]` (exactly one).',
      },
    },
    paramsListed: { ice: 'seed 001 lines 444-446' },
    modelIds: [],
    result: 'empty',
    resultExample: '{}',
  },
  MusicDemix: {
    apis: ['ice'],
    description: 'Separates a song into vocals and accompaniment.',
    input: { kinds: ['audio'] },
    output: {
      kind: 'audio',
      formats: [],
      count: 2,
      placeholders: {
        ice: { required: ['resultType'], recommended: [] },
        mts: { required: ['resultType'], recommended: [] },
      },
    },
    params: {},
    paramsListed: { ice: 'seed 001 lines 448-450' },
    modelIds: [],
    result: 'empty',
  },
  ImageH2V: {
    apis: ['mts'],
    description: 'Converts a horizontal image to vertical.',
    input: { kinds: ['image'] },
    output: one('image', []),
    params: {},
    paramsListed: {},
    modelIds: [],
    result: 'empty',
  },
  ImageDelogo: {
    apis: ['mts'],
    description: 'Removes watermarks from an image.',
    input: { kinds: ['image'] },
    output: one('image', []),
    params: {},
    paramsListed: {},
    modelIds: [],
    result: 'empty',
  },
  ImageCartoonize: {
    apis: ['mts'],
    description: '3D-style and face stylization of an image.',
    input: { kinds: ['image'] },
    output: one('image', []),
    params: {},
    paramsListed: {},
    modelIds: [],
    result: 'empty',
  },
} as const satisfies Record<string, FunctionSpec>;

/** The literal catalogue data, for type derivation. */
export type CatalogueData = typeof DATA;

export type FunctionName = keyof CatalogueData;

export const CATALOGUE: Readonly<Record<FunctionName, FunctionSpec>> = DATA;

/** Functions offered by `api`, as a type. */
export type FunctionOf<A extends Api> = {
  [F in FunctionName]: A extends CatalogueData[F]['apis'][number] ? F : never;
}[FunctionName];
export type IceFunctionName = FunctionOf<'ice'>;
export type MtsFunctionName = FunctionOf<'mts'>;

export const FUNCTION_NAMES: readonly FunctionName[] = Object.keys(DATA) as FunctionName[];

export const ICE_FUNCTIONS: readonly IceFunctionName[] = FUNCTION_NAMES.filter((f) =>
  CATALOGUE[f].apis.includes('ice'),
) as IceFunctionName[];

export const MTS_FUNCTIONS: readonly MtsFunctionName[] = FUNCTION_NAMES.filter((f) =>
  CATALOGUE[f].apis.includes('mts'),
) as MtsFunctionName[];

export function isFunctionName(x: unknown): x is FunctionName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(DATA, x);
}

/** Functions offered by `api`, at run time. */
export function functionsOf(api: Api): readonly FunctionName[] {
  return api === 'ice' ? ICE_FUNCTIONS : MTS_FUNCTIONS;
}
