import * as ros from '@alicloud/ros-cdk-core';
import * as ots from '@alicloud/ros-cdk-ots';
import {
  DEFAULT_LEDGER_TABLE_NAME,
  LEDGER_PRIMARY_KEY_NAME,
  LEDGER_RAM_ACTIONS,
  MNS_RAM_ACTIONS,
  OTS_INSTANCE_NAME_PATTERN,
  OTS_LIMITS,
  otsTableArn,
} from '../service';
import { IMediaBucket } from './bucket';
import { grant, Grant, IGrantable } from './grants';
import { INotificationQueue, NotificationTopic } from './mns';
import { propError, uniqueLogicalId } from './naming';
import type { ProductionRuntime } from './runtime';

/** Uploads under `prefix` ending in one of `suffixes` start a job of `preset`. */
export interface ProductionRoute {
  /** Object keys starting with this (under the input prefix). */
  readonly prefix: string;
  /**
   * Object keys ending with one of these (case-sensitive, as OSS trigger filters are): one OSS trigger each.
   * @default - any key under the prefix (one trigger)
   */
  readonly suffixes?: readonly string[];
  /** Name of a preset of the deployment: the request the upload fills. */
  readonly preset: string;
}

/** Where the job ledger lives. */
export interface ProductionLedgerOptions {
  /**
   * The Tablestore instance (3-16 letters, digits or '-'). With `createInstance: false` it must already exist
   * (bring your own) in the stack's region.
   * @default - the name prefix with everything but letters and digits removed, at most 16 characters
   */
  readonly instanceName?: string;
  /**
   * The ledger table (created by the stack in either case).
   * @default 'iprod_jobs'
   */
  readonly tableName?: string;
  /**
   * Whether the stack creates the instance.
   * @default true
   */
  readonly createInstance?: boolean;
}

/** Properties of a `ProductionLoop`. */
export interface ProductionLoopProps {
  /** The function that runs the loop: it gets the triggers, the ledger grants and the results topic grant. */
  readonly runtime: ProductionRuntime;
  /** Seeds the results topic's name (`{prefix}-results`) and the default ledger instance name. */
  readonly namePrefix: string;
  /** The bucket uploads land in. */
  readonly inputBucket: IMediaBucket;
  readonly routes: readonly ProductionRoute[];
  /** @default - instance from the prefix, created; table 'iprod_jobs' */
  readonly ledger?: ProductionLedgerOptions;
  /**
   * Minutes between sweeps of the ledger's open rows (the completion fallback that needs no notification).
   * @default 1
   */
  readonly sweepIntervalMinutes?: number;
}

/** The ledger instance name a prefix gives: letters and digits only, at most 16 characters. */
export function defaultLedgerInstanceName(namePrefix: string): string {
  return namePrefix.replace(/[^a-zA-Z0-9]/g, '').slice(0, 16);
}

/** What the sweep timer's event carries, so the handler tells it from other timers. */
export const SWEEP_PAYLOAD = { loop: 'sweep' } as const;

/**
 * The production loop's resources (docs/loop.md): the ledger (a Tablestore instance, or yours, and its table), the
 * results topic the app subscribes to, an OSS trigger per route and suffix on the input bucket, the sweep timer, and
 * the runtime's least-privilege grants on exactly that table and topic. `IntelligentProduction` creates it from
 * `routes`; the handler finds its settings in the runtime's `IPROD_LOOP`.
 */
export class ProductionLoop extends ros.Construct {
  public readonly instanceName: string;
  public readonly tableName: string;
  /** `acs:ots:{region}:{account}:instance/{instance}/table/{table}` */
  public readonly tableArn: string;
  /** Results of every upload's job (Success, Fail, Rejected, Unknown), once per row; dedupe on the message's `dedupeId`. */
  public readonly resultsTopic: NotificationTopic;
  /** OSS trigger names, one per route and suffix, in route order. */
  public readonly uploadTriggerNames: readonly string[];

  constructor(scope: ros.Construct, id: string, props: ProductionLoopProps) {
    super(scope, id);
    const stack = ros.Stack.of(this);
    const runtime = props.runtime;
    this.instanceName = props.ledger?.instanceName ?? defaultLedgerInstanceName(props.namePrefix);
    this.tableName = props.ledger?.tableName ?? DEFAULT_LEDGER_TABLE_NAME;
    if (typeof this.instanceName !== 'string' || !OTS_INSTANCE_NAME_PATTERN.test(this.instanceName)) {
      throw propError(this, 'ledger.instanceName', 'must be 3-16 letters, digits or -, a letter first and no - last', this.instanceName);
    }
    if (typeof this.tableName !== 'string' || !OTS_LIMITS.tableNamePattern.test(this.tableName)) {
      throw propError(this, 'ledger.tableName', 'must be 1-255 letters, digits or _, not starting with a digit', this.tableName);
    }
    if (props.routes.length === 0) throw propError(this, 'routes', 'must hold at least one route', props.routes);
    this.tableArn = otsTableArn(stack.region, stack.account, this.instanceName, this.tableName);

    let instance: ots.RosInstance | undefined;
    if (props.ledger?.createInstance ?? true) {
      instance = new ots.RosInstance(this, uniqueLogicalId(this, 'Instance'), {
        instanceName: this.instanceName,
        description: 'Job ledger of the production loop (ros-cdk-iproduction)',
      }, true);
    }
    new ots.RosTable(this, uniqueLogicalId(this, 'Table'), {
      instanceName: instance ? instance.attrInstanceName : this.instanceName,
      tableName: this.tableName,
      primaryKey: [{ name: LEDGER_PRIMARY_KEY_NAME, type: 'STRING' }],
      maxVersions: 1,
      timeToLive: -1,
    }, true);
    grant(runtime, [...LEDGER_RAM_ACTIONS.read, ...LEDGER_RAM_ACTIONS.write], [this.tableArn]);

    this.resultsTopic = new NotificationTopic(this, 'Results', { topicName: `${props.namePrefix}-results` });
    this.resultsTopic.grantPublish(runtime);

    const names: string[] = [];
    props.routes.forEach((route, i) => {
      const suffixes = route.suffixes !== undefined && route.suffixes.length > 0 ? route.suffixes : [''];
      suffixes.forEach((suffix, j) => {
        const triggerName = `upload-${i + 1}${suffixes.length > 1 ? `-${j + 1}` : ''}`;
        runtime.addOssTrigger(`Upload${i + 1}${suffixes.length > 1 ? `x${j + 1}` : ''}`, {
          triggerName,
          bucket: props.inputBucket,
          prefix: route.prefix,
          suffix,
        });
        names.push(triggerName);
      });
    });
    this.uploadTriggerNames = names;
    runtime.addTimer('Sweep', { triggerName: 'sweep', intervalMinutes: props.sweepIntervalMinutes ?? 1, payload: { ...SWEEP_PAYLOAD } });
  }

  /** Subscribes an app's queue to the results topic (the queue receives every result message). */
  public addResultsSubscriber(queue: INotificationQueue): void {
    this.resultsTopic.addQueueSubscription(queue);
  }

  /**
   * Lets `grantee` (an app's deploy role) subscribe its own queue or URL to the results topic: Subscribe,
   * Unsubscribe and GetSubscriptionAttributes on the topic's subscriptions.
   */
  public grantSubscribeResults(grantee: IGrantable): Grant {
    const arn = this.resultsTopic.topicArn;
    return grant(grantee, [...MNS_RAM_ACTIONS.subscribe], [arn, `${arn}/subscriptions/*`]);
  }

  /** Lets `grantee` read the ledger (`iprod jobs list|get`): GetRow and GetRange on the table. */
  public grantReadLedger(grantee: IGrantable): Grant {
    return grant(grantee, [...LEDGER_RAM_ACTIONS.read], [this.tableArn]);
  }
}
