import { MnsError, MnsOptions, MnsPublisher, MnsQueueConsumer, decodeEnvelope, encodeEnvelope, mnsErrorCode } from '../../lib/runtime/mns';
import { LocalMns, startLocalMns } from '../mns-endpoint';
import { manualClock } from '../endpoint/clock';

let mns: LocalMns;
let clock: ReturnType<typeof manualClock>;
let slept: number[];

function options(): MnsOptions {
  return {
    accountId: mns.accountId,
    endpoint: mns.endpoint,
    credentials: { accessKeyId: mns.accessKeyId, accessKeySecret: mns.accessKeySecret },
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
  };
}

beforeEach(async () => {
  clock = manualClock(Date.now());
  mns = await startLocalMns({ now: clock.now, msPerWaitSecond: 20 });
  slept = [];
  mns.createQueue('ice-callback-jobs', { visibilityTimeout: 30 });
  mns.createTopic('results');
  mns.createQueue('app-inbox');
  mns.subscribe({ topic: 'results', name: 'app', queue: 'app-inbox', notifyContentFormat: 'JSON' });
});

afterEach(async () => {
  await mns.close();
});

describe('MnsPublisher', () => {
  it('publishes {dedupeId, payload} as base64 JSON that survives any characters, and the subscriber decodes it', async () => {
    // GIVEN a payload XML would choke on unescaped
    const publisher = new MnsPublisher({ ...options(), topicName: 'results' });
    const payload = { Status: 'Success', note: 'a < b && "c" — 完成' };
    // WHEN published
    const { messageId } = await publisher.publish({ dedupeId: 'row-1', payload });
    // THEN the topic got base64, and the app's queue yields the same envelope through the JSON notification
    const [sent] = mns.published('results');
    expect(sent.messageId).toBe(messageId);
    expect(sent.body).toBe(encodeEnvelope({ dedupeId: 'row-1', payload }));
    const consumer = new MnsQueueConsumer({ ...options(), queueName: 'app-inbox' });
    const [received] = await consumer.receive();
    expect(decodeEnvelope(received.body)).toEqual({ dedupeId: 'row-1', payload });
  });

  it('resends through a 503 and a reset after the publish landed; the duplicates carry the same dedupeId', async () => {
    mns.setFault({ kind: 'status-503', operation: 'PublishMessage', count: 1 });
    mns.setFault({ kind: 'reset-after', operation: 'PublishMessage', count: 1 });
    const publisher = new MnsPublisher({ ...options(), topicName: 'results' });
    await publisher.publish({ dedupeId: 'row-2', payload: { Status: 'Fail' } });
    const bodies = mns.published('results').map((m) => decodeEnvelope(m.body)?.dedupeId);
    expect(bodies).toEqual(['row-2', 'row-2']);
    expect(slept).toEqual([50, 100]);
    expect(publisher.calls).toEqual({ requests: 3, retries: 2 });
  });

  it('fails permanently on a missing topic and refuses bad input naming the field', async () => {
    const missing = new MnsPublisher({ ...options(), topicName: 'nope' });
    await expect(missing.publish({ dedupeId: 'x', payload: 1 })).rejects.toMatchObject({ kind: 'permanent', code: 'TopicNotExist', statusCode: 404 });
    const publisher = new MnsPublisher({ ...options(), topicName: 'results' });
    await expect(publisher.publish({ dedupeId: '', payload: 1 })).rejects.toThrow(/dedupeId must be a non-empty string, got ""/);
    await expect(publisher.publish({ dedupeId: 'x', payload: 'y'.repeat(50_000) })).rejects.toThrow(/at most 65536 bytes/);
    expect(() => new MnsPublisher({ ...options(), topicName: '9bad' })).toThrow(/topicName must start with a letter/);
    expect(slept).toEqual([]);
  });
});

describe('MnsQueueConsumer', () => {
  async function send(body: string): Promise<void> {
    const raw = new (require('@alicloud/mns/lib/client.js'))(mns.accountId, {
      accessKeyId: mns.accessKeyId,
      accessKeySecret: mns.accessKeySecret,
      endpoint: mns.endpoint,
    });
    await raw.sendMessage('ice-callback-jobs', { MessageBody: body });
  }

  it('answers [] on an empty queue (404 MessageNotExist), and batches up to max', async () => {
    const consumer = new MnsQueueConsumer({ ...options(), queueName: 'ice-callback-jobs' });
    expect(await consumer.receive({ waitSeconds: 1 })).toEqual([]);
    await send('eyJhIjoxfQ==');
    await send('eyJhIjoyfQ==');
    const got = await consumer.receive({ max: 16 });
    expect(got.map((m) => m.body)).toEqual(['eyJhIjoxfQ==', 'eyJhIjoyfQ==']);
    expect(got[0]).toMatchObject({ dequeueCount: 1 });
  });

  it('deletes once: true for the holder (also when resent after a lost answer), false for a stale handle', async () => {
    const consumer = new MnsQueueConsumer({ ...options(), queueName: 'ice-callback-jobs' });
    await send('eA==');
    const [first] = await consumer.receive();
    clock.advance(30_000);
    const [second] = await consumer.receive();
    expect(await consumer.delete(first.receiptHandle)).toBe(false);
    mns.setFault({ kind: 'reset-after', operation: 'DeleteMessage', count: 1 });
    expect(await consumer.delete(second.receiptHandle)).toBe(true);
    expect(mns.messages('ice-callback-jobs')).toEqual([]);
    expect(slept).toEqual([50]);
  });

  it('deletes a batch in one request: true for held and already-deleted handles, false for stale ones, and resends after a lost answer', async () => {
    const consumer = new MnsQueueConsumer({ ...options(), queueName: 'ice-callback-jobs' });
    for (const body of ['YQ==', 'Yg==', 'Yw==', 'ZA==']) await send(body);
    const got = await consumer.receive({ max: 16 });
    expect(got).toHaveLength(4);
    // GIVEN one message deleted already, and one received again (its first handle is stale)
    await consumer.delete(got[0].receiptHandle);
    mns.setFault({ kind: 'reset-after', operation: 'BatchDeleteMessage', count: 1 });
    const before = mns.stats.BatchDeleteMessage.received;
    // WHEN the other three go in one batch whose first answer is lost
    const answers = await consumer.deleteBatch(got.map((m) => m.receiptHandle));
    // THEN the resend answers per handle; nothing is left in the queue
    expect(answers).toEqual([true, true, true, true]);
    expect(mns.stats.BatchDeleteMessage.received - before).toBe(2);
    expect(mns.messages('ice-callback-jobs')).toEqual([]);
    // AND a handle of a message someone received again is stale
    await send('ZQ==');
    const [m] = await consumer.receive();
    clock.advance(30_000);
    const [again] = await consumer.receive();
    await send('Zg==');
    const [other] = await consumer.receive();
    expect(await consumer.deleteBatch([m.receiptHandle, other.receiptHandle])).toEqual([false, true]);
    expect(mns.messages('ice-callback-jobs').map((x) => x.body)).toEqual(['ZQ==']);
    expect(await consumer.deleteBatch([again.receiptHandle])).toEqual([true]);
    expect(await consumer.deleteBatch([])).toEqual([]);
    await expect(consumer.deleteBatch(Array.from({ length: 17 }, () => got[0].receiptHandle))).rejects.toThrow('a batch deletes 1-16 messages, got 17');
  });

  it('extends visibility with a new handle; the old one then counts as stale', async () => {
    const consumer = new MnsQueueConsumer({ ...options(), queueName: 'ice-callback-jobs' });
    await send('eA==');
    const [m] = await consumer.receive();
    const handle = await consumer.changeVisibility(m.receiptHandle, 120);
    clock.advance(60_000);
    expect(await consumer.receive()).toEqual([]);
    expect(await consumer.delete(m.receiptHandle)).toBe(false);
    expect(await consumer.delete(handle!)).toBe(true);
  });

  it('gives up with MnsError(unavailable) when the endpoint keeps failing', async () => {
    mns.setFault({ kind: 'status-500', operation: 'ReceiveMessage' });
    const consumer = new MnsQueueConsumer({ ...options(), retry: { retries: 1 }, queueName: 'ice-callback-jobs' });
    const err = await consumer.receive().catch((e) => e);
    expect(err).toBeInstanceOf(MnsError);
    expect(err).toMatchObject({ kind: 'unavailable', code: 'InternalError', statusCode: 500 });
  });

  it.each([
    [{ max: 17 }, /max must be an integer between 1 and 16, got 17/],
    [{ waitSeconds: 31 }, /waitSeconds must be an integer between 0 and 30, got 31/],
  ])('refuses %j', async (opts, message) => {
    const consumer = new MnsQueueConsumer({ ...options(), queueName: 'ice-callback-jobs' });
    await expect(consumer.receive(opts)).rejects.toThrow(message);
  });
});

describe('helpers', () => {
  it('reads the SDK error name and status, and network codes', () => {
    const sdkError = Object.assign(new Error('GET http://x failed with 404. requestid: 1, hostid: h, message: Message not exist.'), {
      name: 'MNSMessageNotExistError',
    });
    expect(mnsErrorCode(sdkError)).toEqual({ code: 'MessageNotExist', statusCode: 404 });
    expect(mnsErrorCode(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toEqual({ code: 'ECONNRESET' });
  });

  it('decodes an envelope from the XML notification too, and nothing from foreign bodies', () => {
    const b64 = encodeEnvelope({ dedupeId: 'd', payload: [1] });
    expect(decodeEnvelope(`<Notification><Message>${b64}</Message></Notification>`)).toEqual({ dedupeId: 'd', payload: [1] });
    expect(decodeEnvelope('{"jobId":"x","state":"Success"}')).toBeUndefined();
    expect(decodeEnvelope('hello')).toBeUndefined();
  });

  it('refuses bad construction options', () => {
    expect(() => new MnsQueueConsumer({ ...options(), accountId: 'acct', queueName: 'q' })).toThrow(/accountId must be the account's digits, got "acct"/);
    expect(() => new MnsQueueConsumer({ ...options(), endpoint: undefined, queueName: 'q' })).toThrow(/region is required/);
  });
});
