import type { IProductionJobRequest, MediaProducingJobRequest, MtsIProductionJobRequest } from '../../lib/jobs';
import { IProductionClient, IProductionClientOptions } from '../../lib/runtime/client';
import { LimiterRegistry, type RateLimiter } from '../../lib/runtime/limiter';
import { type LocalIce, type ManualClock, manualClock } from '../endpoint';

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

/** A registry that remembers its limiters, so a test can count the requests they let onto the wire. */
class CountingRegistry extends LimiterRegistry {
  public readonly seen = new Set<RateLimiter>();

  public override limiter(endpoint: string, action: string, qps?: number): RateLimiter {
    const limiter = super.limiter(endpoint, action, qps);
    this.seen.add(limiter);
    return limiter;
  }
}

/** What `virtualTime` hands the endpoint and the client. */
export interface VirtualTime {
  /** Pass `clock.now` as `startLocalIce({ now })`: the endpoint's rate window then runs on the same time. */
  readonly clock: ManualClock;
  /** Spread into `localClient(ice, ...)`: the client's clock, pauses and limiters, gated on what `ice` received. */
  client(ice: LocalIce): Pick<IProductionClientOptions, 'now' | 'sleep' | 'limiterRegistry' | 'onAttempt'>;
}

/**
 * Virtual time for a client on the local endpoint: every pause of the client (retry backoff) and of its limiters
 * (rate spacing) moves a clock the endpoint also reads, instead of waiting. A pause moves it only once every request
 * the limiters let go has reached the endpoint (or ended), so the endpoint counts each request at the virtual moment
 * it was sent, as the limiter planned it. Loopback sockets and their timers (the SDK's read timeout, an answer the
 * endpoint holds back) stay real: a held answer does not hold the clock.
 */
export function virtualTime(startMs: number = Date.now()): VirtualTime {
  const clock = manualClock(startMs);
  return {
    clock,
    client: (ice) => {
      let ended = 0;
      const registry = new CountingRegistry({ now: clock.now, sleep: (ms) => pause(ms) });
      const sent = () => [...registry.seen].reduce((n, l) => n + l.state().granted, 0);
      const arrived = () => sent() <= ice.stats.totals.received || sent() <= ended;
      async function pause(ms: number): Promise<void> {
        // Waiting for loopback I/O, not for time: a turn of the event loop at a time.
        while (!arrived()) await new Promise((resolve) => setImmediate(resolve));
        clock.advance(ms);
      }
      return {
        now: clock.now,
        sleep: pause,
        limiterRegistry: registry,
        onAttempt: () => {
          ended++;
        },
      };
    },
  };
}
