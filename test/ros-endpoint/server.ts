/**
 * A local ROS (2019-09-10) endpoint for the official `@alicloud/ros20190910` SDK over loopback: V3 (and V1)
 * signatures verified by the ICE endpoint's Authenticator, RPC parameters from the query and form body, JSON answers
 * in ROS's envelopes, ROS's error codes (errors.ts). Templates are validated as ROS does (validate.ts), stacks run
 * through their statuses with events (stacks.ts), change sets preview and apply updates, and outputs are resolved.
 */
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { AccessKey, Authenticator } from '../endpoint/auth';
import { rpcTarget } from '../endpoint/protocol';
import { requestId, seededRandom } from '../endpoint/random';
import { DEFAULT_ACCESS_KEY, readBody } from '../endpoint/server';
import { commonErrors, rosErrors, ServiceError } from './errors';
import { ChangeSetRecord, EngineOptions, ResourceOperation, StackEngine, StackRecord } from './stacks';
import { validateTemplate } from './validate';

export const ROS_VERSION = '2019-09-10';
export const DEFAULT_ACCOUNT_ID = '1234567890123456';

const ACTIONS = [
  'CreateStack', 'GetStack', 'ListStacks', 'DeleteStack', 'GetTemplate', 'ListStackEvents', 'ListStackResources',
  'CreateChangeSet', 'GetChangeSet', 'ExecuteChangeSet', 'DeleteChangeSet', 'ValidateTemplate',
] as const;
export type RosAction = (typeof ACTIONS)[number];

export interface LocalRosOptions {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** @default [DEFAULT_ACCESS_KEY] (the key `npm run local-ice` prints, so one export serves both endpoints) */
  readonly accessKeys?: readonly AccessKey[];
  /** Server clock in epoch ms: stack progress, event times, signature clock skew. @default Date.now */
  readonly now?: () => number;
  /** Time between two steps of a stack operation (a resource takes two). @default 100 */
  readonly stepMs?: number;
  /** @default DEFAULT_ACCOUNT_ID */
  readonly accountId?: string;
  /** Seed of ids and RequestIds. @default 1 */
  readonly seed?: number;
  /** Makes a resource operation fail with the returned reason. @default - none fails */
  readonly failWhen?: (op: ResourceOperation) => string | undefined;
  /** Called once per answered request; must not throw. */
  readonly onRequest?: (record: { action?: string; statusCode: number; code?: string }) => void;
}

export interface LocalRos {
  /** `127.0.0.1:PORT`, the value for `--endpoint` (with `--protocol http`). */
  readonly endpoint: string;
  readonly port: number;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly accountId: string;
  /** The stack engine: every stack, its resources and events (for assertions). */
  readonly engine: StackEngine;
  /** Requests received per action, whatever their answer. */
  readonly calls: Readonly<Record<string, number>>;
  /** Answers the next `count` calls of `action` with `Throttling.User` (HTTP 400), as a busy ROS does. */
  throttleNext(action: RosAction, count: number): void;
  /** Answers the next `count` calls of `action` with `ServiceUnavailable` (HTTP 503). */
  failNext(action: RosAction, count: number): void;
  /** Carries out the next `count` calls of `action`, then resets the connection instead of answering (a lost answer). */
  dropAnswerNext(action: RosAction, count: number): void;
  close(): Promise<void>;
}

export async function startLocalRos(options: LocalRosOptions = {}): Promise<LocalRos> {
  const server = new RosServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

type Params = Record<string, string>;

/** `Parameters.1.ParameterKey=A&Parameters.1.ParameterValue=B` → `{A: 'B'}`. */
function listParameters(params: Params): Params {
  const out: Params = {};
  for (let i = 1; params[`Parameters.${i}.ParameterKey`] !== undefined; i++) {
    out[params[`Parameters.${i}.ParameterKey`]] = params[`Parameters.${i}.ParameterValue`] ?? '';
  }
  return out;
}

function listOf(params: Params, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${name}.${i}`] !== undefined; i++) out.push(params[`${name}.${i}`]);
  return out;
}

function required(params: Params, name: string): string {
  const v = params[name];
  if (v === undefined || v === '') throw rosErrors.missingParameter(name);
  return v;
}

function integer(params: Params, name: string, min: number, max: number, fallback: number): number {
  const raw = params[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw rosErrors.invalidParameter(name, `it must be an integer in ${min}-${max}, got ${JSON.stringify(raw)}`);
  return n;
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,254}$/;

class RosServer implements LocalRos {
  readonly engine: StackEngine;
  readonly accountId: string;
  readonly calls: Record<string, number> = {};
  port = 0;
  private readonly http: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly auth: Authenticator;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly tokens = new Map<string, { fingerprint: string; answer: Record<string, unknown> }>();
  private readonly injected: Array<{ action: RosAction; remaining: number; error: () => ServiceError }> = [];
  private readonly dropped: Array<{ action: RosAction; remaining: number }> = [];

  constructor(private readonly options: LocalRosOptions) {
    this.now = options.now ?? Date.now;
    this.random = seededRandom(options.seed ?? 1);
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    const engineOptions: EngineOptions = {
      accountId: this.accountId,
      stepMs: options.stepMs ?? 100,
      now: this.now,
      random: this.random,
      failWhen: options.failWhen,
    };
    this.engine = new StackEngine(engineOptions);
    this.auth = new Authenticator(options.accessKeys ?? [DEFAULT_ACCESS_KEY], this.now, 15 * 60 * 1000);
    this.http = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    this.http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get endpoint(): string {
    return `127.0.0.1:${this.port}`;
  }

  get accessKeyId(): string {
    return (this.options.accessKeys ?? [DEFAULT_ACCESS_KEY])[0].accessKeyId;
  }

  get accessKeySecret(): string {
    return (this.options.accessKeys ?? [DEFAULT_ACCESS_KEY])[0].accessKeySecret;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => {
        this.port = (this.http.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  throttleNext(action: RosAction, count: number): void {
    this.injected.push({ action, remaining: count, error: () => commonErrors.throttling(0) });
  }

  failNext(action: RosAction, count: number): void {
    this.injected.push({ action, remaining: count, error: () => commonErrors.serviceUnavailable() });
  }

  dropAnswerNext(action: RosAction, count: number): void {
    this.dropped.push({ action, remaining: count });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) {
      req.socket.destroy();
      return;
    }
    const { pathname, query, v1, action, version } = rpcTarget(req);
    const reqId = requestId(this.random);
    if (action) this.calls[action] = (this.calls[action] ?? 0) + 1;
    try {
      if (!action) throw commonErrors.missingParameter('Action');
      if (version !== ROS_VERSION) throw commonErrors.invalidVersion(version ?? '');
      if (!(ACTIONS as readonly string[]).includes(action)) throw commonErrors.invalidAction(action, version);
      const { params } = v1 ? this.auth.v1(req, query, body) : this.auth.v3(req, pathname, query, body);
      const fault = this.injected.find((f) => f.action === action && f.remaining > 0);
      if (fault) {
        fault.remaining--;
        throw fault.error();
      }
      this.engine.advance();
      const answer = this.dispatch(action as RosAction, params);
      const drop = this.dropped.find((d) => d.action === action && d.remaining > 0);
      if (drop) {
        drop.remaining--;
        req.socket.destroy();
        this.options.onRequest?.({ action, statusCode: 0 });
        return;
      }
      this.send(res, 200, { RequestId: reqId, ...answer }, reqId);
      this.options.onRequest?.({ action, statusCode: 200 });
    } catch (err) {
      const error = err instanceof ServiceError ? err : commonErrors.internalError(err instanceof Error ? err.message : String(err));
      this.send(res, error.statusCode, {
        RequestId: reqId,
        HostId: 'ros.aliyuncs.com',
        Code: error.code,
        Message: error.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=ROS&requestId=${reqId}`,
      }, reqId, error.headers);
      this.options.onRequest?.({ action, statusCode: error.statusCode, code: error.code });
    }
  }

  private send(res: http.ServerResponse, status: number, body: unknown, reqId: string, headers: Readonly<Record<string, string>> = {}): void {
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-acs-request-id': reqId, ...headers });
    res.end(text);
  }

  /** Same token and same request: the first answer again; same token, other request: InvalidIdempotenceParameter. */
  private idempotent(action: string, params: Params, run: () => Record<string, unknown>): Record<string, unknown> {
    const token = params.ClientToken;
    if (!token) return run();
    const { ClientToken: _t, ...rest } = params;
    const fingerprint = JSON.stringify([action, Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))]);
    const key = `${action}:${token}`;
    const earlier = this.tokens.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) throw rosErrors.idempotenceMismatch();
      return earlier.answer;
    }
    const answer = run();
    this.tokens.set(key, { fingerprint, answer });
    return answer;
  }

  private region(params: Params): string {
    return required(params, 'RegionId');
  }

  private dispatch(action: RosAction, params: Params): Record<string, unknown> {
    switch (action) {
      case 'ValidateTemplate': {
        const v = validateTemplate(params.TemplateBody);
        return {
          Description: v.template.Description ?? '',
          Parameters: Object.entries(v.template.Parameters ?? {}).map(([k, p]) => ({ ParameterKey: k, ...p })),
          Outputs: Object.entries(v.template.Outputs ?? {}).map(([k, o]) => ({ OutputKey: k, Description: o.Description ?? '' })),
        };
      }
      case 'CreateStack':
        return this.idempotent(action, params, () => {
          const region = this.region(params);
          const name = required(params, 'StackName');
          if (!STACK_NAME.test(name)) throw rosErrors.invalidParameter('StackName', `it must start with a letter and hold up to 255 letters, digits, - and _, got ${JSON.stringify(name)}`);
          const timeout = integer(params, 'TimeoutInMinutes', 10, 1440, 60);
          const validated = validateTemplate(params.TemplateBody, listParameters(params));
          const stack = this.engine.create({
            name, region, body: params.TemplateBody, validated, disableRollback: params.DisableRollback === 'true', timeoutInMinutes: timeout,
          });
          return { StackId: stack.id };
        });
      case 'GetStack': {
        const stack = this.engine.find(required(params, 'StackId'), this.region(params));
        return this.stackAnswer(stack);
      }
      case 'ListStacks': {
        const region = this.region(params);
        const names = listOf(params, 'StackName');
        const statuses = listOf(params, 'Status');
        const pageSize = integer(params, 'PageSize', 1, 50, 10);
        const pageNumber = integer(params, 'PageNumber', 1, 1_000_000, 1);
        const all = this.engine.live(region).filter((s) => (names.length === 0 || names.includes(s.name)) && (statuses.length === 0 || statuses.includes(s.status)));
        return {
          Stacks: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((s) => ({
            StackId: s.id, StackName: s.name, Status: s.status, StatusReason: s.statusReason, RegionId: s.region,
            CreateTime: s.createTime, ...(s.updateTime ? { UpdateTime: s.updateTime } : {}), DisableRollback: s.disableRollback,
            TimeoutInMinutes: s.timeoutInMinutes,
          })),
          TotalCount: all.length, PageNumber: pageNumber, PageSize: pageSize,
        };
      }
      case 'DeleteStack': {
        const stack = this.engine.find(required(params, 'StackId'), this.region(params));
        this.engine.delete(stack);
        return {};
      }
      case 'GetTemplate': {
        if (params.ChangeSetId) return { TemplateBody: this.engine.changeSet(params.ChangeSetId).templateBody };
        const stack = this.engine.find(required(params, 'StackId'), this.region(params));
        return { TemplateBody: stack.templateBody };
      }
      case 'ListStackEvents': {
        const stack = this.engine.find(required(params, 'StackId'), this.region(params));
        const pageSize = integer(params, 'PageSize', 1, 100, 10);
        const pageNumber = integer(params, 'PageNumber', 1, 1_000_000, 1);
        // Newest first (GUESS: the console shows them so; clients should not rely on the order).
        const events = [...stack.events].reverse();
        return { Events: events.slice((pageNumber - 1) * pageSize, pageNumber * pageSize), TotalCount: events.length, PageNumber: pageNumber, PageSize: pageSize };
      }
      case 'ListStackResources': {
        const stack = this.engine.find(required(params, 'StackId'), this.region(params));
        return {
          Resources: [...stack.resources.values()].map((r) => ({
            LogicalResourceId: r.logicalId, PhysicalResourceId: r.physicalId, ResourceType: r.type, Status: r.status,
            StatusReason: r.statusReason, StackId: stack.id, StackName: stack.name,
          })),
        };
      }
      case 'CreateChangeSet':
        return this.idempotent(action, params, () => {
          const region = this.region(params);
          const type = params.ChangeSetType ?? 'UPDATE';
          if (type !== 'UPDATE') throw rosErrors.invalidParameter('ChangeSetType', `only UPDATE change sets are served by this endpoint, got ${JSON.stringify(type)}`);
          const stack = this.engine.find(params.StackId ?? required(params, 'StackName'), region);
          const name = required(params, 'ChangeSetName');
          const given = params.UsePreviousParameters === 'true' ? { ...stack.parameters, ...listParameters(params) } : listParameters(params);
          const validated = validateTemplate(params.TemplateBody, given);
          const cs = this.engine.createChangeSet(stack, {
            name, body: params.TemplateBody, validated, timeoutInMinutes: integer(params, 'TimeoutInMinutes', 10, 1440, stack.timeoutInMinutes),
            disableRollback: params.DisableRollback === 'true',
          });
          return { ChangeSetId: cs.id, StackId: stack.id };
        });
      case 'GetChangeSet': {
        const cs = this.engine.changeSet(required(params, 'ChangeSetId'));
        return this.changeSetAnswer(cs, params.ShowTemplate === 'true');
      }
      case 'ExecuteChangeSet':
        return this.idempotent(action, params, () => {
          this.engine.execute(this.engine.changeSet(required(params, 'ChangeSetId')));
          return {};
        });
      case 'DeleteChangeSet':
        this.engine.deleteChangeSet(required(params, 'ChangeSetId'));
        return {};
    }
  }

  private stackAnswer(stack: StackRecord): Record<string, unknown> {
    const pseudo = {
      'ALIYUN::StackName': stack.name, 'ALIYUN::StackId': stack.id, 'ALIYUN::Region': stack.region,
      'ALIYUN::AccountId': this.accountId, 'ALIYUN::NoValue': 'None',
    };
    return {
      StackId: stack.id,
      StackName: stack.name,
      RegionId: stack.region,
      Status: stack.status,
      StatusReason: stack.statusReason,
      CreateTime: stack.createTime,
      ...(stack.updateTime ? { UpdateTime: stack.updateTime } : {}),
      DisableRollback: stack.disableRollback,
      TimeoutInMinutes: stack.timeoutInMinutes,
      Description: typeof stack.template.Description === 'string' ? stack.template.Description : undefined,
      Parameters: Object.entries({ ...stack.parameters, ...pseudo }).map(([k, v]) => ({ ParameterKey: k, ParameterValue: v })),
      ...(stack.outputs && /_COMPLETE$/.test(stack.status) ? { Outputs: stack.outputs } : {}),
    };
  }

  private changeSetAnswer(cs: ChangeSetRecord, showTemplate: boolean): Record<string, unknown> {
    const stack = this.engine.all().find((s) => s.id === cs.stackId);
    return {
      ChangeSetId: cs.id,
      ChangeSetName: cs.name,
      ChangeSetType: 'UPDATE',
      StackId: cs.stackId,
      StackName: stack?.name,
      RegionId: cs.region,
      Status: cs.status,
      ...(cs.statusReason ? { StatusReason: cs.statusReason } : {}),
      ExecutionStatus: cs.executionStatus,
      CreateTime: cs.createTime,
      DisableRollback: cs.disableRollback,
      TimeoutInMinutes: cs.timeoutInMinutes,
      Parameters: Object.entries(cs.validated.parameters).map(([k, v]) => ({ ParameterKey: k, ParameterValue: v })),
      Changes: cs.status === 'CREATE_COMPLETE' ? cs.changes : [],
      ...(showTemplate ? { TemplateBody: cs.templateBody } : {}),
    };
  }
}

