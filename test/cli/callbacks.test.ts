/**
 * `iprod callbacks show|set`: the built CLI (dist/bin/iprod.js) as a child process against the local ICE endpoint
 * over loopback, and the endpoint's GetEventCallback/SetEventCallback through the real SDK.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runBuiltCli as run } from '../support/built-cli';
import { DEFAULT_ACCESS_KEY, startLocalIce, type LocalIce } from '../endpoint';
import { sdkCall, sdkClient, sdkError } from '../endpoint/sdk';



describe('iprod callbacks (built CLI, local ICE endpoint)', () => {
  let ice: LocalIce;
  let env: Record<string, string>;
  const sets = () => ice.stats.actions.SetEventCallback.accepted;

  beforeAll(async () => {
    ice = await startLocalIce({});
    env = {
      PATH: process.env.PATH ?? '',
      HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-home-')),
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ICE_ENDPOINT: ice.endpoint,
      ICE_PROTOCOL: 'http',
      ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY.accessKeySecret,
      IPROD_RETRY_BASE_MS: '1',
    };
  });
  beforeEach(() => ice.reset());
  afterAll(async () => {
    await ice.close();
  });

  it('shows that nothing is set, in text and JSON', async () => {
    const text = await run(['callbacks', 'show'], env);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toBe('cn-shanghai: no event callback is set\n');
    const json = await run(['callbacks', 'show', '--json'], env);
    expect(JSON.parse(json.stdout)).toEqual({ region: 'cn-shanghai', callback: null });
  });

  it('sets an MNS queue, then an identical set is a no-op that sends no SetEventCallback', async () => {
    const first = await run(['callbacks', 'set', '--queue', 'ice-callback-media', '--events', 'AIProduceComplete,ProduceMediaComplete'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe('cn-shanghai: set MNS queue ice-callback-media, events AIProduceComplete,ProduceMediaComplete\n');
    expect(ice.eventCallback()).toEqual({ CallbackType: 'MNS', CallbackQueueName: 'ice-callback-media', EventTypeList: 'AIProduceComplete,ProduceMediaComplete' });
    expect(sets()).toBe(1);

    // Same queue, same events in another order: nothing to do.
    const again = await run(['callbacks', 'set', '--queue', 'ice-callback-media', '--events', 'ProduceMediaComplete,AIProduceComplete', '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ region: 'cn-shanghai', changed: false, callback: { callbackType: 'MNS', queueName: 'ice-callback-media' } });
    expect(sets()).toBe(1);

    const shown = await run(['callbacks', 'show', '--json'], env);
    expect(JSON.parse(shown.stdout).callback).toEqual({ callbackType: 'MNS', queueName: 'ice-callback-media', eventTypes: ['AIProduceComplete', 'ProduceMediaComplete'] });
  });

  it('refuses to replace a different setting without --force, saying what is set and how to overwrite; --force replaces it', async () => {
    await run(['callbacks', 'set', '--queue', 'ice-callback-other-app'], env);
    expect(sets()).toBe(1);

    const refused = await run(['callbacks', 'set', '--queue', 'ice-callback-mine'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already has an event callback (account-wide): MNS queue ice-callback-other-app, events AIProduceComplete');
    expect(refused.stderr).toContain('add --force to replace it');
    expect(ice.eventCallback()?.CallbackQueueName).toBe('ice-callback-other-app');
    expect(sets()).toBe(1);

    // A different event list is a different setting too.
    const events = await run(['callbacks', 'set', '--queue', 'ice-callback-other-app', '--events', 'ProduceMediaComplete'], env);
    expect(events.code).toBe(1);

    const forced = await run(['callbacks', 'set', '--queue', 'ice-callback-mine', '--force', '--json'], env);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({
      changed: true,
      replaced: { queueName: 'ice-callback-other-app' },
      callback: { callbackType: 'MNS', queueName: 'ice-callback-mine', eventTypes: ['AIProduceComplete'] },
    });
    expect(ice.eventCallback()?.CallbackQueueName).toBe('ice-callback-mine');
    expect(sets()).toBe(2);
  });

  it('checks the queue name prefix and the events before any call', async () => {
    const bad = await run(['callbacks', 'set', '--queue', 'my-queue'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--queue: an MNS callback queue must start with "ice-callback-", got "my-queue"');
    const events = await run(['callbacks', 'set', '--queue', 'ice-callback-x', '--events', 'AIProduceComplete,,'], env);
    expect(events.code).toBe(2);
    expect(events.stderr).toContain('--events: each event type must be a name');
    const both = await run(['callbacks', 'set', '--queue', 'ice-callback-x', '--url', 'https://example.com/cb'], env);
    expect(both.code).toBe(2);
    expect(ice.stats.totals.received).toBe(0);
  });

  it('sets an HTTP callback signed with the key from ICE_CALLBACK_AUTH_KEY, never printing the key', async () => {
    const key = 'CallbackKey42';
    const set = await run(['callbacks', 'set', '--url', 'https://app.example.com/ice-events'], { ...env, ICE_CALLBACK_AUTH_KEY: key });
    expect(set.code).toBe(0);
    expect(set.stdout).toBe('cn-shanghai: set HTTP https://app.example.com/ice-events, events AIProduceComplete, auth on (key set)\n');
    expect(ice.eventCallback()).toMatchObject({ CallbackType: 'HTTP', CallbackURL: 'https://app.example.com/ice-events', AuthSwitch: 'on', AuthKey: key });
    const shown = await run(['callbacks', 'show', '--json'], env);
    expect(shown.stdout).not.toContain(key);
    expect(JSON.parse(shown.stdout).callback).toEqual({ callbackType: 'HTTP', url: 'https://app.example.com/ice-events', eventTypes: ['AIProduceComplete'], authSwitch: 'on', authKeySet: true });
  });

  it('says what is missing when no credentials are found, and refuses --api mts', async () => {
    const noKeys = { ...env };
    delete noKeys.ALIBABA_CLOUD_ACCESS_KEY_ID;
    delete noKeys.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    const missing = await run(['callbacks', 'show'], noKeys);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/credential/i);
    const mts = await run(['callbacks', 'show', '--api', 'mts'], env);
    expect(mts.code).toBe(2);
    expect(mts.stderr).toContain('callbacks is an ICE setting');
  });
});

describe('the local endpoint: GetEventCallback / SetEventCallback through the SDK', () => {
  let ice: LocalIce;
  beforeAll(async () => {
    ice = await startLocalIce({ region: 'cn-beijing' });
  });
  afterAll(async () => {
    await ice.close();
  });

  it('answers the documented envelope, keeps one setting per region, and refuses a queue outside ice-callback-', async () => {
    const sdk = sdkClient(ice);
    const empty = await sdkCall(sdk, { action: 'GetEventCallback' });
    expect(Object.keys(empty.body)).toEqual(['RequestId']);

    const set = await sdkCall(sdk, { action: 'SetEventCallback', query: { CallbackType: 'MNS', CallbackQueueName: 'ice-callback-b', EventTypeList: 'AIProduceComplete' } });
    expect(set.body).toEqual({ RequestId: expect.any(String), Success: true });
    const got = await sdkCall(sdk, { action: 'GetEventCallback' });
    expect(got.body).toEqual({ RequestId: expect.any(String), CallbackType: 'MNS', CallbackQueueName: 'ice-callback-b', EventTypeList: 'AIProduceComplete' });
    expect(ice.eventCallback('cn-beijing')?.CallbackQueueName).toBe('ice-callback-b');
    expect(ice.eventCallback('cn-shanghai')).toBeUndefined();

    // A request naming another region reads and writes that region's setting.
    await sdkCall(sdk, { action: 'SetEventCallback', query: { RegionId: 'cn-hangzhou', CallbackType: 'MNS', CallbackQueueName: 'ice-callback-h', EventTypeList: 'AIProduceComplete' } });
    expect(ice.eventCallback('cn-hangzhou')?.CallbackQueueName).toBe('ice-callback-h');
    expect(ice.eventCallback()?.CallbackQueueName).toBe('ice-callback-b');

    const bad = await sdkError(sdkCall(sdk, { action: 'SetEventCallback', query: { CallbackType: 'MNS', CallbackQueueName: 'media-events', EventTypeList: 'AIProduceComplete' } }));
    expect(bad).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
    expect(bad.message).toContain('must start with ice-callback-');
    expect(ice.eventCallback()?.CallbackQueueName).toBe('ice-callback-b');
  });
});
