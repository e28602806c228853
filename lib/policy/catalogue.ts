// RAM action catalogue for the services this package touches. Data only: a wrong fact is a one-line change.
//
// `resourceLevel: false` means the service authorizes by operation only: the only Resource that works is "*"
// (FACTS.md: every ice and mts action is "All Resources"). A specific ARN on such an action grants nothing.

export interface ServiceSpec {
  /** Prefix of the action names (`oss` in `oss:GetObject`). */
  service: string;
  /** Human name used in messages. */
  label: string;
  /** Default for the service's actions; an action entry may override it. */
  resourceLevel: boolean;
  /** ARN shape(s) that resources of this service take, for messages and fix hints. */
  arnPatterns: string[];
  actions: Record<string, ActionSpec>;
}

export interface ActionSpec {
  /** Overrides the service default (e.g. list operations that only accept "*"). */
  resourceLevel?: boolean;
  /** The action changes who may do what (privilege escalation path). */
  permissionManagement?: boolean;
}

function actions(names: string[], spec: ActionSpec = {}): Record<string, ActionSpec> {
  const out: Record<string, ActionSpec> = {};
  for (const n of names) out[n] = { ...spec };
  return out;
}

const ICE: ServiceSpec = {
  service: 'ice',
  label: 'Intelligent Media Services (ICE)',
  resourceLevel: false,
  arnPatterns: ['*'],
  actions: actions([
    'SubmitIProductionJob', 'QueryIProductionJob', 'SubmitMediaProducingJob', 'GetMediaProducingJob',
    'ListMediaProducingJobs', 'SubmitTranscodeJob', 'GetTranscodeJob', 'ListTranscodeJobs', 'SubmitSnapshotJob',
    'GetSnapshotJob', 'ListSnapshotJobs', 'SubmitMediaInfoJob', 'GetMediaInfoJob', 'ListMediaInfoJobs',
    'RegisterMediaInfo', 'GetMediaInfo', 'UpdateMediaInfo', 'DeleteMediaInfos', 'ListMediaBasicInfos',
    'BatchGetMediaInfos', 'CreateEditingProject', 'GetEditingProject', 'UpdateEditingProject',
    'DeleteEditingProjects', 'ListEditingProjects', 'GetEditingProjectMaterials', 'AddEditingProjectMaterials',
    'DeleteEditingProjectMaterials', 'SubmitASRJob', 'SubmitAudioProduceJob', 'SubmitSubtitleProduceJob',
    'SubmitDynamicImageJob', 'GetDynamicImageJob', 'SubmitSmarttagJob', 'QuerySmarttagJob', 'SubmitDNAJob',
    'QueryDNAJob', 'ListIProductionJobs', 'SubmitSegmentationJob', 'GetTemplate',
    'ListTemplates', 'AddTemplate', 'UpdateTemplate', 'DeleteTemplate', 'CreatePipeline', 'GetPipeline',
    'ListPipelines', 'UpdatePipeline', 'DeletePipeline', 'AddMediaMarks', 'GetMediaMarks', 'DescribeIceProductStatus',
  ]),
};

const MTS: ServiceSpec = {
  service: 'mts',
  label: 'ApsaraVideo Media Processing (MPS)',
  resourceLevel: false,
  arnPatterns: ['*'],
  actions: actions([
    'SubmitIProductionJob', 'QueryIProductionJob', 'SubmitJobs', 'QueryJobList', 'ListJob', 'CancelJob',
    'SubmitSnapshotJob', 'QuerySnapshotJobList', 'SubmitMediaInfoJob', 'QueryMediaInfoJobList', 'AddPipeline',
    'UpdatePipeline', 'QueryPipelineList', 'SearchPipeline', 'DeletePipeline', 'AddTemplate', 'UpdateTemplate',
    'QueryTemplateList', 'SearchTemplate', 'DeleteTemplate', 'AddWaterMarkTemplate', 'QueryWaterMarkTemplateList',
    'SearchWaterMarkTemplate', 'DeleteWaterMarkTemplate', 'UpdateWaterMarkTemplate', 'SubmitAnalysisJob',
    'QueryAnalysisJobList', 'SubmitSmarttagJob', 'QuerySmarttagJob', 'QueryMediaList', 'SearchMedia',
    'AddMedia', 'DeleteMedia', 'UpdateMedia',
  ]),
};

const OSS: ServiceSpec = {
  service: 'oss',
  label: 'Object Storage Service (OSS)',
  resourceLevel: true,
  arnPatterns: ['acs:oss:*:{account}:{bucket}', 'acs:oss:*:{account}:{bucket}/{object-key-pattern}'],
  actions: {
    ...actions([
      'GetObject', 'PutObject', 'DeleteObject', 'ListObjects', 'ListObjectVersions', 'GetObjectVersion',
      'DeleteObjectVersion', 'AbortMultipartUpload', 'ListParts', 'ListMultipartUploads', 'GetObjectAcl',
      'PutObjectAcl', 'GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging', 'RestoreObject',
      'GetBucketInfo', 'GetBucketLocation', 'GetBucketStat', 'GetBucketAcl', 'PutBucketAcl', 'PutBucket',
      'DeleteBucket', 'GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy', 'GetBucketEncryption',
      'PutBucketEncryption', 'DeleteBucketEncryption', 'GetBucketVersioning', 'PutBucketVersioning',
      'GetBucketLifecycle', 'PutBucketLifecycle', 'DeleteBucketLifecycle', 'GetBucketCors', 'PutBucketCors',
      'DeleteBucketCors', 'GetBucketLogging', 'PutBucketLogging', 'DeleteBucketLogging', 'GetBucketReferer',
      'PutBucketReferer', 'GetBucketTagging', 'PutBucketTagging', 'DeleteBucketTagging', 'GetBucketWebsite',
      'PutBucketWebsite', 'DeleteBucketWebsite', 'GetBucketPublicAccessBlock', 'PutBucketPublicAccessBlock',
      'DeleteBucketPublicAccessBlock',
    ]),
    // ListBuckets enumerates the account: it has no bucket to name.
    ...actions(['ListBuckets'], { resourceLevel: false }),
  },
};

const MNS: ServiceSpec = {
  service: 'mns',
  label: 'Message Service (MNS)',
  resourceLevel: true,
  arnPatterns: ['acs:mns:{region}:{account}:/queues/{queue}', 'acs:mns:{region}:{account}:/topics/{topic}'],
  actions: actions([
    'SendMessage', 'BatchSendMessage', 'ReceiveMessage', 'BatchReceiveMessage', 'DeleteMessage',
    'BatchDeleteMessage', 'ChangeMessageVisibility', 'PeekMessage', 'BatchPeekMessage', 'CreateQueue',
    'DeleteQueue', 'GetQueueAttributes', 'SetQueueAttributes', 'ListQueue', 'CreateTopic', 'DeleteTopic',
    'GetTopicAttributes', 'SetTopicAttributes', 'ListTopic', 'PublishMessage', 'Subscribe', 'Unsubscribe',
    'GetSubscriptionAttributes', 'SetSubscriptionAttributes', 'ListSubscriptionByTopic',
  ]),
};

const FC: ServiceSpec = {
  service: 'fc',
  label: 'Function Compute (FC)',
  resourceLevel: true,
  arnPatterns: [
    'acs:fc:{region}:{account}:services/{service}/functions/{function}',
    'acs:fc:{region}:{account}:functions/{function}',
  ],
  actions: {
    ...actions([
      'InvokeFunction', 'GetFunction', 'GetFunctionCode', 'CreateFunction', 'UpdateFunction', 'DeleteFunction',
      'GetService', 'CreateService', 'UpdateService', 'DeleteService', 'CreateTrigger', 'GetTrigger',
      'UpdateTrigger', 'DeleteTrigger', 'ListTriggers', 'ListFunctions', 'PutProvisionConfig', 'GetProvisionConfig',
      'PutFunctionAsyncInvokeConfig', 'GetFunctionAsyncInvokeConfig', 'DeleteFunctionAsyncInvokeConfig',
      'PutConcurrencyConfig', 'GetConcurrencyConfig', 'DeleteConcurrencyConfig', 'CreateAlias', 'GetAlias',
      'UpdateAlias', 'DeleteAlias', 'ListAliases', 'PublishServiceVersion', 'PublishFunctionVersion',
      'ListServiceVersions', 'ListFunctionVersions', 'GetAsyncTask', 'StopAsyncTask', 'ListAsyncTasks',
    ]),
    ...actions(['ListServices', 'ListProvisionConfigs', 'GetAccountSettings', 'ListLayers'], { resourceLevel: false }),
  },
};

const RAM: ServiceSpec = {
  service: 'ram',
  label: 'Resource Access Management (RAM)',
  resourceLevel: true,
  arnPatterns: [
    'acs:ram:*:{account}:role/{name}', 'acs:ram:*:{account}:user/{name}', 'acs:ram:*:{account}:group/{name}',
    'acs:ram:*:{account}:policy/{name}',
  ],
  actions: {
    ...actions([
      'GetRole', 'DeleteRole', 'GetUser', 'DeleteUser', 'GetGroup', 'DeleteGroup', 'GetPolicy', 'GetPolicyVersion',
      'ListPolicyVersions', 'DeletePolicy', 'DeletePolicyVersion', 'ListPoliciesForRole', 'ListPoliciesForUser',
      'ListPoliciesForGroup', 'ListEntitiesForPolicy', 'ListAccessKeys', 'DeleteAccessKey', 'ListGroupsForUser',
      'ListUsersForGroup', 'GetLoginProfile', 'DeleteLoginProfile', 'RemoveUserFromGroup',
    ]),
    ...actions(['ListRoles', 'ListUsers', 'ListGroups', 'ListPolicies', 'GetAccountAlias'], { resourceLevel: false }),
    ...actions([
      'CreatePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'AttachPolicyToRole', 'AttachPolicyToUser',
      'AttachPolicyToGroup', 'DetachPolicyFromRole', 'DetachPolicyFromUser', 'DetachPolicyFromGroup', 'CreateRole',
      'UpdateRole', 'PassRole', 'CreateUser', 'UpdateUser', 'CreateAccessKey', 'UpdateAccessKey', 'CreateLoginProfile',
      'UpdateLoginProfile', 'AddUserToGroup', 'CreateGroup', 'UpdateGroup',
    ], { permissionManagement: true }),
  },
};

const STS: ServiceSpec = {
  service: 'sts',
  label: 'Security Token Service (STS)',
  resourceLevel: true,
  arnPatterns: ['acs:ram::{account}:role/{name}'],
  actions: {
    ...actions(['AssumeRole'], { permissionManagement: true }),
    ...actions(['GetCallerIdentity'], { resourceLevel: false }),
  },
};

export const SERVICES: Readonly<Record<string, ServiceSpec>> = {
  ice: ICE, mts: MTS, oss: OSS, mns: MNS, fc: FC, ram: RAM, sts: STS,
};

export interface ActionInfo {
  service: string;
  name: string;
  known: boolean;
  /** Whether the service (or action) is one this catalogue covers. */
  catalogued: boolean;
  resourceLevel: boolean;
  permissionManagement: boolean;
}

/** Splits `svc:Name`; returns undefined for strings without exactly one ':' (malformed actions). */
export function splitAction(action: string): { service: string; name: string } | undefined {
  const i = action.indexOf(':');
  if (i <= 0 || i === action.length - 1 || action.indexOf(':', i + 1) !== -1) return undefined;
  return { service: action.slice(0, i).toLowerCase(), name: action.slice(i + 1) };
}

function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  // RAM matches action names case-insensitively.
  return new RegExp('^' + body + '$', 'i');
}

/** Catalogued actions an action pattern (possibly with `*`/`?`) covers, as `svc:Name`. */
export function expandAction(action: string): string[] {
  if (action === '*') {
    return Object.values(SERVICES).flatMap((s) => Object.keys(s.actions).map((a) => `${s.service}:${a}`));
  }
  const parts = splitAction(action);
  if (!parts) return [];
  const svc = SERVICES[parts.service];
  if (!svc) return [];
  const re = wildcardToRegExp(parts.name);
  return Object.keys(svc.actions).filter((a) => re.test(a)).map((a) => `${svc.service}:${a}`);
}

const LOWER = new Map<ServiceSpec, Map<string, [string, ActionSpec]>>();

// RAM matches action names case-insensitively; index each service once instead of scanning per lookup.
function lowerIndex(svc: ServiceSpec): Map<string, [string, ActionSpec]> {
  let m = LOWER.get(svc);
  if (!m) {
    m = new Map(Object.entries(svc.actions).map(([n, spec]) => [n.toLowerCase(), [n, spec] as [string, ActionSpec]]));
    LOWER.set(svc, m);
  }
  return m;
}

/** Facts about one concrete action name (no wildcards). */
export function actionInfo(action: string): ActionInfo | undefined {
  const parts = splitAction(action);
  if (!parts) return undefined;
  const svc = SERVICES[parts.service];
  if (!svc) {
    return { ...parts, known: false, catalogued: false, resourceLevel: true, permissionManagement: false };
  }
  const entry = lowerIndex(svc).get(parts.name.toLowerCase());
  return {
    service: svc.service,
    name: entry ? entry[0] : parts.name,
    known: entry !== undefined,
    catalogued: true,
    resourceLevel: entry?.[1].resourceLevel ?? svc.resourceLevel,
    permissionManagement: entry?.[1].permissionManagement ?? false,
  };
}

export function isWildcardAction(action: string): boolean {
  return action.includes('*') || action.includes('?');
}

/** System policies that hand out a whole service or the whole account. */
export function isBroadSystemPolicy(name: string): boolean {
  return name === 'AdministratorAccess' || /FullAccess$/i.test(name) || name === 'AliyunRAMFullAccess';
}
