import fc from 'fast-check';
import { DEFAULT_STS_KEY, LocalIce, MTS_VERSION, manualClock, startLocalIce } from './index';
import { captureSdkRequest, sdkCall, sdkClient, sdkError, sendRaw } from './sdk';

const COVER = {
  FunctionName: 'Cover',
  Input: JSON.stringify({ Type: 'OSS', Media: 'oss://bucket/in/video.mp4' }),
  Output: JSON.stringify({ Type: 'OSS', Media: 'oss://bucket/out/{sequenceId}.jpg' }),
};

describe('signature verification with the real SDK', () => {
  let ice: LocalIce;
  beforeAll(async () => {
    // The property below sends more than SubmitMediaProducingJob's 30 QPS; throttling has its own tests.
    ice = await startLocalIce({ qps: { SubmitMediaProducingJob: Infinity } });
  });
  afterAll(async () => {
    await ice.close();
  });

  it.each([
    ['V3 ACS3-HMAC-SHA256', {}],
    ['V1 HMAC-SHA1', { signatureAlgorithm: 'v2' }],
  ])('accepts a %s signed call', async (_name, overrides) => {
    // GIVEN a client with the server's key
    const client = sdkClient(ice, overrides);
    // WHEN it submits a job
    const { statusCode, body } = await sdkCall(client, { action: 'SubmitIProductionJob', query: COVER });
    // THEN the service answers RequestId and JobId
    expect(statusCode).toBe(200);
    expect(body.JobId).toMatch(/^[0-9a-f]{32}$/);
    expect(body.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  it.each([
    ['V3', {}, 'SignatureDoesNotMatch', 403],
    ['V1', { signatureAlgorithm: 'v2' }, 'SignatureDoesNotMatch', 403],
  ])('rejects a %s call signed with the wrong secret', async (_name, overrides, code, statusCode) => {
    // GIVEN a client whose secret is wrong
    const client = sdkClient(ice, { ...overrides, accessKeySecret: 'not-the-secret' });
    const before = ice.stats.actions.SubmitIProductionJob;
    // WHEN it calls
    const err = await sdkError(sdkCall(client, { action: 'SubmitIProductionJob', query: COVER }));
    // THEN the SDK throws with the service's code and status, and no job exists
    expect(err.code).toBe(code);
    expect(err.statusCode).toBe(statusCode);
    expect(err.data?.Code).toBe(code);
    expect(err.data?.RequestId).toBeDefined();
    expect(err.data?.HostId).toBe('ice.cn-shanghai.aliyuncs.com');
    expect(ice.stats.actions.SubmitIProductionJob.rejected).toBe(before.rejected + 1);
    expect(ice.stats.actions.SubmitIProductionJob.accepted).toBe(before.accepted);
  });

  it.each([[{}], [{ signatureAlgorithm: 'v2' }]])('rejects an unknown AccessKeyId (%j)', async (overrides) => {
    // GIVEN a key the server does not know
    const client = sdkClient(ice, { ...overrides, accessKeyId: 'LTAIunknown' });
    // WHEN it calls / THEN InvalidAccessKeyId.NotFound
    const err = await sdkError(sdkCall(client, { action: 'QueryIProductionJob', query: { JobId: 'x' } }));
    expect(err.code).toBe('InvalidAccessKeyId.NotFound');
    expect(err.statusCode).toBe(404);
  });

  it.each([
    ['V3', {}],
    ['V1', { signatureAlgorithm: 'v2' }],
  ])('accepts the STS key with its token over %s and rejects it with a wrong or missing token', async (_name, overrides) => {
    // GIVEN the STS key
    const sts = { ...overrides, ...DEFAULT_STS_KEY };
    // WHEN called with the right token THEN accepted
    const ok = await sdkCall(sdkClient(ice, sts), { action: 'SubmitIProductionJob', query: COVER });
    expect(ok.statusCode).toBe(200);
    // WHEN the token is wrong THEN the token check fails
    const wrong = await sdkError(
      sdkCall(sdkClient(ice, { ...sts, securityToken: 'other-token' }), { action: 'SubmitIProductionJob', query: COVER }),
    );
    expect(wrong.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
    expect(wrong.statusCode).toBe(400);
    // WHEN the token is missing THEN too
    const missing = await sdkError(
      sdkCall(sdkClient(ice, { ...sts, securityToken: undefined }), { action: 'SubmitIProductionJob', query: COVER }),
    );
    expect(missing.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
  });

  it('verifies the form body: SubmitMediaProducingJob with Timeline in the body', async () => {
    // GIVEN a timeline with characters the encoders treat differently
    const timeline = JSON.stringify({ VideoTracks: [{ VideoTrackClips: [{ MediaURL: "https://b.oss-cn-shanghai.aliyuncs.com/a b+c*(d)!'~.mp4" }] }] });
    for (const overrides of [{}, { signatureAlgorithm: 'v2' }]) {
      // WHEN sent in the form body
      const { body } = await sdkCall(sdkClient(ice, overrides), {
        action: 'SubmitMediaProducingJob',
        body: { Timeline: timeline, OutputMediaConfig: JSON.stringify({ MediaURL: 'https://b.oss-cn-shanghai.aliyuncs.com/o.mp4' }) },
      });
      // THEN accepted and the server stored the timeline byte for byte
      const job = ice.jobs.find((j) => j.jobId === body.JobId);
      expect(job?.params.Timeline).toBe(timeline);
    }
  });

  it('verifies any parameter values the SDK can send (property)', async () => {
    const value = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(value, value, fc.boolean(), async (name, userData, v1) => {
        // GIVEN arbitrary unicode in query (Name) and body (UserData)
        const client = sdkClient(ice, v1 ? { signatureAlgorithm: 'v2' } : {});
        // WHEN the SDK signs and sends them
        const { statusCode, body } = await sdkCall(client, {
          action: 'SubmitMediaProducingJob',
          query: { ProjectId: 'p1', UserData: userData.slice(0, 100) },
          body: { ProjectMetadata: JSON.stringify({ Title: name }) },
        });
        // THEN the signature verifies and the values arrive unchanged
        expect(statusCode).toBe(200);
        const job = ice.jobs.find((j) => j.jobId === body.JobId);
        expect(job?.params.UserData).toBe(userData.slice(0, 100));
        expect(JSON.parse(job?.params.ProjectMetadata ?? '{}').Title).toBe(name);
      }),
      { numRuns: 150 },
    );
  });
});

describe('tampering and replay (captured SDK requests)', () => {
  let ice: LocalIce;
  beforeEach(async () => {
    ice = await startLocalIce();
  });
  afterEach(async () => {
    await ice.close();
  });

  const capture = (overrides: Record<string, string> = {}) =>
    captureSdkRequest(
      { accessKeyId: ice.accessKeyId, accessKeySecret: ice.accessKeySecret, ...overrides },
      {
        action: 'SubmitMediaProducingJob',
        body: { Timeline: JSON.stringify({ VideoTracks: [] }), UserData: '{"n":1}' },
      },
    );

  it('accepts the captured request untouched, then refuses its replay (nonce reuse)', async () => {
    // GIVEN a request the SDK signed
    const raw = await capture();
    // WHEN it is sent twice
    const first = await sendRaw(ice, raw);
    const second = await sendRaw(ice, raw);
    // THEN the first creates a job and the replay is SignatureNonceUsed
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(400);
    expect(second.body.Code).toBe('SignatureNonceUsed');
    expect(ice.jobs).toHaveLength(1);
  });

  it.each([
    ['V3', {}],
    ['V1', { signatureAlgorithm: 'v2' }],
  ])('rejects a %s request whose body was changed after signing', async (_name, overrides) => {
    // GIVEN a signed request whose body is altered in transit
    const raw = await capture(overrides);
    const tampered = { ...raw, body: Buffer.from(raw.body.toString('utf8').replace('%22n%22%3A1', '%22n%22%3A2')) };
    expect(tampered.body.equals(raw.body)).toBe(false);
    // WHEN it reaches the server
    const answer = await sendRaw(ice, tampered);
    // THEN SignatureDoesNotMatch and no job
    expect(answer.statusCode).toBe(403);
    expect(answer.body.Code).toBe('SignatureDoesNotMatch');
    expect(ice.jobs).toHaveLength(0);
  });

  it('lets a forged copy use up no nonce: the genuine request still goes through after it', async () => {
    // GIVEN a signed request and a tampered copy with the same nonce
    const raw = await capture();
    const tampered = { ...raw, body: Buffer.from(raw.body.toString('utf8').replace('%22n%22%3A1', '%22n%22%3A9')) };
    // WHEN the forgery arrives first
    expect((await sendRaw(ice, tampered)).body.Code).toBe('SignatureDoesNotMatch');
    // THEN the genuine request is still accepted
    expect((await sendRaw(ice, raw)).statusCode).toBe(200);
  });

  it('rejects a V3 request whose body hash header was recomputed for a forged body', async () => {
    const { createHash } = await import('crypto');
    // GIVEN a forger who also fixes x-acs-content-sha256 (but cannot re-sign)
    const raw = await capture();
    const body = Buffer.from(raw.body.toString('utf8').replace('%22n%22%3A1', '%22n%22%3A3'));
    const headers = { ...raw.headers, 'x-acs-content-sha256': createHash('sha256').update(body).digest('hex') };
    // WHEN sent / THEN refused
    const answer = await sendRaw(ice, { ...raw, body, headers });
    expect(answer.body.Code).toBe('SignatureDoesNotMatch');
  });

  it('rejects a V3 request whose query was changed after signing', async () => {
    // GIVEN a signed query call with one parameter altered
    const raw = await captureSdkRequest(
      { accessKeyId: ice.accessKeyId, accessKeySecret: ice.accessKeySecret },
      { action: 'SubmitIProductionJob', query: COVER },
    );
    const path = raw.path.replace('FunctionName=Cover', 'FunctionName=VideoClip');
    expect(path).not.toBe(raw.path);
    // WHEN sent / THEN refused
    const answer = await sendRaw(ice, { ...raw, path });
    expect(answer.body.Code).toBe('SignatureDoesNotMatch');
  });

  it('rejects a V3 request with an unsigned x-acs- header added', async () => {
    const raw = await capture();
    const answer = await sendRaw(ice, { ...raw, headers: { ...raw.headers, 'x-acs-extra': '1' } });
    expect(answer.statusCode).toBe(400);
    expect(answer.body.Code).toBe('IncompleteSignature');
    expect(answer.body.Message).toMatch(/x-acs-extra/);
  });

  it('rejects a request without any signature', async () => {
    const raw = await capture();
    const { authorization: _dropped, ...headers } = raw.headers;
    const answer = await sendRaw(ice, { ...raw, headers });
    expect(answer.body.Code).toBe('IncompleteSignature');
  });
});

describe('clock skew', () => {
  it.each([
    ['16 minutes ahead', 16 * 60 * 1000, 'InvalidTimeStamp.Expired'],
    ['16 minutes behind', -16 * 60 * 1000, 'InvalidTimeStamp.Expired'],
    ['14 minutes ahead', 14 * 60 * 1000, undefined],
  ])('a server clock %s of the client', async (_name, offsetMs, code) => {
    // GIVEN a server whose clock is off by offsetMs
    const clock = manualClock(Date.now() + offsetMs);
    const ice = await startLocalIce({ now: clock.now });
    try {
      for (const overrides of [{}, { signatureAlgorithm: 'v2' }]) {
        // WHEN a correctly signed call arrives
        const call = sdkCall(sdkClient(ice, overrides), { action: 'SubmitIProductionJob', version: MTS_VERSION, query: { FunctionName: 'Cover', JobParams: '{}' } });
        if (code === undefined) {
          // THEN within ±15 minutes it is accepted
          expect((await call).statusCode).toBe(200);
        } else {
          // THEN beyond it the timestamp is refused
          const err = await sdkError(call);
          expect(err.code).toBe(code);
          expect(err.statusCode).toBe(400);
        }
      }
    } finally {
      await ice.close();
    }
  });
});
