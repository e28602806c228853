/**
 * The ROS calls deploy, diff and destroy make, over the official `@alicloud/ros20190910` SDK (openapi-core, V3
 * signatures). The SDK's own retry is left off (its backoff sleeps for real and cannot be observed); this wrapper
 * retries throttling and transient failures with capped full-jitter backoff, honouring a server's retry-after hint,
 * through the runtime's error classification. Calls that change something carry a ClientToken chosen once per
 * logical operation, so a retried create or execute is answered from the first attempt instead of done twice.
 */
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import RosClient, * as $Ros from '@alicloud/ros20190910';
import { classifyError, isRetryable, resolveRetryOptions, retryDelayMs, RetryOptions } from '../runtime/retry';
import { ROS_ENDPOINT } from '../service';

export interface RosApiOptions {
  readonly region: string;
  /** `host[:port]`. @default - the SDK's endpoint for the region (ROS_ENDPOINT) */
  readonly endpoint?: string;
  /** @default 'https' */
  readonly protocol?: 'http' | 'https';
  /** @default - the official default chain (`new Credential()`): env ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET first */
  readonly credential?: { getCredential(): Promise<unknown> } | { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  /** @default { retries: 8, baseMs: 100, capMs: 5000 } */
  readonly retry?: RetryOptions;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** Told about each retry (for a progress line). @default - silent */
  readonly onRetry?: (info: { action: string; attempt: number; delayMs: number; error: unknown }) => void;
}

export interface StackSummary {
  readonly stackId: string;
  readonly stackName: string;
  readonly status: string;
  readonly statusReason?: string;
}

export interface StackEventRecord {
  readonly eventId: string;
  readonly logicalResourceId: string;
  readonly physicalResourceId?: string;
  readonly resourceType: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly createTime?: string;
}

export interface StackDetails extends StackSummary {
  readonly outputs: Array<{ OutputKey: string; OutputValue: unknown; Description?: string }>;
  readonly parameters: Record<string, string>;
}

export interface ChangeSetDetails {
  readonly changeSetId: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly executionStatus?: string;
  readonly changes: Array<Record<string, unknown>>;
}

/** An answer of ROS naming why it refused (the SDK error's `code`). */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** ROS's message without the SDK's `code: 400, ... request id: ...` wrapping. */
export function errorMessage(err: unknown): string {
  const e = err as { data?: { Message?: unknown }; message?: unknown } | null;
  if (typeof e?.data?.Message === 'string') return e.data.Message;
  return typeof e?.message === 'string' ? e.message : String(err);
}

function toCredential(c: RosApiOptions['credential']): { getCredential(): Promise<unknown> } {
  if (c === undefined) return new Credential();
  if (typeof (c as { getCredential?: unknown }).getCredential === 'function') return c as { getCredential(): Promise<unknown> };
  const keys = c as { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  return new Credential(new CredentialConfig({
    type: keys.securityToken ? 'sts' : 'access_key',
    accessKeyId: keys.accessKeyId,
    accessKeySecret: keys.accessKeySecret,
    ...(keys.securityToken ? { securityToken: keys.securityToken } : {}),
  }));
}

export class RosApi {
  readonly region: string;
  private readonly client: RosClient;
  private readonly retry: ReturnType<typeof resolveRetryOptions>;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: RosApiOptions) {
    this.region = options.region;
    this.retry = resolveRetryOptions(options.retry);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.client = new RosClient(new $OpenApiUtil.Config({
      regionId: options.region,
      credential: toCredential(options.credential) as never,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      protocol: options.protocol ?? 'https',
      readTimeout: 10_000,
      connectTimeout: 5_000,
    }));
  }

  /** `endpoint` as the requests go: for error messages. */
  describeEndpoint(): string {
    return `${this.options.protocol ?? 'https'}://${this.options.endpoint ?? ROS_ENDPOINT}`;
  }

  /**
   * One call with retries. `idempotent`: the call may be resent after an unknown outcome (reads, and writes that
   * carry a ClientToken).
   */
  private async call<T>(action: string, idempotent: boolean, send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
      } catch (err) {
        const kind = classifyError(err, { action });
        if (attempt >= this.retry.retries || !isRetryable(kind, { idempotent })) throw err;
        const delayMs = retryDelayMs(attempt, err, this.retry, this.random);
        this.options.onRetry?.({ action, attempt: attempt + 1, delayMs, error: err });
        await this.sleep(delayMs);
      }
    }
  }

  /** The live stack of that name in the region, or undefined. */
  async findStack(stackName: string): Promise<StackSummary | undefined> {
    const res = await this.call('ListStacks', true, () => this.client.listStacks(new $Ros.ListStacksRequest({
      regionId: this.region, stackName: [stackName], pageSize: 50, pageNumber: 1,
    })));
    const found = (res.body?.stacks ?? []).find((s) => s.stackName === stackName && s.status !== 'DELETE_COMPLETE');
    return found ? { stackId: found.stackId ?? '', stackName, status: found.status ?? '', statusReason: found.statusReason } : undefined;
  }

  async createStack(input: {
    stackName: string; templateBody: string; parameters: Record<string, string>; clientToken: string;
    timeoutInMinutes?: number; tags?: Record<string, string>;
  }): Promise<string> {
    const res = await this.call('CreateStack', true, () => this.client.createStack(new $Ros.CreateStackRequest({
      regionId: this.region,
      stackName: input.stackName,
      templateBody: input.templateBody,
      clientToken: input.clientToken,
      parameters: Object.entries(input.parameters).map(([k, v]) => new $Ros.CreateStackRequestParameters({ parameterKey: k, parameterValue: v })),
      ...(input.timeoutInMinutes !== undefined ? { timeoutInMinutes: input.timeoutInMinutes } : {}),
      ...(input.tags && Object.keys(input.tags).length > 0
        ? { tags: Object.entries(input.tags).map(([key, value]) => new $Ros.CreateStackRequestTags({ key, value })) }
        : {}),
    })));
    return res.body?.stackId ?? '';
  }

  async getStack(stackId: string): Promise<StackDetails> {
    const res = await this.call('GetStack', true, () => this.client.getStack(new $Ros.GetStackRequest({ regionId: this.region, stackId })));
    const b = res.body ?? ({} as $Ros.GetStackResponseBody);
    const parameters: Record<string, string> = {};
    for (const p of b.parameters ?? []) if (p.parameterKey !== undefined) parameters[p.parameterKey] = p.parameterValue ?? '';
    return {
      stackId: b.stackId ?? stackId,
      stackName: b.stackName ?? '',
      status: b.status ?? '',
      statusReason: b.statusReason,
      outputs: (b.outputs ?? []) as StackDetails['outputs'],
      parameters,
    };
  }

  async getTemplate(stackId: string): Promise<string> {
    const res = await this.call('GetTemplate', true, () => this.client.getTemplate(new $Ros.GetTemplateRequest({ regionId: this.region, stackId })));
    return res.body?.templateBody ?? '';
  }

  /** Every event of the stack not in `seen`, oldest first. Pages until a page holds only events already seen. */
  async newEvents(stackId: string, seen: ReadonlySet<string>): Promise<StackEventRecord[]> {
    const fresh: StackEventRecord[] = [];
    for (let page = 1; page <= 100; page++) {
      const res = await this.call('ListStackEvents', true, () => this.client.listStackEvents(new $Ros.ListStackEventsRequest({
        regionId: this.region, stackId, pageNumber: page, pageSize: 50,
      })));
      const events = res.body?.events ?? [];
      const unseen = events.filter((e) => e.eventId !== undefined && !seen.has(e.eventId) && !fresh.some((f) => f.eventId === e.eventId));
      for (const e of unseen) {
        fresh.push({
          eventId: e.eventId!, logicalResourceId: e.logicalResourceId ?? '', physicalResourceId: e.physicalResourceId,
          resourceType: e.resourceType ?? '', status: e.status ?? '', statusReason: e.statusReason, createTime: e.createTime,
        });
      }
      const total = res.body?.totalCount ?? 0;
      if (unseen.length < events.length || events.length === 0 || page * 50 >= total) break;
    }
    // Oldest first whatever order the service pages in: by time, then by the reverse of arrival within one time.
    return fresh
      .map((e, i) => ({ e, i }))
      .sort((a, b) => ((a.e.createTime ?? '') < (b.e.createTime ?? '') ? -1 : (a.e.createTime ?? '') > (b.e.createTime ?? '') ? 1 : b.i - a.i))
      .map(({ e }) => e);
  }

  async createChangeSet(input: {
    stackId: string; changeSetName: string; templateBody: string; parameters: Record<string, string>; clientToken: string;
    timeoutInMinutes?: number;
  }): Promise<string> {
    const res = await this.call('CreateChangeSet', true, () => this.client.createChangeSet(new $Ros.CreateChangeSetRequest({
      regionId: this.region,
      stackId: input.stackId,
      changeSetName: input.changeSetName,
      changeSetType: 'UPDATE',
      templateBody: input.templateBody,
      clientToken: input.clientToken,
      parameters: Object.entries(input.parameters).map(([k, v]) => new $Ros.CreateChangeSetRequestParameters({ parameterKey: k, parameterValue: v })),
      ...(input.timeoutInMinutes !== undefined ? { timeoutInMinutes: input.timeoutInMinutes } : {}),
    })));
    return res.body?.changeSetId ?? '';
  }

  async getChangeSet(changeSetId: string): Promise<ChangeSetDetails> {
    const res = await this.call('GetChangeSet', true, () => this.client.getChangeSet(new $Ros.GetChangeSetRequest({ regionId: this.region, changeSetId })));
    const b = res.body ?? ({} as $Ros.GetChangeSetResponseBody);
    return { changeSetId, status: b.status ?? '', statusReason: b.statusReason, executionStatus: b.executionStatus, changes: b.changes ?? [] };
  }

  async executeChangeSet(changeSetId: string, clientToken: string): Promise<void> {
    await this.call('ExecuteChangeSet', true, () => this.client.executeChangeSet(new $Ros.ExecuteChangeSetRequest({ regionId: this.region, changeSetId, clientToken })));
  }

  async deleteChangeSet(changeSetId: string): Promise<void> {
    await this.call('DeleteChangeSet', true, () => this.client.deleteChangeSet(new $Ros.DeleteChangeSetRequest({ regionId: this.region, changeSetId })));
  }

  async deleteStack(stackId: string): Promise<void> {
    await this.call('DeleteStack', true, () => this.client.deleteStack(new $Ros.DeleteStackRequest({ regionId: this.region, stackId })));
  }
}

/** Whether an SDK error says the stack is gone. */
export function isStackNotFound(err: unknown): boolean {
  return errorCode(err) === 'StackNotFound';
}
