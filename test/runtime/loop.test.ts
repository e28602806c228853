import { IProductionClient } from '../../lib/runtime/client';
import type { RuntimeSettings } from '../../lib/runtime/handler-settings';
import { fillRequest, isSweepEvent, Loop, loopConfigFromEnv, matchRoute, parseOssEvent, tokenOf, withToken, type LoopConfig } from '../../lib/runtime/loop';
import { DEFAULT_STS_KEY, startLocalIce, type LocalIce } from '../endpoint';
import { startLocalMns, type LocalMns } from '../mns-endpoint';
import { startLocalOts, type LocalOts } from '../ots-endpoint';
import { decodeEnvelope } from '../../lib/runtime/mns';

const KEY = { accessKeyId: 'LTAIloopunit', accessKeySecret: 'loop-unit-secret' };

const config: LoopConfig = {
  routes: [
    { prefix: 'input/video/', suffixes: ['.mp4'], preset: 'cover' },
    { prefix: 'input/broken/', preset: 'missing' },
    { prefix: 'input/bad/', preset: 'bad' },
  ],
  instance: 'looptest',
  table: 'iprod_jobs',
  topic: 'loop-results',
  reconcileWindowSeconds: 1,
};
const presets = {
  cover: { FunctionName: 'Cover', Output: { Type: 'OSS', Media: 'oss://media-out/output/{objectName}/cover-{sequenceId}.png' } },
  bad: { FunctionName: 'NoSuchFunction', Output: { Type: 'OSS', Media: 'oss://media-out/o.png' } },
};

const upload = (key: string, eTag = 'E1') => ({ events: [{ eventName: 'ObjectCreated:PutObject', oss: { bucket: { name: 'media-in' }, object: { key, eTag } } }] });

describe('loop: pure parts', () => {
  it('GIVEN an OSS event with a percent-encoded key THEN the upload carries the decoded key and the ETag; other events are not uploads', () => {
    expect(parseOssEvent(upload('input/video/my%20clip.mp4'))).toEqual([{ bucket: 'media-in', key: 'input/video/my clip.mp4', version: 'E1' }]);
    expect(parseOssEvent({ action: 'submit' })).toBeUndefined();
    expect(isSweepEvent({ triggerName: 't', payload: '{"loop":"sweep"}' })).toBe(true);
    expect(isSweepEvent({ triggerName: 't', payload: '{"jobIds":[]}' })).toBe(false);
  });

  it('GIVEN routes THEN prefix and suffix (case-sensitive, as the OSS trigger filter) choose the route, and the preset is filled with the object', () => {
    expect(matchRoute(config.routes, 'input/video/a.mp4')?.preset).toBe('cover');
    expect(matchRoute(config.routes, 'input/video/a.MP4')).toBeUndefined();
    expect(matchRoute(config.routes, 'input/video/a.mov')).toBeUndefined();
    expect(fillRequest(presets.cover, { bucket: 'in', key: 'input/video/a b.mp4', version: 'E' }, 'ice')).toEqual({
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: 'oss://in/input/video/a b.mp4' },
      Output: { Type: 'OSS', Media: 'oss://media-out/output/a b/cover-{sequenceId}.png' },
    });
  });

  it('GIVEN UserData THEN the token merges in, round-trips, and a result over the service limit is refused naming the limit', () => {
    const merged = withToken(JSON.stringify({ team: 'a' }), 'abc.1', 'ice');
    expect(merged.ok).toBe(true);
    const text = (merged as { value: string }).value;
    expect(JSON.parse(text)).toEqual({ team: 'a', iprodToken: 'abc.1' });
    expect(tokenOf(text)).toBe('abc.1');
    expect(withToken({ big: 'x'.repeat(600) }, 'abc.1', 'ice')).toEqual({ ok: false, reason: expect.stringMatching(/must be at most \d+ /) });
    expect(withToken('not json', 'abc.1', 'ice')).toEqual({ ok: false, reason: expect.stringContaining('must be a JSON object') });
  });

  it('GIVEN IPROD_LOOP values THEN a broken one is refused naming the field and the value', () => {
    expect(loopConfigFromEnv({})).toBeUndefined();
    expect(loopConfigFromEnv({ IPROD_LOOP: '{' })).toEqual({ error: expect.stringContaining('IPROD_LOOP must be JSON') });
    expect(loopConfigFromEnv({ IPROD_LOOP: JSON.stringify({ ...config, routes: [] }) })).toEqual({ error: expect.stringContaining('IPROD_LOOP.routes must be a non-empty array') });
    expect(loopConfigFromEnv({ IPROD_LOOP: JSON.stringify({ ...config, table: 7 }) })).toEqual({ error: 'IPROD_LOOP.table must be a non-empty string, got 7' });
    expect(loopConfigFromEnv({ IPROD_LOOP: JSON.stringify({ ...config, reconcileWindowSeconds: 0 }) })).toEqual({ error: 'IPROD_LOOP.reconcileWindowSeconds must be a number above 0, got 0' });
    expect(loopConfigFromEnv({ IPROD_LOOP: JSON.stringify(config) })).toEqual(config);
  });
});

describe('loop over the local endpoints', () => {
  let ice: LocalIce;
  let ots: LocalOts;
  let mns: LocalMns;
  let clock: number;
  let loop: Loop;

  const makeLoop = (c: LoopConfig, extra: Partial<RuntimeSettings> = {}, sleep?: (ms: number) => Promise<void>): Loop => {
    const settings: RuntimeSettings = { region: 'cn-shanghai', api: 'ice', endpoint: ice.endpoint, protocol: 'http', credential: KEY, ...extra };
    // No resends: each test sets the one answer the service gives.
    const client = new IProductionClient({ region: 'cn-shanghai', api: 'ice', endpoint: ice.endpoint, protocol: 'http', credential: KEY, now: () => clock, retry: { retries: 0 } });
    return new Loop(c, { settings, client, presets, env: { OTS_ENDPOINT: ots.endpoint, MNS_ENDPOINT: mns.endpoint }, accountId: mns.accountId, now: () => clock, ...(sleep ? { sleep } : {}) });
  };

  beforeEach(async () => {
    clock = Date.now();
    ice = await startLocalIce({ accessKeys: [KEY, DEFAULT_STS_KEY], timing: { queuingMs: 10, runningMs: 20 }, now: () => clock });
    ots = await startLocalOts({ accessKeys: [KEY], instanceName: config.instance });
    mns = await startLocalMns({ accessKeys: [KEY] });
    mns.createTopic('loop-results');
    loop = makeLoop(config);
    await loop.ledger.ensureTable();
  });
  afterEach(async () => {
    await ice.close();
    await ots.close();
    await mns.close();
  });

  it('GIVEN the same upload twice THEN one row and one job whose UserData carries the row token', async () => {
    const [u] = parseOssEvent(upload('input/video/a.mp4'))!;
    const first = await loop.onUpload(u);
    const second = await loop.onUpload(u);
    expect([first, (await loop.ledger.get(first.id!))?.reason]).toEqual([{ id: expect.any(String), state: 'Submitted' }, undefined]);
    expect(second).toEqual({ id: first.id, state: 'Submitted' });
    expect(ice.jobs).toHaveLength(1);
    expect(tokenOf(ice.jobs[0].params.UserData)).toBe(`${first.id}.1`);
  });

  it('GIVEN a route naming a missing preset, or a preset the validator refuses THEN the row is Rejected with the reason and delivered', async () => {
    const missing = await loop.onUpload({ bucket: 'in', key: 'input/broken/x.mp4', version: 'E' });
    const bad = await loop.onUpload({ bucket: 'in', key: 'input/bad/x.mp4', version: 'E' });
    expect([missing.state, bad.state]).toEqual(['Rejected', 'Rejected']);
    const rows = await Promise.all([loop.ledger.get(missing.id!), loop.ledger.get(bad.id!)]);
    expect(rows[0]).toMatchObject({ state: 'Rejected', delivered: true, reason: expect.stringContaining('"missing"') });
    expect(rows[1]).toMatchObject({ state: 'Rejected', delivered: true, reason: expect.stringContaining('FunctionName') });
    expect(ice.jobs).toHaveLength(0);
    const published = mns.published('loop-results').map((m) => decodeEnvelope(m.body));
    expect(published.map((e) => e?.dedupeId).sort()).toEqual([missing.id, bad.id].sort());
  });

  it('GIVEN a submitted job that finished THEN the sweep queries it, records the typed result and publishes it once', async () => {
    const done = await loop.onUpload({ bucket: 'media-in', key: 'input/video/b.mp4', version: 'E' });
    clock += 100; // past the local job's 30 ms
    const swept = await loop.sweep();
    await loop.sweep();
    const row = await loop.ledger.get(done.id!);
    expect(swept.states).toEqual({ Success: 1 });
    expect(row).toMatchObject({ state: 'Success', delivered: true, open: false, status: 'Success' });
    expect(JSON.parse(row!.result!)).toMatchObject({ JobId: row!.jobId, Status: 'Success' });
    expect(mns.published('loop-results')).toHaveLength(1);
  });

  it('GIVEN a finished job THEN its result is published first and recorded with its delivery in one write; a failed publish leaves it recorded and undelivered until the next pass', async () => {
    // GIVEN a results topic that does not exist yet (a permanent TopicNotExist: no resends)
    const late = makeLoop({ ...config, topic: 'late-results' });
    const done = await late.onUpload({ bucket: 'media-in', key: 'input/video/w.mp4', version: 'E' });
    clock += 100;
    const writes = ots.stats.UpdateRow.received;
    await late.sweep();
    // THEN the result is on the row, not yet delivered, in one write
    expect(await loop.ledger.get(done.id!)).toMatchObject({ state: 'Success', delivered: false, open: true });
    expect(ots.stats.UpdateRow.received - writes).toBe(1);
    expect(mns.published('late-results')).toHaveLength(0);
    // WHEN the next pass runs once the topic exists
    mns.createTopic('late-results');
    await late.sweep();
    // THEN it is published once and marked delivered
    expect(await loop.ledger.get(done.id!)).toMatchObject({ state: 'Success', delivered: true, open: false });
    expect(mns.published('late-results')).toHaveLength(1);
    // AND a job that finishes with the topic up costs one write for result and delivery together
    const second = await loop.onUpload({ bucket: 'media-in', key: 'input/video/w2.mp4', version: 'E' });
    clock += 100;
    const before = ots.stats.UpdateRow.received;
    await loop.sweep();
    expect(await loop.ledger.get(second.id!)).toMatchObject({ state: 'Success', delivered: true, open: false, status: 'Success' });
    expect(ots.stats.UpdateRow.received - before).toBe(1);
    expect(mns.published('loop-results')).toHaveLength(1);
  });

  it('GIVEN ICE callbacks in the ice-callback queue THEN a sweep tick drains them, settles the named job and deletes the messages', async () => {
    mns.createQueue('ice-callback-loop');
    const withQueue = makeLoop({ ...config, callbackQueue: 'ice-callback-loop' });
    const done = await withQueue.onUpload({ bucket: 'media-in', key: 'input/video/d.mp4', version: 'E' });
    clock += 100;
    const jobId = (await withQueue.ledger.get(done.id!))!.jobId!;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const MnsClient = require('@alicloud/mns/lib/client.js');
    const sdk = new MnsClient(mns.accountId, { ...KEY, endpoint: mns.endpoint, region: 'cn-shanghai' });
    await sdk.sendMessage('ice-callback-loop', { MessageBody: JSON.stringify({ EventType: 'AIProduceComplete', MessageBody: JSON.stringify({ JobId: jobId }) }) });
    const swept = await withQueue.sweep();
    expect(swept.callbacks).toBe(1);
    expect(await withQueue.ledger.get(done.id!)).toMatchObject({ state: 'Success', delivered: true });
    expect(mns.messages('ice-callback-loop')).toHaveLength(0);
    // AND while callbacks flow, the sweep polls a job only once its callback is late: 16 s after the submit
    const next = await withQueue.onUpload({ bucket: 'media-in', key: 'input/video/d2.mp4', version: 'E' });
    clock += 100;
    const queries = ice.stats.actions.QueryIProductionJob.received;
    expect((await withQueue.sweep()).states).toEqual({ Submitted: 1 });
    expect(ice.stats.actions.QueryIProductionJob.received).toBe(queries);
    clock += 16_000;
    expect((await withQueue.sweep()).states).toEqual({ Success: 1 });
    expect(ice.stats.actions.QueryIProductionJob.received).toBe(queries + 1);
    expect(await withQueue.ledger.get(next.id!)).toMatchObject({ state: 'Success', delivered: true });
  });

  it('GIVEN a callback queue that cannot be read THEN the sweep still settles what its passes find, then fails naming the queue error (FC retries it)', async () => {
    const broken = makeLoop({ ...config, callbackQueue: 'ice-callback-gone' });
    const done = await broken.onUpload({ bucket: 'media-in', key: 'input/video/q.mp4', version: 'E' });
    clock += 100;
    await expect(broken.sweep()).rejects.toThrow(/QueueNotExist/);
    expect(await broken.ledger.get(done.id!)).toMatchObject({ state: 'Success', delivered: true });
  });

  it('GIVEN a row left Submitting (crash between claim and send) THEN it stays within the window and ends Unknown after it, delivered', async () => {
    const { row } = await loop.ledger.record({ bucket: 'media-in', objectKey: 'input/video/c.mp4', version: 'E', preset: 'cover' }, { request: {} });
    await loop.ledger.claimSubmit(row);
    expect((await loop.sweep()).states).toEqual({ Submitting: 1 });
    clock += 1001;
    expect((await loop.sweep()).states).toEqual({ Unknown: 1 });
    expect(await loop.ledger.get(row.id)).toMatchObject({ state: 'Unknown', delivered: true, reason: expect.stringContaining(`${row.id}.1`) });
    expect(ice.jobs).toHaveLength(0);
  });

  it('GIVEN the service answers a submit without taking it (503) THEN the row is marked NotAccepted and the next sweep sends a new attempt: one job', async () => {
    ice.setFault({ action: 'SubmitIProductionJob', kind: 'status-503', count: 1 });
    const first = await loop.onUpload({ bucket: 'media-in', key: 'input/video/n.mp4', version: 'E' });
    expect(first.state).toBe('Submitting');
    expect(await loop.ledger.get(first.id!)).toMatchObject({ state: 'Submitting', errorCode: 'NotAccepted', attempts: 1 });
    expect(ice.jobs).toHaveLength(0);
    // WHEN
    const swept = await loop.sweep();
    // THEN
    expect(swept.states).toEqual({ Submitted: 1 });
    const row = await loop.ledger.get(first.id!);
    expect(row).toMatchObject({ state: 'Submitted', attempts: 2 });
    expect(row!.errorCode).toBeUndefined();
    expect(ice.jobs.map((j) => tokenOf(j.params.UserData))).toEqual([`${first.id}.2`]);
  });

  it('GIVEN a submit whose answer is lost (reset after the service took it) THEN the row waits, and the notification carrying its token settles it: one job, no resend', async () => {
    ice.setFault({ action: 'SubmitIProductionJob', kind: 'reset-after', count: 1 });
    const up = await loop.onUpload({ bucket: 'media-in', key: 'input/video/r.mp4', version: 'E' });
    expect(up.state).toBe('Submitting');
    expect(ice.jobs).toHaveLength(1);
    clock += 100;
    // WHEN the completion notification names the job
    const { row } = await loop.onJobNotification(ice.jobs[0].jobId);
    // THEN
    expect(row).toMatchObject({ state: 'Success', delivered: true, jobId: ice.jobs[0].jobId });
    clock += 5_000; // far past the window: nothing left to do
    expect((await loop.sweep()).seen).toBe(0);
    expect(ice.jobs).toHaveLength(1);
  });

  it("GIVEN a preset that chose 'resubmit' and a submit of unknown outcome THEN after the window it is sent again with a new token", async () => {
    const resubmitting = makeLoop({ ...config, resubmitOnUnknown: ['cover'] });
    ice.setFault({ action: 'SubmitIProductionJob', kind: 'reset-before', count: 1 });
    const up = await resubmitting.onUpload({ bucket: 'media-in', key: 'input/video/u.mp4', version: 'E' });
    expect(up.state).toBe('Submitting');
    expect((await resubmitting.sweep()).states).toEqual({ Submitting: 1 });
    clock += 1001;
    // WHEN
    const swept = await resubmitting.sweep();
    // THEN
    expect(swept.states).toEqual({ Submitted: 1 });
    expect(ice.jobs.map((j) => tokenOf(j.params.UserData))).toEqual([`${up.id}.2`]);
  });

  it('GIVEN a deployment scoped to other functions THEN the upload is Rejected as the handler would refuse it, naming the rule, and nothing is submitted', async () => {
    const scoped = makeLoop(config, { scope: { functions: ['VideoClip'] } });
    const up = await scoped.onUpload({ bucket: 'media-in', key: 'input/video/s.mp4', version: 'E' });
    expect(up.state).toBe('Rejected');
    expect(await scoped.ledger.get(up.id!)).toMatchObject({ errorCode: 'RequestRefused', reason: expect.stringMatching(/^refused by rule functions: .*"Cover"/), delivered: true });
    expect(ice.jobs).toHaveLength(0);
  });

  it('GIVEN deployment UserData tags THEN the job carries the tags and the token, and a preset setting iprodToken itself is Rejected', async () => {
    const tagged = makeLoop(config, { userDataTags: { team: 'media' } });
    const up = await tagged.onUpload({ bucket: 'media-in', key: 'input/video/t.mp4', version: 'E' });
    expect(JSON.parse(ice.jobs[0].params.UserData)).toEqual({ team: 'media', iprodToken: `${up.id}.1` });
    const sneaky = makeLoop(config, { userDataTags: { iprodToken: 'mine' } });
    const bad = await sneaky.onUpload({ bucket: 'media-in', key: 'input/video/t2.mp4', version: 'E' });
    expect(await sneaky.ledger.get(bad.id!)).toMatchObject({ state: 'Rejected', errorCode: 'InvalidRequest', reason: expect.stringContaining('iprodToken is reserved') });
  });

  it('GIVEN sweepSeconds THEN one sweep keeps passing over its rows between pauses and settles a job that ends during it', async () => {
    // GIVEN a sweep that works 5 s, pausing on a virtual clock
    const long = makeLoop({ ...config, sweepSeconds: 5 }, {}, async (ms) => {
      clock += ms;
    });
    const up = await long.onUpload({ bucket: 'media-in', key: 'input/video/l.mp4', version: 'E' });
    // WHEN the job is still queuing at the sweep's first pass
    const swept = await long.sweep();
    // THEN a later pass of the same sweep found it finished, and the sweep ended when its time was up
    expect(swept.passes).toBeGreaterThan(1);
    expect(swept.states).toEqual({ Success: 1 });
    expect(await long.ledger.get(up.id!)).toMatchObject({ state: 'Success', delivered: true });
    expect(mns.published('loop-results')).toHaveLength(1);
  });

  it('GIVEN a long sweep and a callback queue THEN a callback that arrives mid-sweep is settled by the sweep\'s consumer during the sweep, with one query', async () => {
    // GIVEN a long-poll second that lasts 20 ms, and a sweep of 5 s whose passes pause on the virtual clock
    await mns.close();
    mns = await startLocalMns({ accessKeys: [KEY], msPerWaitSecond: 20 });
    mns.createTopic('loop-results');
    mns.createQueue('ice-callback-loop');
    let sent: Promise<unknown> | undefined;
    const long = makeLoop({ ...config, callbackQueue: 'ice-callback-loop', sweepSeconds: 5 }, {}, async (ms) => {
      clock += ms;
      await new Promise((resolve) => setTimeout(resolve, 30));
      // after the first pass, ICE reports the job done (its row is not due for a poll for 16 s: callbacks flow)
      sent ??= sdk.sendMessage('ice-callback-loop', { MessageBody: JSON.stringify({ EventType: 'AIProduceComplete', MessageBody: JSON.stringify({ JobId: jobId }) }) });
    });
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const MnsClient = require('@alicloud/mns/lib/client.js');
    const sdk = new MnsClient(mns.accountId, { ...KEY, endpoint: mns.endpoint, region: 'cn-shanghai' });
    // a callback handled earlier: callbacks are flowing, so the passes leave the new row to its callback
    const warm = await long.onUpload({ bucket: 'media-in', key: 'input/video/m0.mp4', version: 'E' });
    clock += 100;
    await sdk.sendMessage('ice-callback-loop', { MessageBody: JSON.stringify({ EventType: 'AIProduceComplete', MessageBody: JSON.stringify({ JobId: (await long.ledger.get(warm.id!))!.jobId }) }) });
    expect(await long.consumeCallbacks(1)).toBe(1);
    const up = await long.onUpload({ bucket: 'media-in', key: 'input/video/m.mp4', version: 'E' });
    const jobId = (await long.ledger.get(up.id!))!.jobId!;
    clock += 100;
    const queries = ice.stats.actions.QueryIProductionJob.received;
    // WHEN the sweep runs and the callback comes during it
    const swept = await long.sweep();
    // THEN the sweep's consumer settled it (one query: the callback's), delivered once, the message deleted
    expect(swept.callbacks).toBe(1);
    expect(ice.stats.actions.QueryIProductionJob.received - queries).toBe(1);
    expect(await long.ledger.get(up.id!)).toMatchObject({ state: 'Success', delivered: true });
    expect(mns.published('loop-results')).toHaveLength(2);
    expect(mns.messages('ice-callback-loop')).toHaveLength(0);
  });
});
