import * as ros from '@alicloud/ros-cdk-core';
import * as fc from '@alicloud/ros-cdk-fc';
import * as ots from '@alicloud/ros-cdk-ots';
import * as ram from '@alicloud/ros-cdk-ram';
import { LEDGER_RAM_ACTIONS, OTS_INSTANCE_NAME_PATTERN, OTS_LIMITS, otsTableArn } from '../service';
import { grant } from './grants';
import { INotificationQueue, NotificationTopic } from './mns';
import { propError, uniqueLogicalId } from './naming';
import type { ProductionRuntime } from './runtime';

/** Uploads under `prefix` ending in one of `suffixes` start a job of `preset`. */
export interface ProductionRoute {
  readonly prefix: string;
  /** @default - any suffix */
  readonly suffixes?: string[];
  readonly preset: string;
}

export interface ProductionLedgerOptions {
  /**
   * The Tablestore instance. With `createInstance: false` it must exist (bring your own).
   * @default - the name prefix, letters and digits only, at most 16 characters
   */
  readonly instanceName?: string;
  /** @default 'iprod_jobs' */
  readonly tableName?: string;
  /** @default true */
  readonly createInstance?: boolean;
}

export interface ProductionLoopProps {
  readonly runtime: ProductionRuntime;
  readonly namePrefix: string;
  readonly inputBucketName: string;
  readonly routes: readonly ProductionRoute[];
  readonly ledger?: ProductionLedgerOptions;
  /** Sweep timer period. @default 1 */
  readonly sweepMinutes?: number;
}

/** The OSS events that start a job: every way an object is created. */
export const UPLOAD_EVENTS: readonly string[] = [
  'oss:ObjectCreated:PutObject',
  'oss:ObjectCreated:PostObject',
  'oss:ObjectCreated:CompleteMultipartUpload',
  'oss:ObjectCreated:CopyObject',
];

/**
 * The production loop's resources (docs/loop.md): the ledger (Tablestore instance and table, or yours), the results
 * topic the app subscribes to, an OSS trigger per route and suffix, the sweep timer, and the runtime's least-privilege
 * grants on exactly that table and topic.
 */
export class ProductionLoop extends ros.Construct {
  public readonly instanceName: string;
  public readonly tableName: string;
  /** `acs:ots:{region}:{account}:instance/{instance}/table/{table}` */
  public readonly tableArn: string;
  /** Results of every upload's job (Success, Fail, Rejected, Unknown), once per row; dedupe on `dedupeId`. */
  public readonly resultsTopic: NotificationTopic;

  constructor(scope: ros.Construct, id: string, props: ProductionLoopProps) {
    super(scope, id);
    const stack = ros.Stack.of(this);
    const runtime = props.runtime;
    this.instanceName = props.ledger?.instanceName ?? props.namePrefix.replace(/[^a-zA-Z0-9]/g, '').slice(0, 16);
    this.tableName = props.ledger?.tableName ?? 'iprod_jobs';
    if (!OTS_INSTANCE_NAME_PATTERN.test(this.instanceName)) {
      throw propError(this, 'ledger.instanceName', '3-16 letters, digits or -, a letter first, no - last', this.instanceName);
    }
    if (!OTS_LIMITS.tableNamePattern.test(this.tableName)) {
      throw propError(this, 'ledger.tableName', 'letters, digits or _, not starting with a digit (1-255)', this.tableName);
    }
    this.tableArn = otsTableArn(stack.region, stack.account, this.instanceName, this.tableName);

    let instance: ots.Instance | undefined;
    if (props.ledger?.createInstance ?? true) {
      instance = new ots.Instance(this, uniqueLogicalId(this, 'Instance'), { instanceName: this.instanceName, description: 'Job ledger of the production loop (ros-cdk-iproduction)' });
    }
    new ots.Table(this, uniqueLogicalId(this, 'Table'), {
      instanceName: instance ? instance.attrInstanceName : this.instanceName,
      tableName: this.tableName,
      primaryKey: [{ name: 'id', type: 'STRING' }],
      maxVersions: 1,
      timeToLive: -1,
    });
    grant(runtime, [...LEDGER_RAM_ACTIONS.read, ...LEDGER_RAM_ACTIONS.write], [this.tableArn]);

    this.resultsTopic = new NotificationTopic(this, 'Results', { topicName: `${props.namePrefix}-results` });
    this.resultsTopic.grantPublish(runtime);

    // OSS invokes the function by assuming a role of its own, allowed only fc:InvokeFunction on this function.
    const invokeRole = new ram.RosRole(
      this,
      uniqueLogicalId(this, 'UploadTriggerRole'),
      {
        roleName: `${runtime.roleName}-oss`,
        description: `Lets OSS invoke the ${runtime.functionName} function on uploads (ros-cdk-iproduction)`,
        assumeRolePolicyDocument: {
          version: '1',
          statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: ['oss.aliyuncs.com'] } }],
        },
        policies: [
          {
            policyName: `${runtime.roleName}-oss-invoke`,
            policyDocument: { version: '1', statement: [{ effect: 'Allow', action: ['fc:InvokeFunction'], resource: [runtime.functionArn] }] },
          },
        ],
      },
      true,
    );
    // The function's own attribute, so that every trigger waits for the function.
    const fnResource = runtime.node.children.find((c): c is fc.RosFunction => c instanceof fc.RosFunction);
    const functionName = fnResource ? fnResource.attrFunctionName : runtime.functionName;
    let n = 0;
    for (const route of props.routes) {
      const suffixes = route.suffixes && route.suffixes.length > 0 ? route.suffixes : [undefined];
      for (const suffix of suffixes) {
        n++;
          new fc.RosTrigger(
            this,
            uniqueLogicalId(this, `Upload${n}`),
            {
              serviceName: runtime.serviceName,
              functionName,
              triggerName: `upload-${n}`,
              triggerType: 'oss',
              sourceArn: `acs:oss:${stack.region}:${stack.account}:${props.inputBucketName}`,
              invocationRole: invokeRole.attrArn,
              triggerConfig: { events: [...UPLOAD_EVENTS], filter: { key: { prefix: route.prefix, ...(suffix ? { suffix } : {}) } } },
            },
            true,
          );
      }
    }
    const minutes = props.sweepMinutes ?? 1;
    new fc.RosTrigger(
        this,
        uniqueLogicalId(this, 'Sweep'),
        {
          serviceName: runtime.serviceName,
          functionName,
          triggerName: 'sweep',
          triggerType: 'timer',
          triggerConfig: { cronExpression: `@every ${minutes}m`, enable: true, payload: JSON.stringify({ loop: 'sweep' }) },
        },
        true,
      );
  }

  /** Subscribes an app's queue to the results topic (the queue receives every result message). */
  public addResultsSubscriber(queue: INotificationQueue): void {
    this.resultsTopic.addQueueSubscription(queue);
  }
}
