import * as http from 'http';
import type { AddressInfo } from 'net';
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
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
/** callApi's runtime options; typed through the client so we need no direct @alicloud/tea-util dependency. */
export type SdkRuntime = Parameters<OpenApi['callApi']>[2];

export async function sdkCall(client: OpenApi, call: SdkCall, runtime: Partial<SdkRuntime> = {}): Promise<{ statusCode: number; body: Record<string, any> }> {
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
  const response = await client.callApi(params, request, runtime as SdkRuntime);
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

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * The exact bytes the SDK sends for one call, captured by a throwaway loopback server that answers `{}`.
 * Used only by negative tests (replay, tampering); the request is never hand-signed.
 */
export async function captureSdkRequest(
  overrides: Partial<$OpenApi.Config> & { accessKeyId: string; accessKeySecret: string },
  call: SdkCall,
): Promise<RawRequest> {
  let captured: RawRequest | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
      }
      captured = { method: req.method ?? 'POST', path: req.url ?? '/', headers, body: Buffer.concat(chunks) };
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const client = new OpenApi(
      new $OpenApi.Config({ endpoint: `127.0.0.1:${port}`, protocol: 'http', ...overrides }),
    );
    await sdkCall(client, call);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (!captured) {
    throw new Error('the SDK sent no request');
  }
  return captured;
}

/** Sends a captured (possibly altered) request to the endpoint; answers status and parsed JSON body. */
export function sendRaw(ice: LocalIce, raw: RawRequest): Promise<{ statusCode: number; body: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    // The SDK streams its body (chunked); a replay sends it whole, so the framing headers are rewritten.
    const { 'transfer-encoding': _te, connection: _conn, ...rest } = raw.headers;
    const headers = { ...rest, 'content-length': String(raw.body.length) };
    const req = http.request(
      { host: '127.0.0.1', port: ice.port, method: raw.method, path: raw.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ statusCode: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}
