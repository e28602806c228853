import type { CatalogueData, FunctionName, IceFunctionName, MtsFunctionName, ParamShape } from './catalogue';

/** A normalized `[x, y, width, height]` box, each in [0, 1]. */
export type Box = readonly [number, number, number, number];

/** The TypeScript type a JobParams field of shape `S` takes. */
export type ParamValue<S extends ParamShape> = S extends { kind: 'string'; values: readonly (infer V)[] }
  ? V
  : S extends { kind: 'string' | 'csv' | 'http-url' | 'key-numbers' }
    ? string
    : S extends { kind: 'integer' }
      ? number
      : S extends { kind: 'boxes'; jsonString: true }
        ? readonly Box[] | string
        : S extends { kind: 'boxes' }
          ? readonly Box[]
          : S extends { kind: 'box' }
            ? Box
            : S extends { kind: 'tblr' }
              ? readonly [readonly [number, number], readonly [number, number]]
              : S extends { kind: 'time-ranges' }
                ? readonly [number, number] | ReadonlyArray<readonly [number, number]>
                : S extends { kind: 'audio-inputs' }
                  ? ReadonlyArray<{ readonly file: string }> | { readonly file: string }
                  : never;

type ParamsData<F extends FunctionName> = CatalogueData[F]['params'];

/** JobParams of function `F`, derived from the catalogue; functions without fields take an empty object. */
export type JobParamsOf<F extends FunctionName> = [keyof ParamsData<F>] extends [never]
  ? Record<string, never>
  : {
      -readonly [K in keyof ParamsData<F>]?: ParamsData<F>[K] extends { shape: infer S extends ParamShape }
        ? ParamValue<S>
        : never;
    };

/** ModelId values function `F` accepts (never when it has none). */
export type ModelIdOf<F extends FunctionName> = CatalogueData[F]['modelIds'][number];

export type MediaType = 'OSS' | 'Media';

export interface IProductionInput {
  readonly Type: MediaType;
  /** `oss://bucket/object`, `http(s)://bucket.oss-{region}.aliyuncs.com/object`, or a media asset id. */
  readonly Media: string;
}

export interface IProductionOutput {
  readonly Type: MediaType;
  /** OSS path (placeholders allowed) or media asset id; may be empty with Type `Media` to create a new asset. */
  readonly Media?: string;
  readonly Biz?: 'IMS' | 'VOD';
  /** OSS URL of the output file when Type is `Media`. */
  readonly OutputUrl?: string;
}

export interface ScheduleConfig {
  readonly PipelineId?: string;
  /** 1 (highest) to 10. */
  readonly Priority?: number;
}

interface IceRequestBase {
  readonly Name?: string;
  readonly Input: IProductionInput;
  readonly Output: IProductionOutput;
  readonly TemplateId?: string;
  readonly ScheduleConfig?: ScheduleConfig;
  /** At most 256 characters; an object is sent as its JSON. */
  readonly UserData?: string | Readonly<Record<string, unknown>>;
}

/** ICE SubmitIProductionJob request, discriminated on FunctionName. */
export type IProductionJobRequest = {
  [F in IceFunctionName]: IceRequestBase & {
    readonly FunctionName: F;
    /** An object, or its JSON string. */
    readonly JobParams?: JobParamsOf<F> | string;
    readonly ModelId?: ModelIdOf<F>;
  };
}[IceFunctionName];

/** MPS (mts) SubmitIProductionJob request: flat strings (seed 002). */
export type MtsIProductionJobRequest = {
  [F in MtsFunctionName]: {
    readonly FunctionName: F;
    /** OSS path of the input. */
    readonly Input?: string;
    /** OSS path of the output; placeholders allowed. */
    readonly Output?: string;
    /** Required by MPS: an object, or its JSON string. */
    readonly JobParams: JobParamsOf<F> | string;
    readonly ModelId?: ModelIdOf<F>;
    /** `mns://{accountId}.mns.{region}.aliyuncs.com/queues/{queue}`. */
    readonly NotifyUrl?: string;
    readonly PipelineId?: string;
    readonly ScheduleParams?: string | Readonly<Record<string, unknown>>;
    readonly UserData?: string | Readonly<Record<string, unknown>>;
  };
}[MtsFunctionName];

export type OutputMediaTarget = 'oss-object' | 'vod-media' | 'S3';

export interface OutputMediaConfig {
  /** Required for `oss-object`: `https://bucket.oss-{region}.aliyuncs.com/object`. */
  readonly MediaURL?: string;
  /** Required for `vod-media`: `bucket.oss-{region}.aliyuncs.com` without scheme. */
  readonly StorageLocation?: string;
  /** Required for `vod-media`: a file name with extension, no path. */
  readonly FileName?: string;
  /** 128-4096 px; the short side at most 2160. */
  readonly Width?: number;
  readonly Height?: number;
  /** Kbps, at most 5000. */
  readonly Bitrate?: number;
  readonly VodTemplateGroupId?: string;
  readonly [key: string]: unknown;
}

export interface TimelineClip {
  readonly MediaId?: string;
  /** An OSS URL (`https://bucket.oss-{region}.aliyuncs.com/object`); no other hosts or CDN. */
  readonly MediaURL?: string;
  readonly [key: string]: unknown;
}

export interface Timeline {
  readonly VideoTracks?: ReadonlyArray<{ readonly VideoTrackClips?: readonly TimelineClip[]; readonly [key: string]: unknown }>;
  readonly AudioTracks?: ReadonlyArray<{ readonly AudioTrackClips?: readonly TimelineClip[]; readonly [key: string]: unknown }>;
  readonly ImageTracks?: ReadonlyArray<{ readonly ImageTrackClips?: readonly TimelineClip[]; readonly [key: string]: unknown }>;
  readonly SubtitleTracks?: ReadonlyArray<{ readonly SubtitleTrackClips?: readonly TimelineClip[]; readonly [key: string]: unknown }>;
  readonly [key: string]: unknown;
}

type JsonObject = Readonly<Record<string, unknown>>;

/** SubmitMediaProducingJob request (seed 003): exactly one of ProjectId, Timeline, TemplateId. */
export interface MediaProducingJobRequest {
  readonly ProjectId?: string;
  readonly Timeline?: Timeline | string;
  readonly TemplateId?: string;
  /** Required with TemplateId. */
  readonly ClipsParam?: JsonObject | string;
  readonly ProjectMetadata?: JsonObject | string;
  /** @default 'oss-object' */
  readonly OutputMediaTarget?: OutputMediaTarget;
  readonly OutputMediaConfig?: OutputMediaConfig | string;
  /** JSON, at most 512 bytes. */
  readonly UserData?: JsonObject | string;
  /** At most 64 ASCII characters. */
  readonly ClientToken?: string;
  readonly Source?: 'OpenAPI' | 'AliyunConsole' | 'WebSDK';
  readonly EditingProduceConfig?: JsonObject | string;
  readonly MediaMetadata?: JsonObject | string;
}
