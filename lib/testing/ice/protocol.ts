/*
 * What the real client sends, read from @alicloud/openapi-client 0.4.15 (dist/client.js), @alicloud/openapi-util
 * (dist/client.js), @alicloud/tea-util and @alicloud/tea-typescript (dist/tea.js) + httpx. The server below is
 * written against these findings, not against documentation alone.
 *
 * callApi(params, request, runtime):
 *   - signatureAlgorithm unset (default)  -> doRequest: V3 `ACS3-HMAC-SHA256`, for RPC and ROA alike.
 *   - signatureAlgorithm 'v2' + style RPC  -> doRPCRequest: V1 HMAC-SHA1 signature in the query.
 *   - signatureVersion 'v4'                -> execute (gateway/SPI path; not served here).
 *
 * V3 (doRequest):
 *   - URL = `${protocol}://${headers.host}${pathname}?${querystring.stringify(request.query)}` (tea buildURL), so the
 *     query is encoded by node's querystring (space -> %20, `!'()*` left raw). We decode it and re-encode.
 *   - headers: host = the configured endpoint (port included), x-acs-version, x-acs-action, user-agent,
 *     x-acs-date (`YYYY-MM-DDTHH:mm:ssZ`, UTC, second precision), x-acs-signature-nonce (kitx.makeNonce),
 *     accept: application/json; then x-acs-content-sha256 = hex sha256 of the body bytes (of "" without body).
 *     Body by reqBodyType: 'formData' (anything but byte/json) -> flatMap + querystring.stringify,
 *     content-type `application/x-www-form-urlencoded`; 'json' -> JSON text, `application/json; charset=utf-8`;
 *     'byte' -> raw bytes (no content-type); request.stream -> `application/octet-stream`.
 *     STS adds x-acs-accesskey-id and x-acs-security-token; a credentials provider name adds
 *     x-acs-credentials-provider. All of them are x-acs-* and therefore signed.
 *   - getAuthorization: canonical request =
 *       METHOD \n pathname \n canonicalQuery \n canonicalHeaders \n signedHeaderNames(';') \n payloadHash
 *     canonicalQuery: keys sorted (plain JS sort), `key=encode(value)` (key NOT encoded), '&'-joined;
 *     canonicalHeaders: every header whose lowercased name is x-acs-*, host or content-type, sorted,
 *       `name:trimmed-value\n` each (so the block ends with '\n' and is followed by another '\n');
 *     encode = encodeURIComponent then `! ' ( ) *` -> %21 %27 %28 %29 %2A.
 *     StringToSign = `ACS3-HMAC-SHA256\n` + hex(sha256(canonical)); Signature = hex(HMAC-SHA256(secret, sts)).
 *     `Authorization: ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<names>,Signature=<hex>`.
 *
 * V1 (doRPCRequest):
 *   - query = {Action, Format: 'json', Version, Timestamp, SignatureNonce, ...request.query}, then
 *     SecurityToken (STS), SignatureMethod=HMAC-SHA1, SignatureVersion=1.0, AccessKeyId.
 *   - body (if any) = querystring.stringify(flatMap(body)), content-type application/x-www-form-urlencoded.
 *   - signed params = {...query, ...flatMap(body)} (body wins on a clash); getRPCSignature: sort keys,
 *     `encode(k)=encode(v)` '&'-joined; StringToSign = `METHOD&%2F&` + encode(that); key = secret + '&';
 *     base64 HMAC-SHA1, sent as the `Signature` query parameter (not itself signed).
 *
 * Responses (both paths):
 *   - 4xx/5xx: the body is read as JSON (doRequest first checks for content-type exactly `text/xml;charset=utf-8`,
 *     so we never send that). The thrown error: `code` = body.Code (or body.code), `message` =
 *     `code: <status>, <body.Message> request id: <body.RequestId>`, `data` = the body object plus
 *     `statusCode`, and `statusCode` = Number(data.statusCode). Response headers are NOT part of the error, so an
 *     `x-acs-retry-after` header is invisible to callApi users (we still send it, as the service may).
 *     A non-JSON error body makes the client throw a SyntaxError instead: every error here is JSON.
 *   - 2xx with bodyType 'json': `{ body: <parsed JSON object>, headers, statusCode }`.
 *   - Transport: httpx with a module-wide keep-alive agent, connect/read timeouts 3000 ms by default
 *     (`RequestTimeoutError` / `ReadTimeout(ms)` errors). autoretry only retries `RetryError`, which is never
 *     thrown, so a reset socket surfaces as one `socket hang up` / ECONNRESET error per call.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';

/** encodeURIComponent plus the five characters it leaves raw, exactly as @alicloud/openapi-util `encode`. */
export function acsEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

/** Decodes an application/x-www-form-urlencoded string (query or body); later duplicates win. */
export function parseUrlEncoded(text: string): Record<string, string> {
  // No prototype: a parameter named __proto__ must stay a parameter.
  const out: Record<string, string> = Object.create(null);
  if (text === '') {
    return out;
  }
  for (const pair of text.split('&')) {
    if (pair === '') {
      continue;
    }
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    out[decodeComponent(rawKey)] = decodeComponent(rawValue);
  }
  return out;
}

function decodeComponent(raw: string): string {
  const plus = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    // A malformed escape is kept literally so that the signature check, not a crash, rejects the request.
    return plus;
  }
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function canonicalQueryV3(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((key) => `${key}=${acsEncode(query[key])}`)
    .join('&');
}

export interface V3CanonicalInput {
  readonly method: string;
  readonly pathname: string;
  readonly query: Record<string, string>;
  /** Lowercased header names as node delivers them. */
  readonly headers: Record<string, string | string[] | undefined>;
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
}

export function canonicalRequestV3(input: V3CanonicalInput): string {
  const headerLines = input.signedHeaders
    .map((name) => `${name}:${headerValue(input.headers[name]).trim()}\n`)
    .join('');
  return [
    input.method,
    input.pathname,
    canonicalQueryV3(input.query),
    headerLines,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function stringToSignV3(canonicalRequest: string): string {
  return `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
}

export function signatureV3(secret: string, stringToSign: string): string {
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

export interface V3Authorization {
  readonly accessKeyId: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`; undefined when malformed. */
export function parseV3Authorization(header: string): V3Authorization | undefined {
  const match = /^ACS3-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!match) {
    return undefined;
  }
  const fields: Record<string, string> = {};
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  if (!fields.Credential || !fields.SignedHeaders || !fields.Signature) {
    return undefined;
  }
  return {
    accessKeyId: fields.Credential,
    signedHeaders: fields.SignedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature: fields.Signature,
  };
}

/** V1 (HMAC-SHA1) signature over every parameter except `Signature`, as openapi-util getRPCSignature. */
export function signatureV1(params: Record<string, string>, method: string, secret: string): string {
  const canonical = Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${acsEncode(key)}=${acsEncode(params[key])}`)
    .join('&');
  const stringToSign = `${method}&${acsEncode('/')}&${acsEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function headerValue(value: string | string[] | undefined): string {
  if (value === undefined) {
    return '';
  }
  return Array.isArray(value) ? value.join(',') : value;
}

/** What an RPC request names before it is authenticated: path, query, signature style, action and version. */
export interface RpcTarget {
  readonly pathname: string;
  readonly query: Record<string, string>;
  /** V1 (signature in the query) rather than V3 (Authorization header). */
  readonly v1: boolean;
  readonly action?: string;
  readonly version?: string;
}

/** Reads the request line and headers the same way for every local endpoint (ICE, ROS). */
export function rpcTarget(req: { url?: string; headers: Record<string, string | string[] | undefined> }): RpcTarget {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = parseUrlEncoded(q < 0 ? '' : rawUrl.slice(q + 1));
  const v1 = query.Signature !== undefined || query.SignatureMethod !== undefined;
  const action = v1 ? query.Action : headerValue(req.headers['x-acs-action']) || undefined;
  const version = v1 ? query.Version : headerValue(req.headers['x-acs-version']) || undefined;
  return { pathname, query, v1, action, version };
}

/** `YYYY-MM-DDTHH:mm:ssZ` (what the SDK sends); undefined for anything else. */
export function parseAcsTimestamp(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?Z$/.exec(value);
  if (!match) {
    return undefined;
  }
  const ms = Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]);
  return Number.isNaN(ms) ? undefined : ms;
}

/** UTC `...Z` with second precision, the form the service uses for CreateTime/FinishTime. */
export function formatUtc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
