import type { IProductionJobRequest, MediaProducingJobRequest, MtsIProductionJobRequest } from '../../lib/jobs';
import { IProductionClient, IProductionClientOptions } from '../../lib/runtime/client';
import { LimiterRegistry } from '../../lib/runtime/limiter';
import type { LocalIce } from '../endpoint';

export const REGION = 'cn-shanghai';

/** A valid ICE Cover request; `tag` makes it distinct so the endpoint can tell duplicates from new jobs. */
export function coverRequest(tag: string | number = 1): IProductionJobRequest {
  return {
    Name: `cover-${tag}`,
    FunctionName: 'Cover',
    Input: { Type: 'OSS', Media: 'oss://media-in/clips/talk.mp4' },
    Output: { Type: 'OSS', Media: 'oss://media-out/covers/{source}-{timestamp}-{sequenceId}.jpg' },
    UserData: JSON.stringify({ tag: String(tag) }),
  } as IProductionJobRequest;
}

export function mtsCoverRequest(tag: string | number = 1): MtsIProductionJobRequest {
  return {
    FunctionName: 'Cover',
    Input: 'oss://media-in.oss-cn-shanghai.aliyuncs.com/clips/talk.mp4',
    Output: 'oss://media-out.oss-cn-shanghai.aliyuncs.com/covers/{source}-{timestamp}-{sequenceId}.jpg',
    JobParams: '{}',
    PipelineId: '39f8e0bc005e4f309379701645f40000',
    UserData: JSON.stringify({ tag: String(tag) }),
  } as MtsIProductionJobRequest;
}

export function timelineRequest(tag: string | number = 1): MediaProducingJobRequest {
  return {
    Timeline: { VideoTracks: [{ VideoTrackClips: [{ MediaId: `****4d7cf14dc7b83b0e801c${tag}` }] }] },
    OutputMediaConfig: { MediaURL: `https://media-out.oss-cn-shanghai.aliyuncs.com/edits/out-${tag}.mp4` },
  };
}

/** Records every pause the client asks for and returns at once: retries run at full speed with exact delays. */
export function instantSleep(): { sleep: (ms: number) => Promise<void>; pauses: number[] } {
  const pauses: number[] = [];
  return {
    pauses,
    sleep: async (ms: number) => {
      pauses.push(ms);
    },
  };
}

/** A client on the local endpoint with its own limiter registry (tests must not share limiters). */
export function localClient(ice: LocalIce, options: Partial<IProductionClientOptions> = {}): IProductionClient {
  return new IProductionClient({
    region: REGION,
    endpoint: ice.endpoint,
    protocol: 'http',
    credential: { accessKeyId: ice.accessKeyId, accessKeySecret: ice.accessKeySecret },
    limiterRegistry: new LimiterRegistry(),
    readTimeoutMs: 2000,
    connectTimeoutMs: 1000,
    ...options,
  });
}
