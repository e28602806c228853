/**
 * Recognises the events the FC handler receives. Pure: no SDK, no environment, no clock, so every shape can be
 * tested exhaustively and a bad event can never reach the network.
 */

import { type Api, APIS } from '../service';
import { isRecord } from '../util/values';

export type JobKind = 'iProduction' | 'mediaProducing';
export type InvokeAction = 'submit' | 'query' | 'wait';

export const INVOKE_ACTIONS: readonly InvokeAction[] = ['submit', 'query', 'wait'];
export const JOB_KINDS: readonly JobKind[] = ['iProduction', 'mediaProducing'];

/** A wait longer than a day is a mistake: FC functions run for at most 24 hours. */
export const MAX_WAIT_SECONDS = 86_400;
/** Longer than any id either API issues (32 hex characters), short enough to keep log lines readable. */
export const MAX_JOB_ID_LENGTH = 128;
/** A timer payload listing more jobs than this would exhaust the function's time before answering. */
export const MAX_TIMER_JOB_IDS = 100;

export interface SubmitEvent {
  readonly type: 'invoke';
  readonly action: 'submit';
  readonly kind: JobKind;
  readonly api?: Api;
  /** The request as given; absent when the event names a preset instead. */
  readonly request?: unknown;
  /** A preset deployed with the function (`{"action":"submit","preset":"name","input":"oss://..."}`). */
  readonly preset?: string;
  /** The input the preset runs on (with `preset` only). */
  readonly input?: string;
}

/** Longer than any preset name a stack would choose, short enough for log lines. */
export const MAX_PRESET_NAME_LENGTH = 128;
/** OSS object keys are at most 1023 bytes; a URL adds the scheme and the bucket. */
export const MAX_INPUT_URL_LENGTH = 2048;

export interface JobEvent {
  readonly type: 'invoke';
  readonly action: 'query' | 'wait';
  readonly kind: JobKind;
  readonly api?: Api;
  readonly jobId: string;
  /** Only for `wait`. */
  readonly timeoutSeconds?: number;
}

export type NotificationSource = 'mns-topic' | 'stream';
export type NotificationFormat = 'mps' | 'ice';

export interface NotificationEvent {
  readonly type: 'notification';
  readonly source: NotificationSource;
  readonly format: NotificationFormat;
  readonly kind: JobKind;
  readonly jobId: string;
  /** The state the message reports (`Success`, `Fail`, ...), as sent. */
  readonly reportedState?: string;
  /** MPS `Type` or ICE `EventType`, as sent. */
  readonly messageType?: string;
  readonly code?: string;
  readonly message?: string;
  readonly topicName?: string;
  readonly messageId?: string;
}

export interface TimerEvent {
  readonly type: 'timer';
  readonly triggerName?: string;
  readonly triggerTime?: string;
  readonly kind: JobKind;
  readonly api?: Api;
  readonly jobIds: readonly string[];
}

export type HandlerEvent = SubmitEvent | JobEvent | NotificationEvent | TimerEvent;
export type HandlerEventType = HandlerEvent['type'] | 'unknown';

export interface EventProblem {
  readonly code: string;
  readonly message: string;
}

export type ParsedEvent =
  | { readonly ok: true; readonly event: HandlerEvent }
  | { readonly ok: false; readonly type: HandlerEventType; readonly action?: string; readonly error: EventProblem };

class EventError extends Error {
  constructor(readonly code: string, message: string, readonly type: HandlerEventType, readonly action?: string) {
    super(message);
  }
}

/** Renders a received value for an error message without dumping a whole payload into it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  }
  if (Buffer.isBuffer(value)) return `a Buffer of ${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}


function has(record: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/** FC hands the event over as a Buffer; tests and other callers pass a string or an object. */
export function decodeEvent(raw: unknown): unknown {
  if (raw instanceof Uint8Array) raw = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw);
    } catch {
      throw new EventError('InvalidEvent', `event must be JSON, got ${describeValue(raw)}`, 'unknown');
    }
  }
  return raw;
}

/**
 * MNS delivers a message body either as published or base64-encoded (when the subscription's content format or
 * the publisher asks for it); MPS publishes plain JSON. Accept both.
 */
function parseMessageBody(body: unknown, field: string): Record<string, unknown> {
  if (isRecord(body)) return body;
  if (typeof body !== 'string') {
    throw new EventError('InvalidNotification', `${field} must be a JSON string, got ${describeValue(body)}`, 'notification');
  }
  const attempts = [body];
  const trimmed = body.trim();
  if (/^[A-Za-z0-9+/=\r\n]+$/.test(trimmed) && trimmed.length % 4 === 0) {
    attempts.push(Buffer.from(trimmed, 'base64').toString('utf8'));
  }
  for (const text of attempts) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed)) return parsed;
    } catch {
      // try the next decoding
    }
  }
  throw new EventError('InvalidNotification', `${field} must be a JSON object (plain or base64), got ${describeValue(body)}`, 'notification');
}

function pick(record: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) {
    if (has(record, key) && record[key] !== undefined && record[key] !== null) return record[key];
  }
  return undefined;
}

function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function checkJobId(value: unknown, field: string, type: HandlerEventType, action?: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    const code = value === undefined ? 'MissingJobId' : 'InvalidJobId';
    throw new EventError(code, `${field} must be a non-empty string, got ${describeValue(value)}`, type, action);
  }
  if (value.length > MAX_JOB_ID_LENGTH || /[\s\u0000-\u001f]/.test(value)) {
    throw new EventError(
      'InvalidJobId',
      `${field} must be at most ${MAX_JOB_ID_LENGTH} characters without whitespace, got ${describeValue(value)}`,
      type,
      action,
    );
  }
  return value;
}

function parseKind(value: unknown, type: HandlerEventType, action?: string): JobKind {
  if (value === undefined) return 'iProduction';
  if (typeof value === 'string' && (JOB_KINDS as readonly string[]).includes(value)) return value as JobKind;
  throw new EventError('InvalidKind', `kind must be one of ${JOB_KINDS.join(', ')}, got ${describeValue(value)}`, type, action);
}

function parseApi(value: unknown, kind: JobKind, type: HandlerEventType, action?: string): Api | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(APIS as readonly string[]).includes(value)) {
    throw new EventError('InvalidApi', `api must be one of ${APIS.join(', ')}, got ${describeValue(value)}`, type, action);
  }
  // MPS has no timeline editing: SubmitMediaProducingJob exists on ICE only.
  if (kind === 'mediaProducing' && value === 'mts') {
    throw new EventError('InvalidApi', 'api must be "ice" for kind mediaProducing, got "mts"', type, action);
  }
  return value as Api;
}

const INVOKE_FIELDS: Record<InvokeAction, readonly string[]> = {
  submit: ['action', 'kind', 'api', 'request', 'preset', 'input'],
  query: ['action', 'kind', 'api', 'jobId'],
  wait: ['action', 'kind', 'api', 'jobId', 'timeoutSeconds'],
};

function parseInvoke(record: Record<string, unknown>): SubmitEvent | JobEvent {
  const action = record.action;
  if (typeof action !== 'string' || !(INVOKE_ACTIONS as readonly string[]).includes(action)) {
    throw new EventError(
      'UnknownAction',
      `action must be one of ${INVOKE_ACTIONS.join(', ')}, got ${describeValue(action)}`,
      'invoke',
      typeof action === 'string' ? action : undefined,
    );
  }
  const act = action as InvokeAction;
  // A misspelt option (say `timeout`) would otherwise be ignored silently and the default used instead.
  const unknown = Object.keys(record).filter((k) => !INVOKE_FIELDS[act].includes(k));
  if (unknown.length > 0) {
    throw new EventError(
      'InvalidEvent',
      `${act} event allows only the fields ${INVOKE_FIELDS[act].join(', ')}, got unknown field ${describeValue(unknown[0])}`,
      'invoke',
      act,
    );
  }
  const kind = parseKind(record.kind, 'invoke', act);
  const api = parseApi(record.api, kind, 'invoke', act);
  if (act === 'submit' && record.preset !== undefined) return parsePresetSubmit(record, kind, api);
  if (act === 'submit') {
    if (record.input !== undefined) {
      throw new EventError('InvalidEvent', `input is only allowed with preset, got input ${describeValue(record.input)} without a preset`, 'invoke', act);
    }
    if (!isRecord(record.request)) {
      throw new EventError(
        record.request === undefined ? 'MissingRequest' : 'InvalidRequest',
        `request must be an object, got ${describeValue(record.request)}`,
        'invoke',
        act,
      );
    }
    return { type: 'invoke', action: act, kind, ...(api ? { api } : {}), request: record.request };
  }
  const jobId = checkJobId(record.jobId, 'jobId', 'invoke', act);
  let timeoutSeconds: number | undefined;
  if (act === 'wait' && record.timeoutSeconds !== undefined) {
    const t = record.timeoutSeconds;
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > MAX_WAIT_SECONDS) {
      throw new EventError(
        'InvalidTimeout',
        `timeoutSeconds must be a number greater than 0 and at most ${MAX_WAIT_SECONDS}, got ${describeValue(t)}`,
        'invoke',
        act,
      );
    }
    timeoutSeconds = t;
  }
  return {
    type: 'invoke',
    action: act,
    kind,
    ...(api ? { api } : {}),
    jobId,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}

function parsePresetSubmit(record: Record<string, unknown>, kind: JobKind, api: Api | undefined): SubmitEvent {
  const { preset, input } = record;
  if (record.request !== undefined) {
    throw new EventError('InvalidEvent', 'submit event must carry either request or preset, got both', 'invoke', 'submit');
  }
  if (kind !== 'iProduction') {
    throw new EventError('InvalidKind', `presets are intelligent production requests: kind must be iProduction with preset, got ${describeValue(kind)}`, 'invoke', 'submit');
  }
  if (typeof preset !== 'string' || preset === '' || preset.length > MAX_PRESET_NAME_LENGTH) {
    throw new EventError('InvalidPreset', `preset must be a preset name of 1-${MAX_PRESET_NAME_LENGTH} characters, got ${describeValue(preset)}`, 'invoke', 'submit');
  }
  if (typeof input !== 'string' || input.trim() === '' || input.length > MAX_INPUT_URL_LENGTH) {
    throw new EventError(
      input === undefined ? 'MissingInput' : 'InvalidInput',
      `input must be the OSS URL of the object the preset runs on (at most ${MAX_INPUT_URL_LENGTH} characters), got ${describeValue(input)}`,
      'invoke',
      'submit',
    );
  }
  return { type: 'invoke', action: 'submit', kind, ...(api ? { api } : {}), preset, input: input.trim() };
}

function isMpsMessage(record: Record<string, unknown>): boolean {
  return pick(record, 'jobId', 'JobId') !== undefined && pick(record, 'state', 'State', 'type', 'Type') !== undefined;
}

function isIceCallback(record: Record<string, unknown>): boolean {
  return typeof record.EventType === 'string' && has(record, 'MessageBody');
}

/**
 * GUESS: ICE names the timeline-editing completion event `ProduceMediaComplete`; any other event type is taken to be
 * an intelligent production job. A wrong guess is this one line.
 */
export function iceEventKind(eventType: string): JobKind {
  return /ProduceMedia/i.test(eventType) ? 'mediaProducing' : 'iProduction';
}

function parseJobMessage(
  message: Record<string, unknown>,
  source: NotificationSource,
  envelope: { topicName?: string; messageId?: string },
): NotificationEvent {
  const common = {
    type: 'notification' as const,
    source,
    ...(envelope.topicName !== undefined ? { topicName: envelope.topicName } : {}),
    ...(envelope.messageId !== undefined ? { messageId: envelope.messageId } : {}),
  };
  const clean = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  if (isIceCallback(message)) {
    const body = parseMessageBody(message.MessageBody, 'MessageBody');
    const eventType = message.EventType as string;
    return clean({
      ...common,
      format: 'ice' as const,
      kind: iceEventKind(eventType),
      jobId: checkJobId(pick(body, 'JobId', 'jobId'), 'MessageBody.JobId', 'notification'),
      reportedState: optionalString(pick(body, 'Status', 'status', 'State', 'state')),
      messageType: eventType,
      code: optionalString(pick(body, 'ErrorCode', 'Code', 'code')),
      message: optionalString(pick(body, 'ErrorMessage', 'Message', 'message')),
    });
  }
  if (isMpsMessage(message)) {
    return clean({
      ...common,
      format: 'mps' as const,
      kind: 'iProduction' as const,
      jobId: checkJobId(pick(message, 'jobId', 'JobId'), 'jobId', 'notification'),
      reportedState: optionalString(pick(message, 'state', 'State')),
      messageType: optionalString(pick(message, 'type', 'Type')),
      code: optionalString(pick(message, 'code', 'Code')),
      message: optionalString(pick(message, 'msg', 'Msg', 'message', 'Message')),
    });
  }
  throw new EventError(
    'InvalidNotification',
    `notification message must be an MPS job message {jobId, state, type} or an ICE callback {EventType, MessageBody}, got keys [${Object.keys(message).join(', ')}]`,
    'notification',
  );
}

function parseTimer(record: Record<string, unknown>): TimerEvent {
  const triggerName = optionalString(record.triggerName);
  const triggerTime = optionalString(record.triggerTime);
  const payloadRaw = record.payload;
  let payload: Record<string, unknown> = {};
  if (payloadRaw !== undefined && payloadRaw !== null && payloadRaw !== '') {
    if (isRecord(payloadRaw)) {
      payload = payloadRaw;
    } else if (typeof payloadRaw === 'string') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payloadRaw);
      } catch {
        throw new EventError('InvalidTimerPayload', `payload must be a JSON object string, got ${describeValue(payloadRaw)}`, 'timer');
      }
      if (!isRecord(parsed)) {
        throw new EventError('InvalidTimerPayload', `payload must be a JSON object string, got ${describeValue(payloadRaw)}`, 'timer');
      }
      payload = parsed;
    } else {
      throw new EventError('InvalidTimerPayload', `payload must be a JSON object string, got ${describeValue(payloadRaw)}`, 'timer');
    }
  }
  const kind = parseKind(payload.kind, 'timer');
  const api = parseApi(payload.api, kind, 'timer');
  const ids = payload.jobIds ?? [];
  if (!Array.isArray(ids)) {
    throw new EventError('InvalidTimerPayload', `payload.jobIds must be an array of job ids, got ${describeValue(ids)}`, 'timer');
  }
  if (ids.length > MAX_TIMER_JOB_IDS) {
    throw new EventError(
      'InvalidTimerPayload',
      `payload.jobIds must list at most ${MAX_TIMER_JOB_IDS} jobs, got ${ids.length}`,
      'timer',
    );
  }
  const jobIds = ids.map((id, i) => checkJobId(id, `payload.jobIds[${i}]`, 'timer'));
  return {
    type: 'timer',
    ...(triggerName !== undefined ? { triggerName } : {}),
    ...(triggerTime !== undefined ? { triggerTime } : {}),
    kind,
    ...(api ? { api } : {}),
    jobIds,
  };
}

function classify(decoded: unknown): HandlerEvent {
  if (!isRecord(decoded)) {
    throw new EventError('InvalidEvent', `event must be a JSON object, got ${describeValue(decoded)}`, 'unknown');
  }
  if (has(decoded, 'action')) return parseInvoke(decoded);
  // MNS topic trigger, JSON format.
  if (has(decoded, 'TopicOwner') || (has(decoded, 'TopicName') && has(decoded, 'Message'))) {
    const message = parseMessageBody(decoded.Message, 'Message');
    return parseJobMessage(message, 'mns-topic', {
      topicName: optionalString(decoded.TopicName),
      messageId: optionalString(decoded.MessageId),
    });
  }
  if (has(decoded, 'triggerTime') || has(decoded, 'triggerName')) return parseTimer(decoded);
  // MNS topic trigger, STREAM format with attributes.
  if (has(decoded, 'body') && (has(decoded, 'attrs') || Object.keys(decoded).length === 1)) {
    return parseJobMessage(parseMessageBody(decoded.body, 'body'), 'stream', {});
  }
  // MNS topic trigger, STREAM format: the raw message.
  if (isMpsMessage(decoded) || isIceCallback(decoded)) return parseJobMessage(decoded, 'stream', {});
  throw new EventError(
    'UnrecognizedEvent',
    `event must have an action (${INVOKE_ACTIONS.join(', ')}), be an MNS notification or a timer event, got keys [${Object.keys(decoded).slice(0, 10).join(', ')}]`,
    'unknown',
  );
}

/** Never throws: every problem becomes `{ ok: false, error }`. */
export function parseEvent(raw: unknown): ParsedEvent {
  try {
    return { ok: true, event: classify(decodeEvent(raw)) };
  } catch (err) {
    if (err instanceof EventError) {
      return {
        ok: false,
        type: err.type,
        ...(err.action !== undefined ? { action: err.action } : {}),
        error: { code: err.code, message: err.message },
      };
    }
    return { ok: false, type: 'unknown', error: { code: 'InvalidEvent', message: `event could not be read: ${String(err)}` } };
  }
}
