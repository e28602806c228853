/**
 * Every warning the validators can give, as data. The rule of this package: an error only where a seed (or
 * FACTS.md) states the rule; where the seeds are silent, a warning at most, saying what is assumed. A validator
 * cannot warn without naming one of these entries (`Report.warn` takes its id), and `docs/jobs.md` renders its
 * table of warnings from this list, so the list and the behaviour cannot drift apart.
 */

/**
 * Why a warning and not an error:
 * - `silent`: the seeds state no rule here; the library says what it assumes and lets the request through.
 * - `recommended`: the seed recommends it (`we recommend`), it does not require it.
 * - `unverifiable`: the seed states the rule, but a request can only hint at it (a file name is not its format).
 * - `superseded`: an older seed allows it, the newest one no longer lists it.
 */
export type WarningBasis = 'silent' | 'recommended' | 'unverifiable' | 'superseded';

export interface WarningRule {
  /** The operation(s) the warning belongs to. */
  readonly operation: string;
  /** The field the warning is reported on (`ValidationIssue.field`). */
  readonly field: string;
  /** When it is given. */
  readonly when: string;
  readonly basis: WarningBasis;
  /** What the seeds (file and lines) or FACTS.md say, or do not say. */
  readonly source: string;
  /** What the library assumes and does; every message of this warning ends with it. */
  readonly assumed: string;
}

const ICE_SUBMIT = 'SubmitIProductionJob (ICE)';
const MTS_SUBMIT = 'SubmitIProductionJob (MPS)';
const BOTH_SUBMIT = 'SubmitIProductionJob (ICE, MPS)';
const MEDIA = 'SubmitMediaProducingJob';

export const WARNINGS = {
  regionUndocumented: {
    operation: `${BOTH_SUBMIT}, ${MEDIA}`,
    field: 'region',
    when: '`options.region` is a region id outside the documented list',
    basis: 'silent',
    source: 'FACTS.md: the documented ICE regions "include" six; no source lists MPS intelligent-production regions',
    assumed: 'assumed the service is offered there; the region is used as given',
  },
  inputKind: {
    operation: BOTH_SUBMIT,
    field: 'Media / Input',
    when: 'the input file has a well-known extension of another media kind (`.png` to VideoH2V)',
    basis: 'unverifiable',
    source: 'seed 001 lines 310-366 (input kind per function); seed 002 lines 48-78',
    assumed: 'assumed the file name may not tell its content; the request is sent as given',
  },
  inputFormat: {
    operation: BOTH_SUBMIT,
    field: 'Media / Input',
    when: 'SpeechDenoise input (ICE, MPS) or AudioQualityAssessment input (MPS) not named `.wav`',
    basis: 'unverifiable',
    source: 'seed 001 line 442 and seed 000 line 168 (SpeechDenoise: WAV, 16 or 48 kHz); seed 002 line 80 (AudioQualityAssessment: 16-bit WAV, 1-2 channels, 8-48 kHz)',
    assumed: 'assumed the file name may not tell its format; the request is sent as given',
  },
  placeholderRecommended: {
    operation: ICE_SUBMIT,
    field: 'Media / OutputUrl',
    when: 'a Cover output path without `{sequenceId}`',
    basis: 'recommended',
    source: 'seed 001 line 225 ("we recommend including the {sequenceId} placeholder")',
    assumed: 'assumed you accept that the covers overwrite each other',
  },
  placeholderUnknown: {
    operation: BOTH_SUBMIT,
    field: 'Media / OutputUrl / Output',
    when: 'an output path holds `{name}` that is not `{source}`, `{timestamp}`, `{sequenceId}` or `{resultType}`',
    basis: 'silent',
    source: 'seed 001 lines 217-225 and seed 002 line 122 list what is expanded, not what is forbidden; braces are legal in OSS keys',
    assumed: 'assumed the service leaves it as literal text in the object key',
  },
  braceUnbalanced: {
    operation: BOTH_SUBMIT,
    field: 'Media / OutputUrl / Output',
    when: 'an output path holds a `{` or `}` that opens or closes no placeholder',
    basis: 'silent',
    source: 'seed 001 lines 217-225 list what is expanded, not what is forbidden; braces are legal in OSS keys',
    assumed: 'assumed the service leaves it as literal text in the object key',
  },
  bizWithOss: {
    operation: ICE_SUBMIT,
    field: 'Biz',
    when: '`Output.Biz` with `Output.Type` OSS',
    basis: 'silent',
    source: 'seed 001 lines 181-213 describe Biz for media assets only',
    assumed: 'assumed the service ignores it for an OSS output',
  },
  outputUrlWithOss: {
    operation: ICE_SUBMIT,
    field: 'OutputUrl',
    when: '`Output.OutputUrl` with `Output.Type` OSS',
    basis: 'silent',
    source: 'seed 001 line 235 describes OutputUrl "if Type is Media" and does not forbid it otherwise',
    assumed: 'assumed the service ignores it for an OSS output',
  },
  jobParamsUnlisted: {
    operation: BOTH_SUBMIT,
    field: '(the JobParams key)',
    when: 'a JobParams key the seeds do not list, for a function whose JobParams the seeds leave open: every MPS function, and VideoClip and SpeechDenoise on ICE',
    basis: 'silent',
    source: 'seed 002 line 89 (MPS JobParams are defined outside the seeds); seed 001 lines 368-450 have no VideoClip section and no field list for SpeechDenoise, unlike the functions marked None',
    assumed: 'assumed the function takes it; it is sent unchecked',
  },
  jobParamsSuperseded: {
    operation: ICE_SUBMIT,
    field: '(the JobParams key)',
    when: 'Cover `LogoModel` or `Boxes`',
    basis: 'superseded',
    source: 'seed 000 lines 129-130 list them under Cover; seed 001 lines 370-378 (newer) list them under VideoDelogo only',
    assumed: 'assumed Cover still takes them as seed 000 documents; checked by its rules and sent',
  },
  mtsInputAbsent: {
    operation: MTS_SUBMIT,
    field: 'Input',
    when: 'no `Input`',
    basis: 'silent',
    source: 'seed 002 lines 112-116: "Required: No", "required in some scenarios" without naming them',
    assumed: 'assumed this function does not need it here; the service decides',
  },
  mtsOutputAbsent: {
    operation: MTS_SUBMIT,
    field: 'Output',
    when: 'no `Output`, for a function that writes files (not AudioQualityAssessment)',
    basis: 'silent',
    source: 'seed 002 lines 118-122: "Required: No"',
    assumed: 'assumed the service decides where the output goes',
  },
  mtsUserDataSize: {
    operation: MTS_SUBMIT,
    field: 'UserData',
    when: '`UserData` over 1,024 bytes (UTF-8)',
    basis: 'silent',
    source: 'seed 002 lines 102-106 state no limit; 1,024 bytes is the older ICE limit (seed 000 line 120)',
    assumed: 'assumed MPS takes it; a limit the service enforces will answer InvalidParameter',
  },
  notifyUrlRegion: {
    operation: MTS_SUBMIT,
    field: 'NotifyUrl',
    when: 'the `NotifyUrl` queue is in another region than `options.region`',
    basis: 'silent',
    source: "seed 002 lines 97-123: the seed's own example pairs a cn-beijing queue with cn-shanghai OSS paths",
    assumed: 'assumed MPS notifies a queue in another region',
  },
  sourceCasing: {
    operation: MEDIA,
    field: 'Source',
    when: '`Source` in another casing than documented (`OPENAPI`)',
    basis: 'silent',
    source: 'seed 003 lines 115-124 list OpenAPI, AliyunConsole, WebSDK but the example writes OPENAPI',
    assumed: 'assumed the service takes the value in any casing; sent as given',
  },
  clipsParamUnused: {
    operation: MEDIA,
    field: 'ClipsParam',
    when: '`ClipsParam` without a `TemplateId`',
    basis: 'silent',
    source: 'seed 003 lines 69-75 tie ClipsParam to TemplateId',
    assumed: 'assumed the service ignores it',
  },
  outputConfigUnknownField: {
    operation: MEDIA,
    field: '(the OutputMediaConfig key)',
    when: 'an `OutputMediaConfig` field the seed does not list',
    basis: 'silent',
    source: 'seed 003 lines 180-189 list seven fields, and point to a fuller reference',
    assumed: 'assumed the service knows it; sent unchecked',
  },
  clipWithoutMaterial: {
    operation: MEDIA,
    field: 'MediaId',
    when: 'a Timeline clip with none of `MediaId`, `MediaURL` (`MediaUrl`), `Type`',
    basis: 'silent',
    source: 'seed 003 line 14 says how material is referenced, not that every clip has material (text clips such as AI_TTS have none)',
    assumed: 'assumed it is a clip kind this package does not know; sent unchecked',
  },
  clipWithBoth: {
    operation: MEDIA,
    field: 'MediaURL',
    when: 'a Timeline clip with both `MediaId` and `MediaURL`',
    basis: 'silent',
    source: 'seed 003 line 14 allows either, and says nothing of both',
    assumed: 'assumed the service picks one; which one is not documented',
  },
  bitrateBelowOne: {
    operation: MEDIA,
    field: 'Bitrate',
    when: '`OutputMediaConfig.Bitrate` below 1 Kbps',
    basis: 'silent',
    source: 'seed 003 lines 156 and 188 give a maximum (5000) and no minimum',
    assumed: 'assumed the service picks a bitrate itself',
  },
} as const satisfies Record<string, WarningRule>;

export type WarningId = keyof typeof WARNINGS;

export const WARNING_IDS: readonly WarningId[] = Object.keys(WARNINGS) as WarningId[];

/** Markers around the generated table in docs/jobs.md. */
export const WARNINGS_TABLE_START = '<!-- warnings:start -->';
export const WARNINGS_TABLE_END = '<!-- warnings:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The docs/jobs.md table of every warning, rendered from WARNINGS (scripts/gen-docs.ts writes it). */
export function renderWarningsTable(): string {
  const header = ['Operation', 'Field', 'When', 'Why only a warning', 'Seeds', 'What the library assumes'];
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rows = WARNING_IDS.map((id) => {
    const w: WarningRule = WARNINGS[id];
    return line([w.operation, `\`${w.field}\``.replace(/^`\((.*)\)`$/, '$1'), w.when, w.basis, w.source, w.assumed]);
  });
  return [line(header), line(header.map(() => '---')), ...rows].join('\n') + '\n';
}

/** `doc` with the text between the warnings markers replaced by a fresh table. Throws if a marker is missing. */
export function replaceWarningsTable(doc: string): string {
  const start = doc.indexOf(WARNINGS_TABLE_START);
  const end = doc.indexOf(WARNINGS_TABLE_END);
  if (start < 0 || end < start) throw new Error(`the document must contain ${WARNINGS_TABLE_START} followed by ${WARNINGS_TABLE_END}`);
  return `${doc.slice(0, start + WARNINGS_TABLE_START.length)}\n${renderWarningsTable()}${doc.slice(end)}`;
}
