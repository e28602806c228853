/**
 * The baseline client: the official `@alicloud/openapi-client` used the way a caller without our runtime would —
 * one `callApi` per submit (RPC, POST '/', V3 signature), no limiter, no retries.
 */
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { RPC_CALL, type WireRequest } from '../lib/jobs';

export interface BareClientOptions {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Same timeouts as our client's defaults, so the baseline is not handicapped by waiting longer. */
  readonly readTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

export type { WireRequest };

export class BareClient {
  private readonly client: OpenApi;
  private readonly runtime: $Util.RuntimeOptions;

  constructor(options: BareClientOptions) {
    this.client = new OpenApi(
      new $OpenApi.Config({
        accessKeyId: options.accessKeyId,
        accessKeySecret: options.accessKeySecret,
        endpoint: options.endpoint,
        protocol: 'http',
        regionId: 'cn-shanghai',
      }),
    );
    this.runtime = new $Util.RuntimeOptions({
      autoretry: false,
      readTimeout: options.readTimeoutMs ?? 3000,
      connectTimeout: options.connectTimeoutMs ?? 3000,
    });
  }

  /** One signed RPC call; answers the response body or throws the SDK's error (code, statusCode, data). */
  async call(wire: WireRequest): Promise<Record<string, any>> {
    const params = new $OpenApi.Params({ action: wire.action, version: wire.version, protocol: 'http', ...RPC_CALL });
    const request = new $OpenApi.OpenApiRequest({ query: wire.query, body: wire.body });
    const response = await this.client.callApi(params, request, this.runtime);
    return response.body as Record<string, any>;
  }
}

/** The throttling codes of FACTS.md "Errors": what a caller sees when the limit bites. */
export function isThrottlingError(err: unknown): boolean {
  const e = err as { code?: unknown; statusCode?: unknown; kind?: unknown; cause?: unknown };
  if (e && e.kind === 'throttling') return true;
  if (e && typeof e.code === 'string' && /^Throttling/.test(e.code)) return true;
  if (e && e.statusCode === 429) return true;
  return false;
}
