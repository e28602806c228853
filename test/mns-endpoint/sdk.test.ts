/* eslint-disable @typescript-eslint/no-explicit-any */
import { DEFAULT_MNS_STS_KEY, LocalMns, startLocalMns } from './server';
import { manualClock } from '../endpoint/clock';

// The official SDK, unchanged, over loopback (lib/client.js, as FACTS.md says to use).
const MNS: any = require('@alicloud/mns/lib/client.js');

let mns: LocalMns;
let clock: ReturnType<typeof manualClock>;

function sdk(extra: Record<string, unknown> = {}): any {
  return new MNS(mns.accountId, { accessKeyId: mns.accessKeyId, accessKeySecret: mns.accessKeySecret, endpoint: mns.endpoint, ...extra });
}

beforeEach(async () => {
  clock = manualClock(Date.now());
  // A long poll's second lasts 20 ms here: tests never wait whole seconds, and a poll still answers at once.
  mns = await startLocalMns({ now: clock.now, msPerWaitSecond: 20 });
});

afterEach(async () => {
  await mns.close();
});

describe('local MNS endpoint driven by @alicloud/mns: queues', () => {
  it('creates a queue (201, then 204 when identical, QueueAlreadyExist 409 when different) and reads its attributes', async () => {
    const client = sdk();
    const created = await client.createQueue('jobs', { VisibilityTimeout: 60 });
    const same = await client.createQueue('jobs', { VisibilityTimeout: 60 });
    const clash = await client.createQueue('jobs', { VisibilityTimeout: 5 }).catch((e: any) => e);
    const attrs = await client.getQueueAttributes('jobs');
    expect(created.code).toBe(201);
    expect(created.headers.location).toMatch(/\/queues\/jobs$/);
    expect(same.code).toBe(204);
    expect(clash.name).toBe('MNSQueueAlreadyExistError');
    expect(attrs.body).toMatchObject({ QueueName: 'jobs', VisibilityTimeout: '60', ActiveMessages: '0' });
  });

  it('sends, receives with a single-use handle, and deletes; an empty queue answers 404 MessageNotExist', async () => {
    const client = sdk();
    mns.createQueue('q');
    const sent = await client.sendMessage('q', { MessageBody: 'aGVsbG8=' });
    const got = await client.receiveMessage('q');
    const empty = await client.receiveMessage('q').catch((e: any) => e);
    await client.deleteMessage('q', got.body.ReceiptHandle);
    const again = await client.deleteMessage('q', got.body.ReceiptHandle).catch((e: any) => e);
    expect(sent.code).toBe(201);
    expect(got.body).toMatchObject({ MessageId: sent.body.MessageId, MessageBody: 'aGVsbG8=', MessageBodyMD5: sent.body.MessageBodyMD5, DequeueCount: '1' });
    expect(empty.name).toBe('MNSMessageNotExistError');
    expect(empty.message).toMatch(/failed with 404/);
    expect(again.name).toBe('MNSMessageNotExistError');
    expect(mns.messages('q')).toEqual([]);
  });

  it('hides a received message for the visibility timeout, then delivers it again with a new handle; the old handle is refused', async () => {
    const client = sdk();
    mns.createQueue('q', { visibilityTimeout: 30 });
    await client.sendMessage('q', { MessageBody: 'b25l' });
    const first = await client.receiveMessage('q');
    const hidden = await client.receiveMessage('q').catch((e: any) => e);
    clock.advance(30_000);
    const second = await client.receiveMessage('q');
    const stale = await client.deleteMessage('q', first.body.ReceiptHandle).catch((e: any) => e);
    expect(hidden.name).toBe('MNSMessageNotExistError');
    expect(second.body).toMatchObject({ MessageId: first.body.MessageId, DequeueCount: '2' });
    expect(second.body.ReceiptHandle).not.toBe(first.body.ReceiptHandle);
    expect(stale.name).toBe('MNSReceiptHandleErrorError');
  });

  it('changes visibility: a new handle replaces the old one, and the message stays hidden that long', async () => {
    const client = sdk();
    mns.createQueue('q', { visibilityTimeout: 10 });
    await client.sendMessage('q', { MessageBody: 'eA==' });
    const got = await client.receiveMessage('q');
    const changed = await client.changeMessageVisibility('q', got.body.ReceiptHandle, 100);
    clock.advance(50_000);
    const stillHidden = await client.receiveMessage('q').catch((e: any) => e);
    const old = await client.deleteMessage('q', got.body.ReceiptHandle).catch((e: any) => e);
    await client.deleteMessage('q', changed.body.ReceiptHandle);
    expect(changed.body.NextVisibleTime).toBe(String(clock.now() - 50_000 + 100_000));
    expect(stillHidden.name).toBe('MNSMessageNotExistError');
    expect(old.name).toBe('MNSReceiptHandleErrorError');
    expect(mns.messages('q')).toEqual([]);
  });

  it('long polling answers as soon as a message arrives, and with 404 when the wait ends', async () => {
    const client = sdk();
    mns.createQueue('q');
    const polling = client.receiveMessage('q', 30);
    await new Promise((r) => setImmediate(r));
    await client.sendMessage('q', { MessageBody: 'bGF0ZQ==' });
    const got = await polling;
    const nothing = await client.receiveMessage('q', 1).catch((e: any) => e);
    expect(got.body.MessageBody).toBe('bGF0ZQ==');
    expect(nothing.name).toBe('MNSMessageNotExistError');
    expect(mns.stats.ReceiveMessage).toMatchObject({ received: 2, ok: 1, failed: 1 });
  });

  it('batch-receives up to numOfMessages and refuses waitseconds above 30', async () => {
    const client = sdk();
    mns.createQueue('q');
    for (const body of ['YQ==', 'Yg==', 'Yw==']) {
      await client.sendMessage('q', { MessageBody: body });
    }
    const batch = await client.batchReceiveMessage('q', 2);
    const rest = await client.batchReceiveMessage('q', 16);
    const tooLong = await client.receiveMessage('q', 31).catch((e: any) => e);
    expect(batch.body.map((m: any) => m.MessageBody)).toEqual(['YQ==', 'Yg==']);
    expect(rest.body.map((m: any) => m.MessageBody)).toEqual(['Yw==']);
    expect(tooLong.name).toBe('MNSInvalidArgumentError');
  });

  it('honours DelaySeconds', async () => {
    const client = sdk();
    mns.createQueue('q');
    await client.sendMessage('q', { MessageBody: 'ZA==', DelaySeconds: 5 });
    const early = await client.receiveMessage('q').catch((e: any) => e);
    clock.advance(5000);
    const late = await client.receiveMessage('q');
    expect(early.name).toBe('MNSMessageNotExistError');
    expect(late.body.MessageBody).toBe('ZA==');
  });

  it('answers QueueNotExist 404 for a missing queue and MalformedXML for an unescaped body', async () => {
    const client = sdk();
    mns.createQueue('q');
    const missing = await client.sendMessage('nope', { MessageBody: 'eA==' }).catch((e: any) => e);
    const raw = await client.sendMessage('q', { MessageBody: 'a < b & c' }).catch((e: any) => e);
    expect(missing.name).toBe('MNSQueueNotExistError');
    expect(raw.name).toBe('MNSMalformedXMLError');
  });
});

describe('topics', () => {
  it('fans a publish out to subscribed queues in each NotifyContentFormat, honouring FilterTag, and records it', async () => {
    const client = sdk();
    await client.createTopic('results');
    for (const q of ['simple', 'json', 'xml', 'tagged']) {
      mns.createQueue(q);
    }
    mns.subscribe({ topic: 'results', name: 's1', queue: 'simple', notifyContentFormat: 'SIMPLIFIED' });
    mns.subscribe({ topic: 'results', name: 's2', queue: 'json', notifyContentFormat: 'JSON' });
    mns.subscribe({ topic: 'results', name: 's3', queue: 'xml' });
    mns.subscribe({ topic: 'results', name: 's4', queue: 'tagged', notifyContentFormat: 'SIMPLIFIED', filterTag: 'urgent' });
    const published = await client.publishMessage('results', { MessageBody: 'eyJhIjoxfQ==' });
    const simple = await client.receiveMessage('simple');
    const json = JSON.parse((await client.receiveMessage('json')).body.MessageBody);
    const xml = (await client.receiveMessage('xml')).body.MessageBody;
    const tagged = await client.receiveMessage('tagged').catch((e: any) => e);
    expect(published.code).toBe(201);
    expect(simple.body.MessageBody).toBe('eyJhIjoxfQ==');
    expect(json).toMatchObject({ TopicName: 'results', SubscriptionName: 's2', Message: 'eyJhIjoxfQ==', MessageId: published.body.MessageId });
    expect(xml).toContain('<Message>eyJhIjoxfQ==</Message>');
    expect(tagged.name).toBe('MNSMessageNotExistError');
    expect(mns.published('results')).toEqual([expect.objectContaining({ messageId: published.body.MessageId, body: 'eyJhIjoxfQ==' })]);
  });

  it('answers TopicNotExist for a missing topic', async () => {
    const err = await sdk().publishMessage('none', { MessageBody: 'eA==' }).catch((e: any) => e);
    expect(err.name).toBe('MNSTopicNotExistError');
  });
});

describe('authentication', () => {
  it('refuses a wrong secret (SignatureDoesNotMatch), an unknown key (InvalidAccessKeyId), and an STS key without its token', async () => {
    mns.createQueue('q');
    const wrong = await sdk({ accessKeySecret: 'nope' }).sendMessage('q', { MessageBody: 'eA==' }).catch((e: any) => e);
    const unknown = await sdk({ accessKeyId: 'LTAInobody' }).sendMessage('q', { MessageBody: 'eA==' }).catch((e: any) => e);
    const sts = { accessKeyId: DEFAULT_MNS_STS_KEY.accessKeyId, accessKeySecret: DEFAULT_MNS_STS_KEY.accessKeySecret };
    const noToken = await sdk(sts).sendMessage('q', { MessageBody: 'eA==' }).catch((e: any) => e);
    const ok = await sdk({ ...sts, securityToken: DEFAULT_MNS_STS_KEY.securityToken }).sendMessage('q', { MessageBody: 'eA==' });
    expect(wrong.name).toBe('MNSSignatureDoesNotMatchError');
    expect(unknown.name).toBe('MNSInvalidAccessKeyIdError');
    expect(noToken.name).toBe('MNSAccessDeniedError');
    expect(ok.code).toBe(201);
    expect(mns.messages('q')).toHaveLength(1);
  });

  it('refuses a request whose Date is past the skew window (TimeExpired)', async () => {
    mns.createQueue('q');
    clock.advance(16 * 60 * 1000);
    const err = await sdk().sendMessage('q', { MessageBody: 'eA==' }).catch((e: any) => e);
    expect(err.name).toBe('MNSTimeExpiredError');
  });
});

describe('fault injection', () => {
  it('a reset after the send landed leaves the message queued while the SDK sees a network error', async () => {
    mns.createQueue('q');
    mns.setFault({ kind: 'reset-after', operation: 'SendMessage', count: 1 });
    const err = await sdk().sendMessage('q', { MessageBody: 'eA==' }).catch((e: any) => e);
    expect(err.code).toBe('ECONNRESET');
    expect(mns.messages('q')).toHaveLength(1);
  });

  it('a 503 sends nothing', async () => {
    mns.createQueue('q');
    mns.setFault({ kind: 'status-503', operation: 'SendMessage', count: 1 });
    const err = await sdk().sendMessage('q', { MessageBody: 'eA==' }).catch((e: any) => e);
    expect(err.name).toBe('MNSServiceUnavailableError');
    expect(mns.messages('q')).toEqual([]);
  });

  it('refuses a malformed fault', () => {
    expect(() => mns.setFault({ kind: 'latency' })).toThrow(/latencyMs must be a finite number >= 0/);
  });
});
