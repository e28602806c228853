import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { ICE_VERSION } from './actions';
import { LocalIce } from './server';

/** The real SDK client pointed at a local endpoint: how the endpoint's own tests talk to it. */
export function sdkClient(ice: LocalIce, overrides: Partial<$OpenApi.Config> = {}): OpenApi {
  return new OpenApi(
    new $OpenApi.Config({
      accessKeyId: ice.accessKeyId,
      accessKeySecret: ice.accessKeySecret,
      endpoint: ice.endpoint,
      protocol: 'http',
      readTimeout: 2000,
      connectTimeout: 2000,
      ...overrides,
    }),
  );
}

export interface SdkCall {
  readonly action: string;
  readonly version?: string;
  readonly query?: Record<string, string>;
  readonly body?: Record<string, string>;
}

/** One RPC call exactly as the runtime makes it: callApi, POST /, AK auth, JSON answer, form body. */
export async function sdkCall(client: OpenApi, call: SdkCall, runtime: Partial<$Util.RuntimeOptions> = {}): Promise<{ statusCode: number; body: Record<string, any> }> {
  const params = new $OpenApi.Params({
    action: call.action,
    version: call.version ?? ICE_VERSION,
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new $OpenApi.OpenApiRequest({ query: call.query ?? {}, body: call.body });
  const response = await client.callApi(params, request, new $Util.RuntimeOptions(runtime));
  return { statusCode: response.statusCode, body: response.body };
}

/** The thrown SDK error's public fields (`code`, `statusCode`, `data`). */
export async function sdkError(promise: Promise<unknown>): Promise<{ code?: string; statusCode?: number; data?: Record<string, any>; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code?: string; statusCode?: number; data?: Record<string, any>; message: string };
    return { code: e.code, statusCode: e.statusCode, data: e.data, message: e.message };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
