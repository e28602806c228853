import fc from 'fast-check';
import {
  acsEncode,
  canonicalRequestV3,
  formatUtc,
  parseAcsTimestamp,
  parseUrlEncoded,
  parseV3Authorization,
  sha256Hex,
  signatureV1,
  signatureV3,
  stringToSignV3,
} from './index';

// The SDK's own signing code, as the client runs it: the server's verifier must agree with it on every input.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const OpenApiUtil = require('@alicloud/openapi-util').default;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const querystring = require('querystring');

const text = fc.string({ unit: 'binary', maxLength: 30 });
const paramName = fc.stringMatching(/^[A-Z][A-Za-z0-9.]{0,15}$/);

describe('V3 verification agrees with @alicloud/openapi-util getAuthorization', () => {
  it('recomputes the same signature for any query, headers and body (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(paramName, text, { maxKeys: 6 }),
        fc.dictionary(fc.stringMatching(/^x-acs-[a-z-]{1,12}$/), fc.stringMatching(/^[ -~]{0,20}$/), { maxKeys: 3 }),
        fc.option(text),
        fc.constantFrom('POST', 'GET'),
        (query, extraHeaders, body, method) => {
          // GIVEN a request as the SDK builds it (lowercase header names, Authorization added last)
          const payload = sha256Hex(body ?? '');
          const headers: Record<string, string> = {
            ...extraHeaders,
            host: '127.0.0.1:8091',
            'x-acs-action': 'SubmitIProductionJob',
            'x-acs-version': '2020-11-09',
            'x-acs-date': '2026-01-02T03:04:05Z',
            'x-acs-signature-nonce': 'nonce',
            'x-acs-content-sha256': payload,
            'user-agent': 'AlibabaCloud',
            accept: 'application/json',
          };
          if (body !== null) headers['content-type'] = 'application/x-www-form-urlencoded';
          const authorization: string = OpenApiUtil.getAuthorization(
            { method, pathname: '/', query, headers },
            'ACS3-HMAC-SHA256',
            payload,
            'AK',
            'secret',
          );
          // WHEN the server parses the header and rebuilds the canonical request from what arrives on the wire
          const auth = parseV3Authorization(authorization);
          const received = parseUrlEncoded(querystring.stringify(query));
          const canonical = canonicalRequestV3({
            method,
            pathname: '/',
            query: received,
            headers,
            signedHeaders: auth?.signedHeaders ?? [],
            payloadHash: payload,
          });
          // THEN the signatures agree
          expect(auth?.accessKeyId).toBe('AK');
          expect(signatureV3('secret', stringToSignV3(canonical))).toBe(auth?.signature);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('V1 verification agrees with @alicloud/openapi-util getRPCSignature', () => {
  it('computes the same signature for any parameters (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(paramName, text, { maxKeys: 8 }), fc.constantFrom('POST', 'GET'), (dict, method) => {
        // fast-check dictionaries have no prototype; the SDK only ever signs plain objects.
        const params = { ...dict };
        const expected: string = OpenApiUtil.getRPCSignature(params, method, 'secret');
        // The Signature parameter itself is left out of what is signed.
        expect(signatureV1({ ...params, Signature: 'ignored' }, method, 'secret')).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('protocol helpers', () => {
  it.each([
    ["!'()*", '%21%27%28%29%2A'],
    ['a b+c/é~', 'a%20b%2Bc%2F%C3%A9~'],
  ])('acsEncode(%j) is %j', (input, output) => {
    expect(acsEncode(input)).toBe(output);
  });

  it('decodes what querystring.stringify encodes, for any strings (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 5 }), (map) => {
        const clean = Object.fromEntries(Object.entries(map).filter(([k]) => k !== ''));
        expect(parseUrlEncoded(querystring.stringify(clean))).toEqual(clean);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a parameter named __proto__ as a parameter', () => {
    const parsed = parseUrlEncoded('__proto__=x&a=1');
    expect(Object.prototype.hasOwnProperty.call(parsed, '__proto__')).toBe(true);
    expect(parsed.a).toBe('1');
  });

  it.each([
    ['2026-01-02T03:04:05Z', Date.UTC(2026, 0, 2, 3, 4, 5)],
    ['2026-01-02T03:04:05.123Z', Date.UTC(2026, 0, 2, 3, 4, 5)],
    ['2026-01-02 03:04:05', undefined],
    ['2026-01-02T03:04:05+08:00', undefined],
    ['', undefined],
  ])('parseAcsTimestamp(%j)', (input, ms) => {
    expect(parseAcsTimestamp(input)).toBe(ms);
  });

  it('formats times as the service does (UTC, seconds, Z)', () => {
    expect(formatUtc(Date.UTC(2022, 6, 7, 7, 16, 11, 999))).toBe('2022-07-07T07:16:11Z');
  });

  it.each(['Bearer x', 'ACS3-HMAC-SHA256 Credential=AK', 'ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host', ''])(
    'parseV3Authorization refuses %j',
    (header) => {
      expect(parseV3Authorization(header)).toBeUndefined();
    },
  );
});
