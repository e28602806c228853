import * as fc from 'fast-check';
import { parseEvent, MAX_TIMER_JOB_IDS } from '../../lib/runtime/events';

const JOB = '0123456789abcdef0123456789abcdef';
const json = (o: unknown) => Buffer.from(JSON.stringify(o));
const mpsMessage = { jobId: JOB, requestId: 'R1', type: 'IProduction', state: 'Success', code: '', msg: '' };
const mpsMessagePascal = { JobId: JOB, RequestId: 'R1', Type: 'IProduction', State: 'Fail', Code: 'InvalidInput', Msg: 'bad' };
const iceCallback = { EventType: 'IProductionComplete', UserId: 1, EventTime: '2026-01-01T00:00:00Z', MessageBody: { JobId: JOB, Status: 'Success' } };
const topic = (message: string) => ({
  TopicOwner: '1234', TopicName: 'iprod', Subscriber: '1234', SubscriptionName: 'fc', MessageId: 'M1',
  Message: message, MessageMD5: 'x', PublishTime: 1700000000000,
});

describe('parseEvent', () => {
  it.each([
    ['submit as Buffer', json({ action: 'submit', request: { FunctionName: 'Cover' } }),
      { type: 'invoke', action: 'submit', kind: 'iProduction', request: { FunctionName: 'Cover' } }],
    ['submit as string, mts', JSON.stringify({ action: 'submit', api: 'mts', request: {} }),
      { type: 'invoke', action: 'submit', kind: 'iProduction', api: 'mts', request: {} }],
    ['query as object', { action: 'query', jobId: JOB },
      { type: 'invoke', action: 'query', kind: 'iProduction', jobId: JOB }],
    ['wait with timeout', { action: 'wait', jobId: JOB, timeoutSeconds: 30 },
      { type: 'invoke', action: 'wait', kind: 'iProduction', jobId: JOB, timeoutSeconds: 30 }],
    ['mediaProducing query', { action: 'query', kind: 'mediaProducing', jobId: JOB },
      { type: 'invoke', action: 'query', kind: 'mediaProducing', jobId: JOB }],
    ['Uint8Array', new Uint8Array(json({ action: 'query', jobId: JOB })),
      { type: 'invoke', action: 'query', kind: 'iProduction', jobId: JOB }],
    ['MNS topic JSON, MPS message', json(topic(JSON.stringify(mpsMessage))),
      { type: 'notification', source: 'mns-topic', format: 'mps', kind: 'iProduction', jobId: JOB, reportedState: 'Success',
        messageType: 'IProduction', code: '', message: '', topicName: 'iprod', messageId: 'M1' }],
    ['MNS topic JSON, base64 message', json(topic(Buffer.from(JSON.stringify(mpsMessagePascal)).toString('base64'))),
      { type: 'notification', source: 'mns-topic', format: 'mps', kind: 'iProduction', jobId: JOB, reportedState: 'Fail',
        messageType: 'IProduction', code: 'InvalidInput', message: 'bad', topicName: 'iprod', messageId: 'M1' }],
    ['STREAM raw MPS message', json(mpsMessagePascal),
      { type: 'notification', source: 'stream', format: 'mps', kind: 'iProduction', jobId: JOB, reportedState: 'Fail',
        messageType: 'IProduction', code: 'InvalidInput', message: 'bad' }],
    ['STREAM {body, attrs}', json({ body: JSON.stringify(mpsMessage), attrs: {} }),
      { type: 'notification', source: 'stream', format: 'mps', kind: 'iProduction', jobId: JOB, reportedState: 'Success',
        messageType: 'IProduction', code: '', message: '' }],
    ['ICE callback', json(iceCallback),
      { type: 'notification', source: 'stream', format: 'ice', kind: 'iProduction', jobId: JOB, reportedState: 'Success',
        messageType: 'IProductionComplete' }],
    ['ICE ProduceMediaComplete in a topic', json(topic(JSON.stringify({ EventType: 'ProduceMediaComplete', MessageBody: JSON.stringify({ JobId: JOB, Status: 'Failed', ErrorCode: 'E1' }) }))),
      { type: 'notification', source: 'mns-topic', format: 'ice', kind: 'mediaProducing', jobId: JOB, reportedState: 'Failed',
        messageType: 'ProduceMediaComplete', code: 'E1', topicName: 'iprod', messageId: 'M1' }],
    ['timer without payload', { triggerTime: '2026-01-01T00:00:00Z', triggerName: 't', payload: '' },
      { type: 'timer', triggerTime: '2026-01-01T00:00:00Z', triggerName: 't', kind: 'iProduction', jobIds: [] }],
    ['timer with job ids', json({ triggerTime: 'T', triggerName: 't', payload: JSON.stringify({ jobIds: [JOB, 'b'], kind: 'mediaProducing' }) }),
      { type: 'timer', triggerTime: 'T', triggerName: 't', kind: 'mediaProducing', jobIds: [JOB, 'b'] }],
    // FC 3.0 shapes ("Formats of event for different triggers", MNS topic triggers; the same on 2.0).
    ['FC 3.0 timer event', json({ triggerTime: '2023-12-26T07:49:00Z', triggerName: 'timer-trigger', payload: JSON.stringify({ jobIds: [JOB] }) }),
      { type: 'timer', triggerTime: '2023-12-26T07:49:00Z', triggerName: 'timer-trigger', kind: 'iProduction', jobIds: [JOB] }],
    ['FC 3.0 MNS topic JSON with message attributes (merged in at the top level) and a tag',
      json({ key: 'value', ...topic(JSON.stringify(mpsMessage)), MessageTag: 'important', PublishTime: 1550216302888 }),
      { type: 'notification', source: 'mns-topic', format: 'mps', kind: 'iProduction', jobId: JOB, reportedState: 'Success',
        messageType: 'IProduction', code: '', message: '', topicName: 'iprod', messageId: 'M1' }],
    ['FC 3.0 MNS topic STREAM with attributes', json({ body: JSON.stringify(mpsMessage), attrs: { Extend: '{"key":"value"}' } }),
      { type: 'notification', source: 'stream', format: 'mps', kind: 'iProduction', jobId: JOB, reportedState: 'Success',
        messageType: 'IProduction', code: '', message: '' }],
    ['preset submit', json({ action: 'submit', preset: 'cover', input: ' oss://in/a.mp4 ' }),
      { type: 'invoke', action: 'submit', kind: 'iProduction', preset: 'cover', input: 'oss://in/a.mp4' }],
  ])('GIVEN %s THEN it is recognised', (_name, raw, expected) => {
    // WHEN
    const parsed = parseEvent(raw);
    // THEN
    expect(parsed).toEqual({ ok: true, event: expected });
  });

  it.each([
    ['not JSON', Buffer.from('{oops'), 'InvalidEvent', /event must be JSON, got "\{oops"/],
    ['empty buffer', Buffer.alloc(0), 'InvalidEvent', /event must be JSON/],
    ['JSON array', json([1]), 'InvalidEvent', /event must be a JSON object, got an array of 1 items/],
    ['JSON null', json(null), 'InvalidEvent', /got null/],
    ['undefined', undefined, 'InvalidEvent', /got undefined/],
    ['number', 42, 'InvalidEvent', /got 42/],
    ['unknown action', { action: 'delete', jobId: JOB }, 'UnknownAction', /action must be one of submit, query, wait, got "delete"/],
    ['action not a string', { action: 7 }, 'UnknownAction', /got 7/],
    ['missing jobId', { action: 'query' }, 'MissingJobId', /jobId must be a non-empty string, got undefined/],
    ['empty jobId', { action: 'wait', jobId: ' ' }, 'InvalidJobId', /jobId must be a non-empty string, got " "/],
    ['jobId with newline', { action: 'query', jobId: 'a\nb' }, 'InvalidJobId', /without whitespace/],
    ['jobId too long', { action: 'query', jobId: 'x'.repeat(129) }, 'InvalidJobId', /at most 128 characters/],
    ['zero timeout', { action: 'wait', jobId: JOB, timeoutSeconds: 0 }, 'InvalidTimeout', /timeoutSeconds must be a number greater than 0 and at most 86400, got 0/],
    ['string timeout', { action: 'wait', jobId: JOB, timeoutSeconds: '5' }, 'InvalidTimeout', /got "5"/],
    ['misspelt field', { action: 'wait', jobId: JOB, timeout: 5 }, 'InvalidEvent', /got unknown field "timeout"/],
    ['timeout on query', { action: 'query', jobId: JOB, timeoutSeconds: 5 }, 'InvalidEvent', /unknown field "timeoutSeconds"/],
    ['unknown kind', { action: 'query', jobId: JOB, kind: 'editing' }, 'InvalidKind', /kind must be one of iProduction, mediaProducing, got "editing"/],
    ['unknown api', { action: 'query', jobId: JOB, api: 'vod' }, 'InvalidApi', /api must be one of ice, mts, got "vod"/],
    ['mediaProducing on mts', { action: 'query', jobId: JOB, kind: 'mediaProducing', api: 'mts' }, 'InvalidApi', /must be "ice" for kind mediaProducing/],
    ['submit without request', { action: 'submit' }, 'MissingRequest', /request must be an object, got undefined/],
    ['submit with string request', { action: 'submit', request: '{}' }, 'InvalidRequest', /request must be an object, got "\{\}"/],
    ['preset without input', { action: 'submit', preset: 'cover' }, 'MissingInput', /input must be the OSS URL of the object the preset runs on .*, got undefined/],
    ['preset with a request too', { action: 'submit', preset: 'cover', input: 'oss://in/a.mp4', request: {} }, 'InvalidEvent', /either request or preset, got both/],
    ['preset name not a string', { action: 'submit', preset: 3, input: 'oss://in/a.mp4' }, 'InvalidPreset', /preset must be a preset name of 1-128 characters, got 3/],
    ['preset for media producing', { action: 'submit', kind: 'mediaProducing', preset: 'cover', input: 'oss://in/a.mp4' }, 'InvalidKind', /kind must be iProduction with preset/],
    ['input without a preset', { action: 'submit', request: {}, input: 'oss://in/a.mp4' }, 'InvalidEvent', /input is only allowed with preset/],
    ['topic with non-JSON message', topic('hello'), 'InvalidNotification', /Message must be a JSON object \(plain or base64\), got "hello"/],
    ['topic with foreign message', topic('{"a":1}'), 'InvalidNotification', /got keys \[a\]/],
    ['MPS message with numeric jobId', { jobId: 5, state: 'Success' }, 'InvalidJobId', /jobId must be a non-empty string, got 5/],
    ['ICE callback without JobId', { EventType: 'X', MessageBody: {} }, 'MissingJobId', /MessageBody.JobId must be a non-empty string/],
    ['timer payload not JSON', { triggerTime: 'T', triggerName: 't', payload: 'every minute' }, 'InvalidTimerPayload', /payload must be a JSON object string, got "every minute"/],
    ['timer jobIds not array', { triggerTime: 'T', payload: '{"jobIds":"a"}' }, 'InvalidTimerPayload', /payload.jobIds must be an array of job ids, got "a"/],
    ['timer jobIds with a number', { triggerTime: 'T', payload: '{"jobIds":["a",3]}' }, 'InvalidJobId', /payload.jobIds\[1\] must be a non-empty string, got 3/],
    ['timer with too many jobs', { triggerTime: 'T', payload: JSON.stringify({ jobIds: Array.from({ length: MAX_TIMER_JOB_IDS + 1 }, (_, i) => `j${i}`) }) },
      'InvalidTimerPayload', /at most 100 jobs, got 101/],
    ['unrelated object', { hello: 'world' }, 'UnrecognizedEvent', /got keys \[hello\]/],
  ])('GIVEN %s THEN it answers an error naming the rule', (_name, raw, code, message) => {
    // WHEN
    const parsed = parseEvent(raw);
    // THEN
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe(code);
    expect(parsed.error.message).toMatch(message);
  });

  it('GIVEN arbitrary bytes, JSON values or objects THEN it never throws and always answers ok or an error', () => {
    const arbitraryEvent = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.string(),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
      fc.jsonValue(),
      fc.record({
        action: fc.oneof(fc.constantFrom('submit', 'query', 'wait'), fc.string()),
        jobId: fc.oneof(fc.string(), fc.integer()),
        kind: fc.oneof(fc.constant(undefined), fc.string()),
        timeoutSeconds: fc.oneof(fc.constant(undefined), fc.double()),
        request: fc.jsonValue(),
      }, { requiredKeys: ['action'] }),
      fc.record({ TopicOwner: fc.string(), TopicName: fc.string(), Message: fc.oneof(fc.string(), fc.jsonValue()) }),
      fc.record({ triggerTime: fc.string(), payload: fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))) }),
    );
    fc.assert(
      fc.property(arbitraryEvent, (raw) => {
        const parsed = parseEvent(raw);
        if (parsed.ok) {
          expect(['invoke', 'notification', 'timer']).toContain(parsed.event.type);
        } else {
          expect(parsed.error.code).toMatch(/^[A-Za-z]+$/);
          expect(parsed.error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });
});
