/**
 * Queue consumption and topic publishing over the official `@alicloud/mns` SDK (its `lib/client.js`, which is what
 * `index.js` picks on current Node and what bundles without the es5 build's undeclared babel-runtime).
 * Bodies are published base64-encoded: the SDK does not XML-escape `MessageBody`.
 */
import { backoffDelayMs, resolveRetryOptions, ResolvedRetryOptions, RetryOptions } from './retry';
import { MNS_MESSAGE_LIMITS, MNS_NAME_PATTERN, MNS_LIMITS } from '../service';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-var-requires */
const MnsClient: any = require('@alicloud/mns/lib/client.js');

export interface MnsCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export interface MnsOptions {
  /** The account that owns the queue or topic (FC: `context.accountId`). */
  readonly accountId: string;
  /** `http(s)://{accountId}.mns.{region}.aliyuncs.com`, or a compatible endpoint. @default - from `region` */
  readonly endpoint?: string;
  /** Required when `endpoint` is not given. */
  readonly region?: string;
  readonly credentials: MnsCredentials;
  /** Resends of calls that are safe to resend (see each method). @default retry.ts defaults */
  readonly retry?: RetryOptions;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
}

export type MnsErrorKind = 'invalid' | 'permanent' | 'unavailable';

/** An MNS call that did not happen. `code` is MNS's error code (`QueueNotExist`, ...) or the network error code. */
export class MnsError extends Error {
  constructor(
    readonly kind: MnsErrorKind,
    readonly code: string,
    message: string,
    readonly statusCode?: number,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'MnsError';
  }
}

export interface ReceivedMessage {
  readonly messageId: string;
  /** Single use: deleting or re-hiding the message needs the handle of its latest receive. */
  readonly receiptHandle: string;
  /** The body as the queue holds it (for a topic subscription: per its NotifyContentFormat). */
  readonly body: string;
  readonly bodyMd5: string;
  readonly dequeueCount: number;
  readonly enqueueTime: number;
  readonly firstDequeueTime: number;
  readonly nextVisibleTime: number;
}

/** What the function publishes to the app's topic (base64 of this JSON is the MNS MessageBody). */
export interface PublishedEnvelope<T = unknown> {
  /** Stable per logical message (for a completion: the ledger row's messageId); the app dedupes on it. */
  readonly dedupeId: string;
  readonly payload: T;
}

const MAX_BATCH = MNS_MESSAGE_LIMITS.maxBatch;
const MAX_WAIT_SECONDS = MNS_MESSAGE_LIMITS.maxWaitSeconds;
const MAX_VISIBILITY_SECONDS = MNS_MESSAGE_LIMITS.visibilityTimeoutMaxSeconds;
const MAX_BODY_BYTES = MNS_MESSAGE_LIMITS.messageMaxBytes;
const MAX_TAG_CHARS = MNS_MESSAGE_LIMITS.messageTagMaxChars;

/** Parses the SDK's error: `name` = 'MNS' + Code + 'Error', message `... failed with <status>. ...`; or a network error. */
export function mnsErrorCode(err: unknown): { code: string; statusCode?: number } {
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  const name = typeof e?.name === 'string' ? e.name : '';
  const m = /^MNS(.+)Error$/.exec(name);
  if (m) {
    const status = /failed with (\d{3})\b/.exec(String(e.message ?? ''));
    return { code: m[1], statusCode: status ? Number(status[1]) : undefined };
  }
  if (typeof e?.code === 'string') {
    return { code: e.code };
  }
  return { code: name || 'Unknown' };
}

const NETWORK = /^(ECONN|EPIPE|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|UND_ERR)|Timeout/;

function isTransient(code: string, statusCode?: number): boolean {
  if (statusCode !== undefined) {
    return statusCode >= 500 || code === 'QpsLimitExceeded';
  }
  return NETWORK.test(code) || code === 'ResponseError' || code === 'Unknown';
}

class MnsBase {
  protected readonly client: any;
  private readonly retry: ResolvedRetryOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** SDK calls made, resends included. */
  readonly calls = { requests: 0, retries: 0 };

  constructor(options: MnsOptions) {
    if (typeof options?.accountId !== 'string' || !/^\d{1,32}$/.test(options.accountId)) {
      throw new MnsError('invalid', 'InvalidArgument', `accountId must be the account's digits, got ${JSON.stringify(options?.accountId)}`);
    }
    if (options.endpoint === undefined && !options.region) {
      throw new MnsError('invalid', 'InvalidArgument', 'region is required when endpoint is not given');
    }
    if (options.endpoint !== undefined && !/^https?:\/\//.test(options.endpoint)) {
      throw new MnsError('invalid', 'InvalidArgument', `endpoint must start with http:// or https://, got ${JSON.stringify(options.endpoint)}`);
    }
    if (!options.credentials?.accessKeyId || !options.credentials?.accessKeySecret) {
      throw new MnsError('invalid', 'InvalidArgument', 'credentials must hold accessKeyId and accessKeySecret');
    }
    this.retry = resolveRetryOptions(options.retry);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.client = new MnsClient(options.accountId, {
      accessKeyId: options.credentials.accessKeyId,
      accessKeySecret: options.credentials.accessKeySecret,
      securityToken: options.credentials.securityToken,
      endpoint: options.endpoint,
      region: options.region,
      secure: true,
    });
  }

  /** Runs one SDK call; resends transient failures when `resend` says the call may be repeated. */
  protected async call<T>(what: string, send: () => Promise<T>, resend: boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      this.calls.requests++;
      try {
        return await send();
      } catch (err) {
        const { code, statusCode } = mnsErrorCode(err);
        const transient = isTransient(code, statusCode);
        if (!transient) {
          throw new MnsError('permanent', code, `${what} failed with ${code}${statusCode ? ` (HTTP ${statusCode})` : ''}: ${(err as Error).message}`, statusCode, err);
        }
        if (!resend || attempt >= this.retry.retries) {
          throw new MnsError('unavailable', code, `${what} failed with ${code} after ${attempt + 1} attempt(s): ${(err as Error).message}`, statusCode, err);
        }
        this.calls.retries++;
        await this.sleep(backoffDelayMs(attempt, this.retry, this.random));
      }
    }
  }
}

function checkQueueName(kind: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || !MNS_NAME_PATTERN.test(name) || name.length > MNS_LIMITS.specNameMaxChars) {
    throw new MnsError(
      'invalid',
      'InvalidArgument',
      `${kind} must start with a letter and hold 1-${MNS_LIMITS.specNameMaxChars} letters, digits or '-', got ${JSON.stringify(name)}`,
    );
  }
}

function toReceived(raw: any): ReceivedMessage {
  return {
    messageId: String(raw.MessageId),
    receiptHandle: String(raw.ReceiptHandle),
    body: typeof raw.MessageBody === 'string' ? raw.MessageBody : '',
    bodyMd5: String(raw.MessageBodyMD5 ?? ''),
    dequeueCount: Number(raw.DequeueCount),
    enqueueTime: Number(raw.EnqueueTime),
    firstDequeueTime: Number(raw.FirstDequeueTime),
    nextVisibleTime: Number(raw.NextVisibleTime),
  };
}

/** Receives, deletes and re-hides messages of one queue (e.g. an `ice-callback-*` queue on a timer). */
export class MnsQueueConsumer extends MnsBase {
  readonly queueName: string;

  constructor(options: MnsOptions & { readonly queueName: string }) {
    super(options);
    checkQueueName('queueName', options.queueName);
    this.queueName = options.queueName;
  }

  /**
   * Up to `max` messages, waiting up to `waitSeconds` for the first (long polling; the answer comes as soon as one
   * is available). An empty queue answers `[]` (MNS: 404 MessageNotExist). Network errors are resent: a receive
   * whose answer was lost only hides its messages until their visibility timeout.
   */
  async receive(options: { max?: number; waitSeconds?: number } = {}): Promise<ReceivedMessage[]> {
    const max = options.max ?? 1;
    const wait = options.waitSeconds ?? 0;
    if (!Number.isInteger(max) || max < 1 || max > MAX_BATCH) {
      throw new MnsError('invalid', 'InvalidArgument', `max must be an integer between 1 and ${MAX_BATCH}, got ${max}`);
    }
    if (!Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_SECONDS) {
      throw new MnsError('invalid', 'InvalidArgument', `waitSeconds must be an integer between 0 and ${MAX_WAIT_SECONDS}, got ${wait}`);
    }
    try {
      if (max === 1) {
        const answer = await this.call<any>('ReceiveMessage', () => this.client.receiveMessage(this.queueName, wait), true);
        return [toReceived(answer.body)];
      }
      const answer = await this.call<any>('BatchReceiveMessage', () => this.client.batchReceiveMessage(this.queueName, max, wait), true);
      const list = Array.isArray(answer.body) ? answer.body : answer.body ? [answer.body] : [];
      return list.map(toReceived);
    } catch (err) {
      if (err instanceof MnsError && err.code === 'MessageNotExist') {
        return [];
      }
      throw err;
    }
  }

  /**
   * Deletes the message this handle came with. True when the message is gone (deleted now, or by an earlier attempt
   * whose answer was lost: MessageNotExist); false when the handle is stale (the message was received again or its
   * visibility changed: ReceiptHandleError), so someone else now holds it.
   */
  async delete(receiptHandle: string): Promise<boolean> {
    checkHandle(receiptHandle);
    try {
      await this.call<any>('DeleteMessage', () => this.client.deleteMessage(this.queueName, encodeURIComponent(receiptHandle)), true);
      return true;
    } catch (err) {
      if (err instanceof MnsError && err.code === 'MessageNotExist') {
        return true;
      }
      if (err instanceof MnsError && err.code === 'ReceiptHandleError') {
        return false;
      }
      throw err;
    }
  }

  /**
   * Deletes up to 16 messages in one request (BatchDeleteMessage): per handle, true when the message is gone, false
   * when the handle is stale, as {@link delete} answers for one.
   */
  async deleteBatch(receiptHandles: readonly string[]): Promise<boolean[]> {
    if (receiptHandles.length === 0) return [];
    if (receiptHandles.length > MAX_BATCH) {
      throw new MnsError('invalid', 'InvalidArgument', `a batch deletes 1-${MAX_BATCH} messages, got ${receiptHandles.length}`);
    }
    receiptHandles.forEach(checkHandle);
    if (receiptHandles.length === 1) return [await this.delete(receiptHandles[0])];
    // Resent on a lost answer: a handle deleted by the first attempt answers MessageNotExist the second time.
    const answer = await this.call<any>('BatchDeleteMessage', () => this.client.batchDeleteMessage(this.queueName, [...receiptHandles]), true);
    // All deleted: 204 and no body. Some not: 404 with one Error per handle that failed (the SDK does not throw).
    const failed = new Map<string, string>();
    for (const e of Array.isArray(answer?.body) ? answer.body : answer?.body ? [answer.body] : []) {
      if (e && typeof e.ReceiptHandle === 'string') failed.set(e.ReceiptHandle, String(e.ErrorCode ?? ''));
    }
    return receiptHandles.map((h) => {
      const code = failed.get(h);
      if (code === undefined || code === 'MessageNotExist') return true;
      if (code === 'ReceiptHandleError') return false;
      throw new MnsError('permanent', code, `BatchDeleteMessage failed for a message with ${code}`);
    });
  }

  /** Hides the message for `seconds` more; answers the new handle (the old one stops working), or undefined if stale. */
  async changeVisibility(receiptHandle: string, seconds: number): Promise<string | undefined> {
    checkHandle(receiptHandle);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_VISIBILITY_SECONDS) {
      throw new MnsError('invalid', 'InvalidArgument', `seconds must be an integer between 1 and ${MAX_VISIBILITY_SECONDS}, got ${seconds}`);
    }
    try {
      // Not resent: a lost answer would leave us holding a handle the service already replaced.
      const answer = await this.call<any>(
        'ChangeMessageVisibility',
        () => this.client.changeMessageVisibility(this.queueName, encodeURIComponent(receiptHandle), seconds),
        false,
      );
      return String(answer.body.ReceiptHandle);
    } catch (err) {
      if (err instanceof MnsError && (err.code === 'MessageNotExist' || err.code === 'ReceiptHandleError')) {
        return undefined;
      }
      throw err;
    }
  }
}

function checkHandle(handle: unknown): void {
  if (typeof handle !== 'string' || handle.length === 0) {
    throw new MnsError('invalid', 'MissingReceiptHandle', `receiptHandle must be a non-empty string, got ${JSON.stringify(handle)}`);
  }
}

/** The MessageBody the publisher sends: base64 of the envelope's JSON (UTF-8). */
export function encodeEnvelope(envelope: PublishedEnvelope): string {
  return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64');
}

/**
 * The envelope in a received body: base64 JSON as published, or that wrapped by a topic subscription's JSON or XML
 * NotifyContentFormat. Undefined for anything else.
 */
export function decodeEnvelope(body: string): PublishedEnvelope | undefined {
  const fromBase64 = (text: string): PublishedEnvelope | undefined => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim())) {
      return undefined;
    }
    try {
      const parsed = JSON.parse(Buffer.from(text.trim(), 'base64').toString('utf8'));
      return parsed && typeof parsed.dedupeId === 'string' && 'payload' in parsed ? (parsed as PublishedEnvelope) : undefined;
    } catch {
      return undefined;
    }
  };
  const direct = fromBase64(body);
  if (direct) {
    return direct;
  }
  try {
    const json = JSON.parse(body);
    if (json && typeof json.Message === 'string') {
      return fromBase64(json.Message);
    }
  } catch {
    // not JSON: try the XML notification
  }
  const xml = /<Message>([A-Za-z0-9+/=\s]+)<\/Message>/.exec(body);
  return xml ? fromBase64(xml[1]) : undefined;
}

/** Publishes to one topic (the app's results topic). */
export class MnsPublisher extends MnsBase {
  readonly topicName: string;

  constructor(options: MnsOptions & { readonly topicName: string }) {
    super(options);
    checkQueueName('topicName', options.topicName);
    this.topicName = options.topicName;
  }

  /**
   * Publishes `{dedupeId, payload}` as base64 JSON. Resent on network errors and 5xx, so the app may receive a
   * message twice; `dedupeId` is the same every time, which is what the app dedupes on.
   */
  async publish(envelope: PublishedEnvelope, options: { tag?: string } = {}): Promise<{ messageId: string; bodyMd5: string }> {
    if (typeof envelope?.dedupeId !== 'string' || envelope.dedupeId.length === 0) {
      throw new MnsError('invalid', 'InvalidArgument', `dedupeId must be a non-empty string, got ${JSON.stringify(envelope?.dedupeId)}`);
    }
    const body = encodeEnvelope(envelope);
    if (body.length > MAX_BODY_BYTES) {
      throw new MnsError('invalid', 'InvalidArgument', `the encoded message must be at most ${MAX_BODY_BYTES} bytes, got ${body.length}`);
    }
    if (options.tag !== undefined && !(/^[A-Za-z0-9_-]+$/.test(options.tag) && options.tag.length <= MAX_TAG_CHARS)) {
      throw new MnsError('invalid', 'InvalidArgument', `tag must be 1-${MAX_TAG_CHARS} letters, digits, '_' or '-', got ${JSON.stringify(options.tag)}`);
    }
    const params: Record<string, string> = { MessageBody: body };
    if (options.tag !== undefined) {
      params.MessageTag = options.tag;
    }
    const answer = await this.call<any>('PublishMessage', () => this.client.publishMessage(this.topicName, params), true);
    return { messageId: String(answer.body.MessageId), bodyMd5: String(answer.body.MessageBodyMD5) };
  }
}
