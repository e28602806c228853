import { fillRequest, isSweepEvent, Loop, matchRoute, parseOssEvent, tokenOf, withToken, type LoopConfig } from '../../lib/runtime/loop';
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
  presets: {
    cover: { request: { FunctionName: 'Cover', Input: { Type: 'OSS', Media: 'oss://media-in/x.mp4' }, Output: { Type: 'OSS', Media: 'oss://media-out/output/{objectName}/cover-{sequenceId}.png' } } },
    bad: { request: { FunctionName: 'NoSuchFunction', Output: { Type: 'OSS', Media: 'oss://media-out/o.png' } } },
  },
  instance: 'looptest',
  table: 'iprod_jobs',
  topic: 'loop-results',
  reconcileWindowMs: 1000,
};

const upload = (key: string, eTag = 'E1') => ({ events: [{ eventName: 'ObjectCreated:PutObject', oss: { bucket: { name: 'media-in' }, object: { key, eTag } } }] });

describe('loop: pure parts', () => {
  it('GIVEN an OSS event with a percent-encoded key THEN the upload carries the decoded key and the ETag; other events are not uploads', () => {
    expect(parseOssEvent(upload('input/video/my%20clip.mp4'))).toEqual([{ bucket: 'media-in', key: 'input/video/my clip.mp4', version: 'E1' }]);
    expect(parseOssEvent({ action: 'submit' })).toBeUndefined();
    expect(isSweepEvent({ triggerName: 't', payload: '{"loop":"sweep"}' })).toBe(true);
    expect(isSweepEvent({ triggerName: 't', payload: '{"jobIds":[]}' })).toBe(false);
  });

  it('GIVEN routes THEN prefix and suffix (any case) choose the route, and the preset is filled with the object', () => {
    expect(matchRoute(config.routes, 'input/video/a.MP4')?.preset).toBe('cover');
    expect(matchRoute(config.routes, 'input/video/a.mov')).toBeUndefined();
    expect(fillRequest(config.presets.cover, { bucket: 'in', key: 'input/video/a b.mp4', version: 'E' })).toEqual({
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: 'oss://in/input/video/a b.mp4' },
      Output: { Type: 'OSS', Media: 'oss://media-out/output/a b/cover-{sequenceId}.png' },
    });
  });

  it('GIVEN UserData THEN the token merges in, round-trips, and a result over 256 bytes is refused naming the limit', () => {
    const merged = withToken({ team: 'a' }, 'abc.1') as string;
    expect(JSON.parse(merged)).toEqual({ team: 'a', iprodToken: 'abc.1' });
    expect(tokenOf(merged)).toBe('abc.1');
    expect(withToken({ big: 'x'.repeat(300) }, 'abc.1')).toEqual({ error: expect.stringContaining('at most 256 bytes') });
    expect(withToken('not json', 'abc.1')).toEqual({ error: expect.stringContaining('must be a JSON object') });
  });
});

describe('loop over the local endpoints', () => {
  let ice: LocalIce;
  let ots: LocalOts;
  let mns: LocalMns;
  let clock: number;
  let loop: Loop;

  beforeEach(async () => {
    clock = Date.now();
    ice = await startLocalIce({ accessKeys: [KEY, DEFAULT_STS_KEY], timing: { queuingMs: 10, runningMs: 20 }, now: () => clock });
    ots = await startLocalOts({ accessKeys: [KEY], instanceName: config.instance });
    mns = await startLocalMns({ accessKeys: [KEY] });
    mns.createTopic('loop-results');
    loop = new Loop(
      config,
      { region: 'cn-shanghai', api: 'ice', endpoint: ice.endpoint, protocol: 'http', credential: KEY, accountId: mns.accountId },
      { OTS_ENDPOINT: ots.endpoint, MNS_ENDPOINT: mns.endpoint },
      () => clock,
    );
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

  it('GIVEN ICE callbacks in the ice-callback queue THEN a sweep tick drains them, settles the named job and deletes the messages', async () => {
    mns.createQueue('ice-callback-loop');
    const withQueue = new Loop(
      { ...config, callbackQueue: 'ice-callback-loop' },
      { region: 'cn-shanghai', api: 'ice', endpoint: ice.endpoint, protocol: 'http', credential: KEY, accountId: mns.accountId },
      { OTS_ENDPOINT: ots.endpoint, MNS_ENDPOINT: mns.endpoint },
      () => clock,
    );
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
});
