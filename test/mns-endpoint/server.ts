import type * as http from 'http';
import * as path from 'path';
import { createHash, createHmac, timingSafeEqual } from 'crypto';
import type { AccessKey } from '../endpoint/auth';
import { FaultKind, FaultRule, LocalEndpoint, LoopbackOptions, header as headerOf, readBody } from '../support/loopback';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-var-requires */
// The XML library the SDK itself parses with (a dependency of @alicloud/mns), resolved from the SDK's own folder.
const xml2js: any = require(require.resolve('xml2js', { paths: [path.dirname(require.resolve('@alicloud/mns'))] }));

/** An AccessKey the endpoint accepts; with `securityToken`, requests must carry it in `security-token`. */
export type MnsAccessKey = AccessKey;

export const DEFAULT_MNS_KEY: MnsAccessKey = { accessKeyId: 'LTAIlocalmns', accessKeySecret: 'local-mns-secret' };
export const DEFAULT_MNS_STS_KEY: MnsAccessKey = {
  accessKeyId: 'STS.localmns',
  accessKeySecret: 'local-mns-sts-secret',
  securityToken: 'local-mns-sts-token',
};
export const DEFAULT_ACCOUNT_ID = '1234567890123456';

export const MNS_ACTIONS = [
  'CreateQueue',
  'SetQueueAttributes',
  'GetQueueAttributes',
  'DeleteQueue',
  'ListQueue',
  'SendMessage',
  'BatchSendMessage',
  'ReceiveMessage',
  'BatchReceiveMessage',
  'PeekMessage',
  'BatchPeekMessage',
  'DeleteMessage',
  'BatchDeleteMessage',
  'ChangeMessageVisibility',
  'CreateTopic',
  'GetTopicAttributes',
  'ListTopic',
  'PublishMessage',
] as const;
export type MnsAction = (typeof MNS_ACTIONS)[number];

export type MnsFaultKind = FaultKind;
/** `reset-after` applies the action, then drops the connection: the send or publish lands, the answer is lost. */
export type MnsFaultSpec = FaultRule<MnsAction>;

export interface LocalMnsOptions extends LoopbackOptions<MnsRequestRecord> {
  /** @default DEFAULT_ACCOUNT_ID */
  readonly accountId?: string;
  /** @default 'cn-shanghai' */
  readonly region?: string;
  /** @default [DEFAULT_MNS_KEY, DEFAULT_MNS_STS_KEY] */
  readonly accessKeys?: readonly MnsAccessKey[];
  /**
   * Real milliseconds a long poll waits per requested second. Lets e2e runs poll with `waitseconds` as the SDK
   * sends it without waiting whole seconds. A poll still answers as soon as a message is available. @default 1000
   */
  readonly msPerWaitSecond?: number;
}

export interface MnsRequestRecord {
  readonly requestId: string;
  readonly action?: MnsAction;
  readonly method: string;
  readonly resource: string;
  /** 0 when the connection was reset. */
  readonly statusCode: number;
  readonly code?: string;
  readonly fault?: MnsFaultKind;
}

export interface QueueAttributes {
  /** @default 0 */
  readonly delaySeconds?: number;
  /** @default 65536 */
  readonly maximumMessageSize?: number;
  /** @default 345600 */
  readonly messageRetentionPeriod?: number;
  /** @default 30 */
  readonly visibilityTimeout?: number;
  /** @default 0 */
  readonly pollingWaitSeconds?: number;
}

export type NotifyContentFormat = 'SIMPLIFIED' | 'XML' | 'JSON';

export interface SubscriptionSpec {
  readonly topic: string;
  readonly name: string;
  /** The queue that receives the topic's messages (an MNS queue endpoint). */
  readonly queue: string;
  /** @default 'XML' (the service's default for queue endpoints; GUESS) */
  readonly notifyContentFormat?: NotifyContentFormat;
  /** Only messages published with this MessageTag. @default - every message */
  readonly filterTag?: string;
}

export interface PublishedMessage {
  readonly topic: string;
  readonly messageId: string;
  readonly body: string;
  readonly bodyMd5: string;
  readonly tag?: string;
  readonly publishTime: number;
}

export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly enqueueTime: number;
  readonly nextVisibleTime: number;
  readonly dequeueCount: number;
  /** Whether a receiver currently holds it. */
  readonly inFlight: boolean;
}

export interface MnsActionStats {
  received: number;
  ok: number;
  failed: number;
  faulted: number;
}

export interface LocalMns {
  /** `http://127.0.0.1:PORT`, the SDK's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly accountId: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly stats: Readonly<Record<MnsAction, MnsActionStats>>;
  /** Test and e2e setup (the SDK's subscribe() is an empty stub; deploys make subscriptions in the template). */
  createQueue(name: string, attributes?: QueueAttributes): void;
  createTopic(name: string): void;
  subscribe(spec: SubscriptionSpec): void;
  /** Every message published to a topic (or to all topics), oldest first. */
  published(topic?: string): PublishedMessage[];
  /** What a queue holds, oldest first (empty for a missing queue). */
  messages(queue: string): QueuedMessage[];
  /** Re-checks parked long polls after a test moved an injected clock. */
  wake(): void;
  setFault(fault: MnsFaultSpec): () => void;
  clearFaults(): void;
  reset(): void;
  close(): Promise<void>;
}

class MnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// Codes, statuses and texts from the MNS error-code reference.
const mnsErrors = {
  missingAuth: () => new MnsError(400, 'MissingAuthorizationHeader', 'Authorization header is required.'),
  badAuth: () => new MnsError(400, 'InvalidAuthorizationHeader', 'The Authorization header format is invalid.'),
  missingDate: () => new MnsError(400, 'MissingDateHeader', 'Date header is required.'),
  badDate: () => new MnsError(400, 'InvalidDateHeader', 'The Date header format is invalid.'),
  expired: () => new MnsError(408, 'TimeExpired', 'The http request you sent is expired.'),
  unknownKey: () => new MnsError(403, 'InvalidAccessKeyId', 'The AccessKey Id you provided is not exist.'),
  // GUESS: the code for a wrong or missing STS token.
  badToken: () => new MnsError(403, 'AccessDenied', 'The security token you provided is invalid.'),
  signature: () =>
    new MnsError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'),
  digest: () => new MnsError(400, 'InvalidDegist', 'The Content-MD5 you specified is invalid.'),
  malformed: () => new MnsError(400, 'MalformedXML', 'The XML you provided was not well-formed.'),
  argument: (element: string, low: number, high: number) =>
    new MnsError(400, 'InvalidArgument', `The value of ${element} should between ${low} and ${high} seconds/bytes.`),
  url: () => new MnsError(400, 'InvalidRequestURL', 'Http request URL format invalid.'),
  queueMissing: () => new MnsError(404, 'QueueNotExist', 'The queue name you provided is not exist.'),
  topicMissing: () => new MnsError(404, 'TopicNotExist', 'The topic name you provided is not exist.'),
  queueExists: () => new MnsError(409, 'QueueAlreadyExist', 'The queue you want to create is already exist.'),
  topicExists: () => new MnsError(409, 'TopicAlreadyExist', 'The topic you want to create is already exist.'),
  badQueueName: () =>
    new MnsError(400, 'InvalidQueueName', 'The queue name you provided is not valid: it must start with a letter and hold only letters, digits and -.'),
  messageMissing: () => new MnsError(404, 'MessageNotExist', 'Message not exist.'),
  receiptHandle: () => new MnsError(400, 'ReceiptHandleError', 'The receipt handle you provide is not valid.'),
  missingHandle: () => new MnsError(400, 'MissingReceiptHandle', 'ReceiptHandle is required.'),
  missingVisibility: () => new MnsError(400, 'MissingVisibilityTimeout', 'VisibilityTimeout is required.'),
  internal: () => new MnsError(500, 'InternalError', 'Interal error.'),
  // GUESS: no documented 503 code; InternalError's shape with a 503 status.
  unavailable: () => new MnsError(503, 'ServiceUnavailable', 'The service is not available.'),
};

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly bodyMd5: string;
  readonly priority: number;
  readonly enqueueTime: number;
  nextVisibleTime: number;
  firstDequeueTime?: number;
  dequeueCount: number;
  /** The only handle that may delete or re-hide the message; replaced on every receive and visibility change. */
  receiptHandle?: string;
}

interface Queue {
  readonly name: string;
  attributes: Required<QueueAttributes>;
  readonly createTime: number;
  messages: StoredMessage[];
}

interface Topic {
  readonly name: string;
  readonly createTime: number;
  readonly subscriptions: Map<string, SubscriptionSpec>;
}

interface Waiter {
  readonly queue: string;
  readonly count: number;
  readonly peek: false;
  readonly resolve: (messages: StoredMessage[] | undefined) => void;
  readonly timer: NodeJS.Timeout;
}

const DEFAULT_QUEUE: Required<QueueAttributes> = {
  delaySeconds: 0,
  maximumMessageSize: 65536,
  messageRetentionPeriod: 345600,
  visibilityTimeout: 30,
  pollingWaitSeconds: 0,
};
const NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,255}$/;
const NS = 'http://mns.aliyuncs.com/doc/v1/';
const MAX_BATCH = 16;
const MAX_BODY_BYTES = 2 * 1024 * 1024;

function freshStats(): Record<MnsAction, MnsActionStats> {
  const out = {} as Record<MnsAction, MnsActionStats>;
  for (const a of MNS_ACTIONS) {
    out[a] = { received: 0, ok: 0, failed: 0, faulted: 0 };
  }
  return out;
}

function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

function xml(root: string, content: unknown): string {
  const builder = new xml2js.Builder({
    rootName: root,
    xmldec: { version: '1.0', encoding: 'UTF-8' },
    renderOpts: { pretty: false },
  });
  return builder.buildObject({ $: { xmlns: NS }, ...(content as object) });
}

/** Starts an MNS-compatible endpoint on 127.0.0.1 that the official `@alicloud/mns` SDK talks to unchanged. */
export async function startLocalMns(options: LocalMnsOptions = {}): Promise<LocalMns> {
  if (options.msPerWaitSecond !== undefined && !(Number.isFinite(options.msPerWaitSecond) && options.msPerWaitSecond >= 0)) {
    throw new Error(`msPerWaitSecond must be a finite number >= 0, got ${options.msPerWaitSecond}`);
  }
  if (options.accessKeys !== undefined && options.accessKeys.length === 0) {
    throw new Error('accessKeys must hold at least one key, got []');
  }
  const server = new LocalMnsServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

class LocalMnsServer extends LocalEndpoint<MnsAction, MnsRequestRecord> implements LocalMns {
  readonly accountId: string;
  readonly region: string;
  private queues = new Map<string, Queue>();
  private topics = new Map<string, Topic>();
  private publishedList: PublishedMessage[] = [];
  private waiters: Waiter[] = [];
  private statsByAction = freshStats();
  private sequence = 0;
  /** Handles of deleted messages: using one again answers MessageNotExist rather than ReceiptHandleError. */
  private retired = new Set<string>();

  constructor(protected readonly options: LocalMnsOptions) {
    super(options, [DEFAULT_MNS_KEY, DEFAULT_MNS_STS_KEY], MNS_ACTIONS);
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.region = options.region ?? 'cn-shanghai';
  }

  get stats(): Readonly<Record<MnsAction, MnsActionStats>> {
    const copy = freshStats();
    for (const a of MNS_ACTIONS) {
      copy[a] = { ...this.statsByAction[a] };
    }
    return copy;
  }

  createQueue(name: string, attributes: QueueAttributes = {}): void {
    if (!NAME.test(name)) {
      throw new Error(`queue name must start with a letter and hold 1-256 letters, digits or '-', got ${JSON.stringify(name)}`);
    }
    if (!this.queues.has(name)) {
      this.queues.set(name, { name, attributes: { ...DEFAULT_QUEUE, ...attributes }, createTime: this.now(), messages: [] });
    }
  }

  createTopic(name: string): void {
    if (!NAME.test(name)) {
      throw new Error(`topic name must start with a letter and hold 1-256 letters, digits or '-', got ${JSON.stringify(name)}`);
    }
    if (!this.topics.has(name)) {
      this.topics.set(name, { name, createTime: this.now(), subscriptions: new Map() });
    }
  }

  subscribe(spec: SubscriptionSpec): void {
    const topic = this.topics.get(spec.topic);
    if (!topic) {
      throw new Error(`subscribe: topic ${JSON.stringify(spec.topic)} does not exist`);
    }
    if (!this.queues.has(spec.queue)) {
      throw new Error(`subscribe: queue ${JSON.stringify(spec.queue)} does not exist`);
    }
    const format = spec.notifyContentFormat ?? 'XML';
    if (!['SIMPLIFIED', 'XML', 'JSON'].includes(format)) {
      throw new Error(`subscribe: notifyContentFormat must be SIMPLIFIED, XML or JSON, got ${JSON.stringify(format)}`);
    }
    topic.subscriptions.set(spec.name, { ...spec, notifyContentFormat: format });
  }

  published(topic?: string): PublishedMessage[] {
    return this.publishedList.filter((m) => topic === undefined || m.topic === topic).map((m) => ({ ...m }));
  }

  messages(queue: string): QueuedMessage[] {
    const q = this.queues.get(queue);
    if (!q) {
      return [];
    }
    this.expire(q);
    const now = this.now();
    return q.messages.map((m) => ({
      messageId: m.messageId,
      body: m.body,
      enqueueTime: m.enqueueTime,
      nextVisibleTime: m.nextVisibleTime,
      dequeueCount: m.dequeueCount,
      inFlight: m.receiptHandle !== undefined && m.nextVisibleTime > now,
    }));
  }

  wake(): void {
    for (const q of this.queues.values()) {
      this.serveWaiters(q);
    }
  }

  reset(): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve(undefined);
    }
    this.waiters = [];
    this.queues = new Map();
    this.topics = new Map();
    this.publishedList = [];
    this.statsByAction = freshStats();
    this.resetBase();
    this.sequence = 0;
    this.retired = new Set();
  }

  close(): Promise<void> {
    return this.server.close(() => {
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.resolve(undefined);
      }
      this.waiters = [];
    });
  }

  private hex(n: number): string {
    return Array.from({ length: n }, () => Math.floor(this.random() * 16).toString(16)).join('').toUpperCase();
  }

  private requestId(): string {
    return `${this.hex(24)}`;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) {
      req.socket.destroy();
      return;
    }
    const requestId = this.requestId();
    const method = req.method ?? 'GET';
    const resource = req.url ?? '/';
    let action: MnsAction | undefined;
    let fault: MnsFaultSpec | undefined;
    const report = (statusCode: number, code?: string) =>
      this.options.onRequest?.({ requestId, action, method, resource, statusCode, code, fault: fault?.kind });
    try {
      const route = routeOf(method, resource, body);
      action = route?.action;
      if (action) {
        this.statsByAction[action].received++;
      }
      this.authenticate(req, method, resource, body);
      if (!route) {
        throw mnsErrors.url();
      }
      fault = this.faults.pick(route.action);
      if (fault) {
        this.statsByAction[route.action].faulted++;
      }
      if (fault?.kind === 'reset-before') {
        req.socket.destroy();
        report(0);
        return;
      }
      if (fault?.kind === 'status-500') {
        throw mnsErrors.internal();
      }
      if (fault?.kind === 'status-503') {
        throw mnsErrors.unavailable();
      }
      const answer = await this.dispatch(route, body);
      this.statsByAction[route.action].ok++;
      if (fault?.kind === 'reset-after' || (this.server.isClosed && answer.status !== 204)) {
        req.socket.destroy();
        report(0);
        return;
      }
      await this.holdIfLatency(fault);
      this.send(res, answer.status, requestId, answer.xml, answer.headers);
      report(answer.status);
    } catch (err) {
      const error = err instanceof MnsError ? err : mnsErrors.internal();
      if (action && !fault) {
        this.statsByAction[action].failed++;
      }
      if (fault?.kind === 'reset-after') {
        req.socket.destroy();
        report(0, error.code);
        return;
      }
      await this.holdIfLatency(fault);
      this.send(
        res,
        error.status,
        requestId,
        xml('Error', { Code: error.code, Message: error.message, RequestId: requestId, HostId: `http://${this.accountId}.mns.${this.region}.aliyuncs.com` }),
      );
      report(error.status, error.code);
    }
  }

  /**
   * The SDK's signature (lib/client.js `sign`): base64 HMAC-SHA1 over
   * `VERB\nContent-MD5\nContent-Type\nDate\n` + `x-mns-*` headers sorted as `name:value\n` + the resource (path and
   * query as sent). Content-MD5 is base64 of the hex MD5 digest of the body.
   */
  private authenticate(req: http.IncomingMessage, method: string, resource: string, body: Buffer): void {
    const header = (name: string) => headerOf(req, name);
    const authorization = header('authorization');
    if (!authorization) {
      throw mnsErrors.missingAuth();
    }
    const m = /^MNS ([^:\s]+):(\S+)$/.exec(authorization);
    if (!m) {
      throw mnsErrors.badAuth();
    }
    const date = header('date');
    if (!date) {
      throw mnsErrors.missingDate();
    }
    const at = Date.parse(date);
    if (Number.isNaN(at)) {
      throw mnsErrors.badDate();
    }
    const key = this.keys.find((k) => k.accessKeyId === m[1]);
    if (!key) {
      throw mnsErrors.unknownKey();
    }
    if ((key.securityToken ?? '') !== (header('security-token') ?? '')) {
      throw mnsErrors.badToken();
    }
    const mnsHeaders = Object.keys(req.headers)
      .filter((n) => n.startsWith('x-mns-'))
      .sort()
      .map((n) => `${n}:${header(n)}\n`)
      .join('');
    const stringToSign = `${method}\n${header('content-md5') ?? ''}\n${header('content-type') ?? ''}\n${date}\n${mnsHeaders}${resource}`;
    const expected = Buffer.from(createHmac('sha1', key.accessKeySecret).update(stringToSign, 'utf8').digest('base64'));
    const sent = Buffer.from(m[2]);
    if (expected.length !== sent.length || !timingSafeEqual(expected, sent)) {
      throw mnsErrors.signature();
    }
    if (body.length > 0 || header('content-md5') !== undefined) {
      const digest = Buffer.from(createHash('md5').update(body).digest('hex'), 'utf8').toString('base64');
      if (header('content-md5') !== digest) {
        throw mnsErrors.digest();
      }
    }
    if (Math.abs(this.now() - at) > (this.options.clockSkewMs ?? 15 * 60 * 1000)) {
      throw mnsErrors.expired();
    }
  }

  private send(res: http.ServerResponse, status: number, requestId: string, body: string | undefined, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) {
      return;
    }
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(body, 'utf8');
    res.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'text/xml;charset=utf-8' }),
      'content-length': bytes.length,
      'x-mns-request-id': requestId,
      'x-mns-version': '2015-06-06',
      ...headers,
    });
    res.end(bytes);
  }

  private queue(name: string): Queue {
    const q = this.queues.get(name);
    if (!q) {
      throw mnsErrors.queueMissing();
    }
    this.expire(q);
    return q;
  }

  private topic(name: string): Topic {
    const t = this.topics.get(name);
    if (!t) {
      throw mnsErrors.topicMissing();
    }
    return t;
  }

  /** Drops messages older than the queue's retention period. */
  private expire(q: Queue): void {
    const oldest = this.now() - q.attributes.messageRetentionPeriod * 1000;
    if (q.messages.length > 0 && q.messages[0].enqueueTime < oldest) {
      q.messages = q.messages.filter((m) => m.enqueueTime >= oldest);
    }
  }

  private async parse(body: Buffer): Promise<any> {
    try {
      return await xml2js.parseStringPromise(body.toString('utf8'), { explicitArray: false });
    } catch {
      throw mnsErrors.malformed();
    }
  }

  private async dispatch(route: Route, body: Buffer): Promise<{ status: number; xml?: string; headers?: Record<string, string> }> {
    const { action, name, query } = route;
    switch (action) {
      case 'CreateQueue':
      case 'SetQueueAttributes': {
        const attrs = body.length > 0 ? queueAttributes((await this.parse(body))?.Queue) : {};
        if (action === 'SetQueueAttributes') {
          const q = this.queue(name);
          q.attributes = { ...q.attributes, ...attrs };
          return { status: 204 };
        }
        if (!NAME.test(name)) {
          throw mnsErrors.badQueueName();
        }
        const existing = this.queues.get(name);
        if (existing) {
          const same = Object.entries(attrs).every(([k, v]) => existing.attributes[k as keyof QueueAttributes] === v);
          if (!same) {
            throw mnsErrors.queueExists();
          }
          return { status: 204 };
        }
        this.createQueue(name, attrs);
        return { status: 201, headers: { location: `http://${this.accountId}.mns.${this.region}.aliyuncs.com/queues/${name}` } };
      }
      case 'GetQueueAttributes': {
        const q = this.queue(name);
        const now = this.now();
        const active = q.messages.filter((m) => m.nextVisibleTime <= now).length;
        const delayed = q.messages.filter((m) => m.nextVisibleTime > now && m.receiptHandle === undefined).length;
        return {
          status: 200,
          xml: xml('Queue', {
            QueueName: q.name,
            CreateTime: Math.floor(q.createTime / 1000),
            LastModifyTime: Math.floor(q.createTime / 1000),
            DelaySeconds: q.attributes.delaySeconds,
            MaximumMessageSize: q.attributes.maximumMessageSize,
            MessageRetentionPeriod: q.attributes.messageRetentionPeriod,
            VisibilityTimeout: q.attributes.visibilityTimeout,
            PollingWaitSeconds: q.attributes.pollingWaitSeconds,
            ActiveMessages: active,
            InactiveMessages: q.messages.length - active - delayed,
            DelayMessages: delayed,
            LoggingEnabled: 'False',
          }),
        };
      }
      case 'DeleteQueue':
        this.queue(name);
        this.queues.delete(name);
        return { status: 204 };
      case 'ListQueue':
        return {
          status: 200,
          xml: xml('Queues', { Queue: [...this.queues.keys()].sort().map((n) => ({ QueueURL: `http://${this.accountId}.mns.${this.region}.aliyuncs.com/queues/${n}` })) }),
        };
      case 'SendMessage': {
        const q = this.queue(name);
        const m = this.enqueue(q, (await this.parse(body))?.Message);
        this.serveWaiters(q);
        return { status: 201, xml: xml('Message', { MessageId: m.messageId, MessageBodyMD5: m.bodyMd5 }) };
      }
      case 'BatchSendMessage': {
        const q = this.queue(name);
        const parsed = (await this.parse(body))?.Messages?.Message;
        const list: any[] = parsed === undefined ? [] : Array.isArray(parsed) ? parsed : [parsed];
        if (list.length === 0 || list.length > MAX_BATCH) {
          throw mnsErrors.argument('Messages', 1, MAX_BATCH);
        }
        const sent = list.map((item) => this.enqueue(q, item));
        this.serveWaiters(q);
        return { status: 201, xml: xml('Messages', { Message: sent.map((m) => ({ MessageId: m.messageId, MessageBodyMD5: m.bodyMd5 })) }) };
      }
      case 'PeekMessage':
      case 'BatchPeekMessage': {
        const q = this.queue(name);
        const count = action === 'BatchPeekMessage' ? batchSize(query) : 1;
        const now = this.now();
        const visible = q.messages.filter((m) => m.nextVisibleTime <= now).slice(0, count);
        if (visible.length === 0) {
          throw mnsErrors.messageMissing();
        }
        const views = visible.map((m) => this.view(m, false));
        return action === 'PeekMessage' ? { status: 200, xml: xml('Message', views[0]) } : { status: 200, xml: xml('Messages', { Message: views }) };
      }
      case 'ReceiveMessage':
      case 'BatchReceiveMessage': {
        const q = this.queue(name);
        const count = action === 'BatchReceiveMessage' ? batchSize(query) : 1;
        const wait = query.waitseconds === undefined ? q.attributes.pollingWaitSeconds : Number(query.waitseconds);
        if (!Number.isInteger(wait) || wait < 0 || wait > 30) {
          throw mnsErrors.argument('waitseconds', 0, 30);
        }
        let got = this.take(q, count);
        if (got.length === 0 && wait > 0) {
          got = (await this.park(q.name, count, wait)) ?? [];
        }
        if (got.length === 0) {
          throw mnsErrors.messageMissing();
        }
        const views = got.map((m) => this.view(m, true));
        return action === 'ReceiveMessage' ? { status: 200, xml: xml('Message', views[0]) } : { status: 200, xml: xml('Messages', { Message: views }) };
      }
      case 'DeleteMessage': {
        const q = this.queue(name);
        const handle = query.ReceiptHandle ?? query.receiptHandle;
        if (!handle) {
          throw mnsErrors.missingHandle();
        }
        this.release(q, handle, 'delete');
        return { status: 204 };
      }
      case 'BatchDeleteMessage': {
        const q = this.queue(name);
        const parsed = (await this.parse(body))?.ReceiptHandles?.ReceiptHandle;
        const handles: string[] = parsed === undefined ? [] : Array.isArray(parsed) ? parsed : [parsed];
        if (handles.length === 0 || handles.length > MAX_BATCH) {
          throw mnsErrors.argument('ReceiptHandles', 1, MAX_BATCH);
        }
        const errors: { ErrorCode: string; ErrorMessage: string; ReceiptHandle: string }[] = [];
        for (const h of handles) {
          try {
            this.release(q, h, 'delete');
          } catch (err) {
            const e = err as MnsError;
            errors.push({ ErrorCode: e.code, ErrorMessage: e.message, ReceiptHandle: h });
          }
        }
        return errors.length === 0 ? { status: 204 } : { status: 404, xml: xml('Errors', { Error: errors }) };
      }
      case 'ChangeMessageVisibility': {
        const q = this.queue(name);
        const handle = query.receiptHandle ?? query.ReceiptHandle;
        if (!handle) {
          throw mnsErrors.missingHandle();
        }
        if (query.visibilityTimeout === undefined) {
          throw mnsErrors.missingVisibility();
        }
        const seconds = Number(query.visibilityTimeout);
        if (!Number.isInteger(seconds) || seconds < 1 || seconds > 43200) {
          throw mnsErrors.argument('VisibilityTimeout', 1, 43200);
        }
        const m = this.release(q, handle, 'hide', seconds);
        return { status: 200, xml: xml('ChangeVisibility', { ReceiptHandle: m.receiptHandle, NextVisibleTime: m.nextVisibleTime }) };
      }
      case 'CreateTopic': {
        if (!NAME.test(name)) {
          throw mnsErrors.badQueueName();
        }
        if (this.topics.has(name)) {
          return { status: 204 };
        }
        this.createTopic(name);
        return { status: 201, headers: { location: `http://${this.accountId}.mns.${this.region}.aliyuncs.com/topics/${name}` } };
      }
      case 'GetTopicAttributes': {
        const t = this.topic(name);
        return {
          status: 200,
          xml: xml('Topic', {
            TopicName: t.name,
            CreateTime: Math.floor(t.createTime / 1000),
            LastModifyTime: Math.floor(t.createTime / 1000),
            MaximumMessageSize: 65536,
            MessageRetentionPeriod: 86400,
            MessageCount: this.publishedList.filter((p) => p.topic === t.name).length,
            LoggingEnabled: 'False',
          }),
        };
      }
      case 'ListTopic':
        return {
          status: 200,
          xml: xml('Topics', { Topic: [...this.topics.keys()].sort().map((n) => ({ TopicURL: `http://${this.accountId}.mns.${this.region}.aliyuncs.com/topics/${n}` })) }),
        };
      case 'PublishMessage': {
        const t = this.topic(name);
        const message = (await this.parse(body))?.Message;
        const text = typeof message?.MessageBody === 'string' ? message.MessageBody : '';
        if (Buffer.byteLength(text, 'utf8') > 65536) {
          throw mnsErrors.argument('MessageBody', 1, 65536);
        }
        const tag = typeof message?.MessageTag === 'string' ? message.MessageTag : undefined;
        const published: PublishedMessage = {
          topic: t.name,
          messageId: this.messageId(),
          body: text,
          bodyMd5: md5Hex(text),
          tag,
          publishTime: this.now(),
        };
        this.publishedList.push(published);
        for (const sub of t.subscriptions.values()) {
          if (sub.filterTag !== undefined && sub.filterTag !== tag) {
            continue;
          }
          const q = this.queues.get(sub.queue);
          if (!q) {
            continue;
          }
          this.enqueue(q, { MessageBody: notification(sub, published, this.accountId) });
          this.serveWaiters(q);
        }
        return { status: 201, xml: xml('Message', { MessageId: published.messageId, MessageBodyMD5: published.bodyMd5 }) };
      }
    }
  }

  private messageId(): string {
    this.sequence++;
    return `${this.hex(16)}-1-${this.now().toString(16).toUpperCase()}-${String(this.sequence).padStart(9, '0')}`;
  }

  private enqueue(q: Queue, message: any): StoredMessage {
    const text = typeof message?.MessageBody === 'string' ? message.MessageBody : '';
    if (text.length === 0) {
      throw mnsErrors.argument('MessageBody', 1, q.attributes.maximumMessageSize);
    }
    if (Buffer.byteLength(text, 'utf8') > q.attributes.maximumMessageSize) {
      throw mnsErrors.argument('MessageBody', 1, q.attributes.maximumMessageSize);
    }
    const delay = message?.DelaySeconds === undefined ? q.attributes.delaySeconds : Number(message.DelaySeconds);
    if (!Number.isInteger(delay) || delay < 0 || delay > 604800) {
      throw mnsErrors.argument('DelaySeconds', 0, 604800);
    }
    const priority = message?.Priority === undefined ? 8 : Number(message.Priority);
    if (!Number.isInteger(priority) || priority < 1 || priority > 16) {
      throw mnsErrors.argument('Priority', 1, 16);
    }
    const now = this.now();
    const stored: StoredMessage = {
      messageId: this.messageId(),
      body: text,
      bodyMd5: md5Hex(text),
      priority,
      enqueueTime: now,
      nextVisibleTime: now + delay * 1000,
      dequeueCount: 0,
    };
    q.messages.push(stored);
    return stored;
  }

  /** Up to `count` visible messages, made invisible for the queue's visibility timeout with fresh handles. */
  private take(q: Queue, count: number): StoredMessage[] {
    const now = this.now();
    const visible = q.messages.filter((m) => m.nextVisibleTime <= now);
    // Lower Priority values are received first (1 highest); ties by enqueue order.
    visible.sort((a, b) => a.priority - b.priority || a.enqueueTime - b.enqueueTime);
    const got = visible.slice(0, count);
    for (const m of got) {
      m.dequeueCount++;
      m.firstDequeueTime ??= now;
      m.nextVisibleTime = now + q.attributes.visibilityTimeout * 1000;
      m.receiptHandle = `1-${this.hex(32)}`;
    }
    return got;
  }

  private park(queue: string, count: number, waitSeconds: number): Promise<StoredMessage[] | undefined> {
    return new Promise((resolve) => {
      const ms = waitSeconds * (this.options.msPerWaitSecond ?? 1000);
      const waiter: Waiter = {
        queue,
        count,
        peek: false,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          const q = this.queues.get(queue);
          // One last look: a message may have become visible by the clock without a send to wake the poll.
          resolve(q ? this.take(q, count) : []);
        }, ms),
      };
      this.waiters.push(waiter);
    });
  }

  private serveWaiters(q: Queue): void {
    for (const waiter of this.waiters.filter((w) => w.queue === q.name)) {
      const got = this.take(q, waiter.count);
      if (got.length === 0) {
        return;
      }
      clearTimeout(waiter.timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(got);
    }
  }

  /**
   * Deletes or re-hides the message a handle names. A handle is single use: it stops working once the message is
   * deleted (MessageNotExist), received again or re-hidden (ReceiptHandleError; GUESS on which code MNS picks).
   */
  private release(q: Queue, handle: string, what: 'delete' | 'hide', seconds = 0): StoredMessage {
    if (!/^1-[0-9A-F]{32}$/.test(handle)) {
      throw mnsErrors.receiptHandle();
    }
    const m = q.messages.find((x) => x.receiptHandle === handle);
    if (!m) {
      throw this.retired.has(handle) ? mnsErrors.messageMissing() : mnsErrors.receiptHandle();
    }
    if (what === 'delete') {
      q.messages = q.messages.filter((x) => x !== m);
      this.retired.add(handle);
      return m;
    }
    m.nextVisibleTime = this.now() + seconds * 1000;
    m.receiptHandle = `1-${this.hex(32)}`;
    return m;
  }

  private view(m: StoredMessage, withHandle: boolean): Record<string, unknown> {
    return {
      MessageId: m.messageId,
      ...(withHandle ? { ReceiptHandle: m.receiptHandle } : {}),
      MessageBodyMD5: m.bodyMd5,
      MessageBody: m.body,
      EnqueueTime: m.enqueueTime,
      NextVisibleTime: m.nextVisibleTime,
      FirstDequeueTime: m.firstDequeueTime ?? m.enqueueTime,
      DequeueCount: m.dequeueCount,
      Priority: m.priority,
    };
  }
}

/** What a queue subscribed to a topic receives, per NotifyContentFormat. */
function notification(sub: SubscriptionSpec, message: PublishedMessage, accountId: string): string {
  const fields = {
    TopicOwner: accountId,
    TopicName: message.topic,
    Subscriber: accountId,
    SubscriptionName: sub.name,
    MessageId: message.messageId,
    Message: message.body,
    MessageMD5: message.bodyMd5,
    ...(message.tag === undefined ? {} : { MessageTag: message.tag }),
    PublishTime: String(message.publishTime),
  };
  switch (sub.notifyContentFormat) {
    case 'SIMPLIFIED':
      return message.body;
    case 'JSON':
      return JSON.stringify(fields);
    default:
      return xml('Notification', fields);
  }
}

function queueAttributes(q: any): QueueAttributes {
  const out: Record<string, number> = {};
  const ranges: Record<string, [keyof QueueAttributes, number, number]> = {
    DelaySeconds: ['delaySeconds', 0, 604800],
    MaximumMessageSize: ['maximumMessageSize', 1024, 65536],
    MessageRetentionPeriod: ['messageRetentionPeriod', 60, 604800],
    VisibilityTimeout: ['visibilityTimeout', 1, 43200],
    PollingWaitSeconds: ['pollingWaitSeconds', 0, 30],
  };
  for (const [element, [key, low, high]] of Object.entries(ranges)) {
    if (q?.[element] === undefined) {
      continue;
    }
    const v = Number(q[element]);
    if (!Number.isInteger(v) || v < low || v > high) {
      throw mnsErrors.argument(element, low, high);
    }
    out[key] = v;
  }
  return out as QueueAttributes;
}

function batchSize(query: Record<string, string>): number {
  const n = Number(query.numOfMessages);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH) {
    throw mnsErrors.argument('numOfMessages', 1, MAX_BATCH);
  }
  return n;
}

interface Route {
  readonly action: MnsAction;
  readonly name: string;
  readonly query: Record<string, string>;
}

function routeOf(method: string, resource: string, body: Buffer): Route | undefined {
  const q = resource.indexOf('?');
  const pathname = q < 0 ? resource : resource.slice(0, q);
  const query: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(q < 0 ? '' : resource.slice(q + 1))) {
    query[k] = v;
  }
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const route = (action: MnsAction, name = '') => ({ action, name, query });
  if (parts[0] === 'queues') {
    if (parts.length === 1 && method === 'GET') return route('ListQueue');
    if (parts.length === 2) {
      if (method === 'PUT') return route(query.metaoverride === 'true' ? 'SetQueueAttributes' : 'CreateQueue', parts[1]);
      if (method === 'GET') return route('GetQueueAttributes', parts[1]);
      if (method === 'DELETE') return route('DeleteQueue', parts[1]);
    }
    if (parts.length === 3 && parts[2] === 'messages') {
      const batch = query.numOfMessages !== undefined;
      if (method === 'POST') return route(body.includes('<Messages') ? 'BatchSendMessage' : 'SendMessage', parts[1]);
      if (method === 'GET' && query.peekonly === 'true') return route(batch ? 'BatchPeekMessage' : 'PeekMessage', parts[1]);
      if (method === 'GET') return route(batch ? 'BatchReceiveMessage' : 'ReceiveMessage', parts[1]);
      if (method === 'DELETE') return route(body.length > 0 ? 'BatchDeleteMessage' : 'DeleteMessage', parts[1]);
      if (method === 'PUT') return route('ChangeMessageVisibility', parts[1]);
    }
  }
  if (parts[0] === 'topics') {
    if (parts.length === 1 && method === 'GET') return route('ListTopic');
    if (parts.length === 2 && method === 'PUT') return route('CreateTopic', parts[1]);
    if (parts.length === 2 && method === 'GET') return route('GetTopicAttributes', parts[1]);
    if (parts.length === 3 && parts[2] === 'messages' && method === 'POST') return route('PublishMessage', parts[1]);
  }
  return undefined;
}

