/**
 * Facts about the data planes the stack's roles call: Tablestore (the job ledger), MNS (callback queues, the app's
 * results topic, the runtime's failed-invocations queue), OSS (media objects) and FC (invoking the runtime). Sources: FACTS.md ("Tablestore", "MNS", "RAM"), the Tablestore and MNS API
 * references (limits, error codes), `tablestore` 5.6.5 and `@alicloud/mns` 1.2.0 as read. GUESS marks what no
 * source confirmed.
 */

/** Tablestore data-plane endpoint of an instance (public, https). */
export function otsEndpointOf(instanceName: string, region: string): string {
  return `https://${instanceName}.${region}.ots.aliyuncs.com`;
}

/** RAM resource of a Tablestore table. */
export function otsTableArn(region: string, accountId: string, instanceName: string, tableName: string): string {
  return `acs:ots:${region}:${accountId}:instance/${instanceName}/table/${tableName}`;
}

/** The ledger table's one primary-key column (STRING): a deploy creates the table with exactly this key. */
export const LEDGER_PRIMARY_KEY_NAME = 'id';
/** The ledger table's name unless a deployment chooses another. */
export const DEFAULT_LEDGER_TABLE_NAME = 'iprod_jobs';

/** RAM actions the job ledger calls (CreateTable only in local runs: a deploy creates the table through ROS). */
export const LEDGER_RAM_ACTIONS = {
  read: ['ots:GetRow', 'ots:GetRange'],
  write: ['ots:PutRow', 'ots:UpdateRow'],
} as const;

export const OTS_LIMITS = {
  /** Table names: letters, digits and `_`, not starting with a digit, 1-255 characters. */
  tableNamePattern: /^[a-zA-Z_][a-zA-Z0-9_]{0,254}$/,
  /** A primary-key string column holds at most 1 KB. */
  primaryKeyStringMaxBytes: 1024,
  /** Rows one GetRange answer returns at most before a next start key. */
  getRangeMaxRows: 5000,
  /** Rows one BatchWriteRow may carry. */
  batchWriteMaxRows: 200,
} as const;

/** MNS data-plane endpoint of an account in a region (public, https). */
export function mnsEndpointOf(accountId: string, region: string): string {
  return `https://${accountId}.mns.${region}.aliyuncs.com`;
}

/** RAM resource of an MNS queue or topic (FACTS.md "RAM"). */
export function mnsArn(region: string, accountId: string, kind: 'queues' | 'topics', name: string): string {
  return `acs:mns:${region}:${accountId}:/${kind}/${name}`;
}

/**
 * RAM actions of MNS message operations, as grants give them: a queue's consumer receives (long polling too), deletes
 * after handling and extends visibility; a queue's producer sends; a topic's producer publishes.
 */
export const MNS_RAM_ACTIONS = {
  consume: ['mns:ReceiveMessage', 'mns:DeleteMessage', 'mns:ChangeMessageVisibility'],
  send: ['mns:SendMessage'],
  publish: ['mns:PublishMessage'],
  /** What an app needs to subscribe its own queue or URL to a topic, and to see and remove that subscription. */
  subscribe: ['mns:Subscribe', 'mns:Unsubscribe', 'mns:GetSubscriptionAttributes'],
} as const;

/**
 * RAM actions of OSS object operations, as grants give them. Multipart initiate/upload/complete are authorized as
 * `oss:PutObject`; abort and list-parts are separate actions an uploader needs to clean up and resume. Listing is a
 * bucket action (narrowed to a prefix by an `oss:Prefix` condition).
 */
export const OSS_RAM_ACTIONS = {
  read: ['oss:GetObject'],
  write: ['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts'],
  list: ['oss:ListObjects'],
} as const;

/**
 * RAM resource of a Function Compute function: FC 3.0 `functions/{function}`, FC 2.0 (with its service)
 * `services/{service}/functions/{function}`.
 */
export function fcFunctionArn(region: string, accountId: string, functionName: string, serviceName?: string): string {
  const path = serviceName === undefined ? `functions/${functionName}` : `services/${serviceName}/functions/${functionName}`;
  return `acs:fc:${region}:${accountId}:${path}`;
}

/** RAM actions of Function Compute a grant on a function gives: invoking it. */
export const FC_RAM_ACTIONS = {
  invoke: ['fc:InvokeFunction'],
} as const;

/** Data-plane bounds of MNS queues and messages. */
export const MNS_MESSAGE_LIMITS = {
  /** ReceiveMessage long polling `waitseconds`. */
  maxWaitSeconds: 30,
  /** Messages one BatchReceiveMessage / BatchDeleteMessage handles. */
  maxBatch: 16,
  /** ChangeMessageVisibility `VisibilityTimeout` (seconds). */
  visibilityTimeoutMinSeconds: 1,
  visibilityTimeoutMaxSeconds: 43200,
  /** MessageBody bytes (the queue's MaximumMessageSize ceiling). */
  messageMaxBytes: 65536,
  /** MessageTag characters. GUESS: MNS documents 16. */
  messageTagMaxChars: 16,
} as const;
