import type * as http from 'http';
import { errors } from './errors';
import {
  canonicalRequestV3,
  constantTimeEqual,
  headerValue,
  parseAcsTimestamp,
  parseUrlEncoded,
  parseV3Authorization,
  sha256Hex,
  signatureV1,
  signatureV3,
  stringToSignV3,
} from './protocol';

export interface AccessKey {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** When set, every request with this AccessKeyId must carry exactly this STS token. */
  readonly securityToken?: string;
}

export interface Authenticated {
  /** Service parameters: query and body merged, V1 signature parameters removed. */
  readonly params: Record<string, string>;
}

/** V1 protocol parameters; they are not service parameters. */
const V1_COMMON = new Set([
  'Action',
  'Version',
  'Format',
  'Timestamp',
  'SignatureNonce',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureType',
  'AccessKeyId',
  'SecurityToken',
  'Signature',
]);

/**
 * Checks who sent a request and that it was neither altered nor replayed: key, STS token, required signed headers,
 * signature, body hash, timestamp, nonce — in that order, so only a correctly signed request can use up a nonce.
 */
export class Authenticator {
  private nonces = new Map<string, number>();

  constructor(
    private readonly accessKeys: readonly AccessKey[],
    private readonly now: () => number,
    private readonly skewMs: number,
  ) {}

  forgetNonces(): void {
    this.nonces = new Map();
  }

  private findKey(accessKeyId: string): AccessKey {
    const key = this.accessKeys.find((k) => k.accessKeyId === accessKeyId);
    if (!key) {
      throw errors.accessKeyNotFound();
    }
    return key;
  }

  private checkToken(key: AccessKey, token: string | undefined): void {
    if ((key.securityToken ?? '') !== (token ?? '')) {
      throw errors.securityTokenMismatch();
    }
  }

  private checkFreshness(name: string, stamp: string, nonce: string): void {
    const at = parseAcsTimestamp(stamp);
    if (at === undefined) {
      throw errors.timestampFormat(name, stamp);
    }
    const now = this.now();
    if (Math.abs(now - at) > this.skewMs) {
      throw errors.timestampExpired(name, stamp);
    }
    for (const [seen, expires] of this.nonces) {
      if (expires > now) {
        break;
      }
      this.nonces.delete(seen);
    }
    if (this.nonces.has(nonce)) {
      throw errors.nonceUsed();
    }
    // A nonce only needs remembering while its timestamp could still pass the skew check.
    this.nonces.set(nonce, Math.max(now, at) + 2 * this.skewMs);
  }

  v3(
    req: http.IncomingMessage,
    pathname: string,
    query: Record<string, string>,
    body: Buffer,
  ): Authenticated {
    const authorization = headerValue(req.headers.authorization);
    if (!authorization) {
      throw errors.incompleteSignature('the Authorization header is missing');
    }
    const auth = parseV3Authorization(authorization);
    if (!auth) {
      throw errors.incompleteSignature('the Authorization header is not ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..');
    }
    const key = this.findKey(auth.accessKeyId);
    const headerAk = req.headers['x-acs-accesskey-id'];
    if (headerAk !== undefined && headerValue(headerAk) !== auth.accessKeyId) {
      throw errors.incompleteSignature('x-acs-accesskey-id differs from the Credential of the Authorization header');
    }
    const token = req.headers['x-acs-security-token'];
    this.checkToken(key, token === undefined ? undefined : headerValue(token));
    const mustSign = Object.keys(req.headers).filter(
      (h) => h.startsWith('x-acs-') || h === 'host' || h === 'content-type',
    );
    for (const name of ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
      if (!mustSign.includes(name)) {
        throw errors.incompleteSignature(`the ${name} header is missing`);
      }
    }
    const unsigned = mustSign.filter((h) => !auth.signedHeaders.includes(h));
    if (unsigned.length > 0) {
      throw errors.incompleteSignature(`SignedHeaders does not cover ${unsigned.sort().join(', ')}`);
    }
    const payloadHash = sha256Hex(body);
    const canonical = canonicalRequestV3({
      method: req.method ?? 'POST',
      pathname,
      query,
      headers: req.headers,
      signedHeaders: [...auth.signedHeaders].sort(),
      payloadHash,
    });
    const stringToSign = stringToSignV3(canonical);
    if (!constantTimeEqual(signatureV3(key.accessKeySecret, stringToSign), auth.signature)) {
      throw errors.signatureDoesNotMatch(stringToSign);
    }
    // Checked after the signature so the answer to a forged body never depends on a header the forger controls.
    if (headerValue(req.headers['x-acs-content-sha256']) !== payloadHash) {
      throw errors.contentHashMismatch();
    }
    this.checkFreshness('x-acs-date', headerValue(req.headers['x-acs-date']), headerValue(req.headers['x-acs-signature-nonce']));
    return { params: { ...query, ...bodyParams(req, body) } };
  }

  v1(req: http.IncomingMessage, query: Record<string, string>, body: Buffer): Authenticated {
    const merged = { ...query, ...bodyParams(req, body) };
    for (const name of ['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp']) {
      if (!merged[name]) {
        throw errors.incompleteSignature(`the ${name} parameter is missing`);
      }
    }
    if (merged.SignatureMethod !== 'HMAC-SHA1' || merged.SignatureVersion !== '1.0') {
      throw errors.incompleteSignature(
        `SignatureMethod must be HMAC-SHA1 with SignatureVersion 1.0, got ${merged.SignatureMethod}/${merged.SignatureVersion}`,
      );
    }
    const key = this.findKey(merged.AccessKeyId);
    this.checkToken(key, merged.SecurityToken);
    const expected = signatureV1(merged, req.method ?? 'POST', key.accessKeySecret);
    if (!constantTimeEqual(expected, merged.Signature)) {
      throw errors.signatureDoesNotMatch('(V1 HMAC-SHA1 over the sorted parameters)');
    }
    this.checkFreshness('Timestamp', merged.Timestamp, merged.SignatureNonce);
    const params: Record<string, string> = Object.create(null);
    for (const [k, v] of Object.entries(merged)) {
      if (!V1_COMMON.has(k)) {
        params[k] = v;
      }
    }
    return { params };
  }

}

/** Form bodies (the SDK's formData) and JSON bodies (reqBodyType 'json'); other bodies carry no parameters. */
function bodyParams(req: http.IncomingMessage, body: Buffer): Record<string, string> {
  if (body.length === 0) {
    return {};
  }
  const type = headerValue(req.headers['content-type']).toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return parseUrlEncoded(body.toString('utf8'));
  }
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw errors.invalidParameter('body', 'must be a JSON object', body.toString('utf8'));
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw errors.invalidParameter('body', 'must be a JSON object', body.toString('utf8'));
    }
    const out: Record<string, string> = Object.create(null);
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (v !== undefined && v !== null) {
        out[k] = typeof v === 'string' ? v : JSON.stringify(v);
      }
    }
    return out;
  }
  return {};
}

