// Facts about how RAM authorizes the services a media stack touches: per service, whether it scopes by resource,
// its ARN shapes, which operations manage identities or permissions; and which system policies are known narrow.
// Data only (lib/policy reads it). Moved here from lib/policy/catalogue.ts so the facts live in one place.
// A wrong fact is a one-line change.
//
// `resourceLevel: false` means the service authorizes by operation only: the only Resource that works is "*"
// (FACTS.md: every ice and mts action is "All Resources"). A specific ARN on such an action grants nothing.
// ice and mts are composed in lib/policy/catalogue.ts from lib/service/apis.ts (this file imports nothing).

export interface ServiceSpec {
  /** Prefix of the action names (`oss` in `oss:GetObject`). */
  service: string;
  /**
   * Whether `actions` lists every action of the service, so an unlisted name is a typo (IPROD-RAM-005).
   * @default true
   */
  complete?: boolean;
  /**
   * For services that authorize per resource: read operations (Describe*, List*) that only accept `*` in RAM
   * (ECS and VPC style APIs). An action matching this on `Resource "*"` is not reported.
   */
  operationOnlyReads?: RegExp;
  /** Operation names (concrete) that manage identities or permissions, beyond those flagged in `actions`. */
  permissionManagementNames?: RegExp;
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

export function actions(names: string[], spec: ActionSpec = {}): Record<string, ActionSpec> {
  const out: Record<string, ActionSpec> = {};
  for (const n of names) out[n] = { ...spec };
  return out;
}

const OSS: ServiceSpec = {
  service: 'oss',
  label: 'Object Storage Service (OSS)',
  resourceLevel: true,
  arnPatterns: ['acs:oss:*:{account}:{bucket}', 'acs:oss:*:{account}:{bucket}/{object-key-pattern}'],
  actions: {
    ...actions([
      'GetObject', 'PutObject', 'DeleteObject', 'ListObjects', 'ListObjectVersions', 'GetObjectVersion',
      'DeleteObjectVersion', 'AbortMultipartUpload', 'ListParts', 'ListMultipartUploads', 'GetObjectAcl',
      'GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging', 'RestoreObject',
      'GetBucketInfo', 'GetBucketLocation', 'GetBucketStat', 'GetBucketAcl', 'PutBucket',
      'DeleteBucket', 'GetBucketPolicy', 'GetBucketEncryption',
      'PutBucketEncryption', 'DeleteBucketEncryption', 'GetBucketVersioning', 'PutBucketVersioning',
      'GetBucketLifecycle', 'PutBucketLifecycle', 'DeleteBucketLifecycle', 'GetBucketCors', 'PutBucketCors',
      'DeleteBucketCors', 'GetBucketLogging', 'PutBucketLogging', 'DeleteBucketLogging', 'GetBucketReferer',
      'PutBucketReferer', 'GetBucketTagging', 'PutBucketTagging', 'DeleteBucketTagging', 'GetBucketWebsite',
      'PutBucketWebsite', 'DeleteBucketWebsite', 'GetBucketPublicAccessBlock',
    ]),
    // These change who may read or write the bucket's media (make it public, grant another account): the bucket's
    // own permission management.
    ...actions(['PutBucketAcl', 'PutObjectAcl', 'PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketPublicAccessBlock',
      'DeleteBucketPublicAccessBlock'], { permissionManagement: true }),
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
      'UpdateLoginProfile', 'AddUserToGroup', 'CreateGroup', 'UpdateGroup', 'CreateServiceLinkedRole',
      'UpdatePolicyDescription', 'SetSecurityPreference', 'SetPasswordPolicy', 'BindMFADevice', 'UnbindMFADevice',
      'CreateVirtualMFADevice', 'CreateSAMLProvider', 'UpdateSAMLProvider', 'CreateOIDCProvider',
      'UpdateOIDCProvider', 'UpdateRoleDescription', 'DetachPolicyFromResourceGroup', 'AttachPolicyToResourceGroup',
    ], { permissionManagement: true }),
  },
};

const STS: ServiceSpec = {
  service: 'sts',
  label: 'Security Token Service (STS)',
  resourceLevel: true,
  arnPatterns: ['acs:ram::{account}:role/{name}'],
  actions: {
    ...actions(['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithOIDC'], { permissionManagement: true }),
    ...actions(['GetCallerIdentity'], { resourceLevel: false }),
  },
};

// Services a media stack plausibly touches beyond the ones above. Their action lists are partial (`complete: false`):
// no typo check, but resource-level authorization and identity management are judged. GUESS marks what no source
// in this repository confirms; a wrong guess is a one-line change.
function partial(service: string, label: string, resourceLevel: boolean, arnPatterns: string[], extra: Partial<ServiceSpec> = {},
  names: Record<string, ActionSpec> = {}): ServiceSpec {
  return { service, label, resourceLevel, arnPatterns, actions: names, complete: false, ...extra };
}

// Verbs that change identities, credentials or who may do what (for ims and resourcemanager).
const IDENTITY_WRITE = /^(Create|Update|Set|Add|Attach|Detach|Bind|Unbind|Enable|Disable|Change|Reset|Generate|Upload|Remove|Delete|Grant|Revoke|Accept|Invite|Move|Assume)/i;

const IMS = partial('ims', 'Identity Management (RAM users, groups, AccessKeys, SSO)', true,
  ['acs:ram:*:{account}:user/{name}', 'acs:ram:*:{account}:group/{name}'],
  { permissionManagementNames: IDENTITY_WRITE, operationOnlyReads: /^(Get|List)(AccountAlias|DefaultDomain|PasswordPolicy|SecurityPreference|UserSsoSettings|SamlProvider|OIDCProvider|Users|Groups|Applications|VirtualMFADevices)$/i },
  actions(['CreateUser', 'UpdateUser', 'CreateAccessKey', 'UpdateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile',
    'AddUserToGroup', 'CreateGroup', 'UpdateGroup', 'SetSecurityPreference', 'SetPasswordPolicy', 'CreateApplication',
    'UpdateApplication', 'CreateAppSecret', 'BindMFADevice', 'UnbindMFADevice', 'CreateVirtualMFADevice',
    'SetUserSsoSettings', 'CreateSAMLProvider', 'CreateOIDCProvider'], { permissionManagement: true }));

const RESOURCEMANAGER = partial('resourcemanager', 'Resource Management (resource groups, policies, control policies)', true,
  ['acs:resourcemanager:*:{account}:resourcegroup/{id}', 'acs:resourcemanager:*:{account}:policy/{name}'],
  { permissionManagementNames: /^(AttachPolicy|DetachPolicy|CreatePolicy|CreatePolicyVersion|SetDefaultPolicyVersion|CreateServiceLinkedRole|CreateRole|UpdateRole|AttachControlPolicy|DetachControlPolicy|CreateControlPolicy|UpdateControlPolicy|DisableControlPolicy|EnableControlPolicy|InviteAccountToResourceDirectory|CreateResourceAccount|MoveAccount|PromoteResourceAccount|SetMemberDeletionPermission|UpdateAccount|AcceptHandshake|CreateCloudAccount|AssumeRole|DeletePolicy|DeletePolicyVersion|DeleteControlPolicy)$/i,
    operationOnlyReads: /^(List|Get)(ResourceGroups|Policies|Roles|Accounts|Folders|ControlPolicies|Handshakes|ResourceDirectory)$/i },
  actions(['AttachPolicy', 'DetachPolicy', 'CreatePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion',
    'CreateServiceLinkedRole', 'AttachControlPolicy', 'DetachControlPolicy', 'CreateControlPolicy', 'UpdateControlPolicy'],
  { permissionManagement: true }));

const READS = /^(Describe|List|Query)/;

const MORE_SERVICES: ServiceSpec[] = [
  IMS,
  RESOURCEMANAGER,
  partial('kms', 'Key Management Service (KMS)', true, ['acs:kms:{region}:{account}:key/{keyId}', 'acs:kms:{region}:{account}:secret/{name}'],
    { operationOnlyReads: /^(ListKeys|ListAliases|ListSecrets|DescribeRegions|DescribeService)$/i }),
  partial('ros', 'Resource Orchestration Service (ROS)', true, ['acs:ros:{region}:{account}:stack/{stackId}'],
    { operationOnlyReads: /^(List|Describe|Get)(Stacks|Regions|ResourceTypes|TemplateSummary|Templates|StackGroups|ChangeSets|Features|ServiceSettings|ResourceTypeDetail|ResourceType)$/i }),
  // The ENI operations Function Compute needs for VPC access are granted on "*" by FC's own documented role policy
  // (AliyunFCDefaultRolePolicy; GUESS that they accept nothing narrower): not reported on "*".
  partial('ecs', 'Elastic Compute Service (ECS)', true, ['acs:ecs:{region}:{account}:instance/{instanceId}'], { operationOnlyReads: READS },
    actions(['CreateNetworkInterface', 'DeleteNetworkInterface', 'CreateNetworkInterfacePermission',
      'DeleteNetworkInterfacePermission'], { resourceLevel: false })),
  partial('vpc', 'Virtual Private Cloud (VPC)', true, ['acs:vpc:{region}:{account}:vpc/{vpcId}'], { operationOnlyReads: READS }),
  partial('slb', 'Server Load Balancer (SLB)', true, ['acs:slb:{region}:{account}:loadbalancer/{id}'], { operationOnlyReads: READS }),
  partial('alb', 'Application Load Balancer (ALB)', true, ['acs:alb:{region}:{account}:loadbalancer/{id}'], { operationOnlyReads: READS }),
  partial('rds', 'ApsaraDB RDS', true, ['acs:rds:{region}:{account}:dbinstance/{id}'], { operationOnlyReads: READS }),
  partial('kvstore', 'ApsaraDB for Redis (KVStore)', true, ['acs:kvstore:{region}:{account}:instance/{id}'], { operationOnlyReads: READS }),
  partial('polardb', 'PolarDB', true, ['acs:polardb:{region}:{account}:dbcluster/{id}'], { operationOnlyReads: READS }),
  partial('nas', 'File Storage NAS', true, ['acs:nas:{region}:{account}:filesystem/{id}'], { operationOnlyReads: READS }),
  partial('cs', 'Container Service for Kubernetes (ACK)', true, ['acs:cs:{region}:{account}:cluster/{clusterId}'], { operationOnlyReads: READS }),
  partial('cr', 'Container Registry', true, ['acs:cr:{region}:{account}:repository/{namespace}/{repo}'], { operationOnlyReads: READS }),
  partial('ess', 'Auto Scaling', true, ['acs:ess:{region}:{account}:scalinggroup/{id}'], { operationOnlyReads: READS }),
  partial('ots', 'Tablestore (OTS)', true, ['acs:ots:{region}:{account}:instance/{instance}/table/{table}'],
    { operationOnlyReads: /^(ListInstance|ListInstances|ListTable|ListTables|ListTagResources|DescribeRegions)$/i }),
  partial('log', 'Simple Log Service (SLS)', true, ['acs:log:{region}:{account}:project/{project}/logstore/{logstore}'],
    { operationOnlyReads: /^(ListProject|ListProjects|GetLogging|ListTagResources)$/i }),
  partial('eventbridge', 'EventBridge', true, ['acs:eventbridge:{region}:{account}:eventbus/{name}'], { operationOnlyReads: READS }),
  partial('mq', 'ApsaraMQ for RocketMQ', true, ['acs:mq:{region}:{account}:{instanceId}'], { operationOnlyReads: READS }),
  partial('alikafka', 'ApsaraMQ for Kafka', true, ['acs:alikafka:{region}:{account}:instance/{id}'], { operationOnlyReads: READS }),
  partial('cdn', 'CDN', true, ['acs:cdn:*:{account}:domain/{name}'], { operationOnlyReads: READS }),
  partial('dcdn', 'DCDN', true, ['acs:dcdn:*:{account}:domain/{name}'], { operationOnlyReads: READS }),
  partial('alidns', 'Alibaba Cloud DNS', true, ['acs:alidns:*:{account}:domain/{name}'], { operationOnlyReads: READS }),
  partial('actiontrail', 'ActionTrail', true, ['acs:actiontrail:{region}:{account}:trail/{name}'], { operationOnlyReads: READS }),
  partial('imm', 'Intelligent Media Management (IMM)', true, ['acs:imm:{region}:{account}:project/{name}'], { operationOnlyReads: READS }),
  partial('oos', 'Operation Orchestration Service (OOS)', true, ['acs:oos:{region}:{account}:template/{name}'], { operationOnlyReads: READS }),
  partial('ecs-workbench', 'ECS Workbench', true, ['acs:ecs-workbench:{region}:{account}:instance/{id}']),
  partial('apigateway', 'API Gateway', true, ['acs:apigateway:{region}:{account}:apigroup/{id}'], { operationOnlyReads: READS }),
  partial('sas', 'Security Center', false, ['*']),
  // Operation-only services (GUESS for all but ice and mts, which FACTS.md confirms): "*" is the right resource.
  partial('vod', 'ApsaraVideo VOD', false, ['*']),
  partial('live', 'ApsaraVideo Live', false, ['*']),
  partial('cms', 'CloudMonitor', false, ['*']),
  partial('arms', 'Application Real-Time Monitoring Service', false, ['*']),
  partial('xtrace', 'Managed Service for OpenTelemetry', false, ['*']),
  partial('green', 'Content Moderation', false, ['*']),
  partial('dysms', 'Short Message Service', false, ['*']),
  partial('dm', 'Direct Mail', false, ['*']),
  partial('bss', 'Billing', false, ['*']),
  partial('bssapi', 'Billing API', false, ['*']),
  partial('tag', 'Tag', false, ['*']),
  partial('config', 'Cloud Config', false, ['*']),
];

/** Every catalogued service but ice and mts (whose facts are in apis.ts), by action prefix. */
export const RAM_SERVICES: Readonly<Record<string, ServiceSpec>> = {
  oss: OSS, mns: MNS, fc: FC, ram: RAM, sts: STS,
  ...Object.fromEntries(MORE_SERVICES.map((s) => [s.service, s])),
};

/** Product names in Aliyun*Access system policies → RAM service prefix (for ReadOnlyAccess judgements). */
export const SYSTEM_POLICY_PRODUCT_PREFIX: Record<string, string> = {
  OSS: 'oss', MNS: 'mns', FC: 'fc', OTS: 'ots', KMS: 'kms', Log: 'log', ECS: 'ecs', RDS: 'rds', VPC: 'vpc',
  SLB: 'slb', NAS: 'nas', CS: 'cs', ROS: 'ros', RAM: 'ram', STS: 'sts', ICE: 'ice', MTS: 'mts', MPS: 'mts',
  VOD: 'vod', Live: 'live', CDN: 'cdn', CloudMonitor: 'cms', CMS: 'cms', ActionTrail: 'actiontrail', IMM: 'imm',
  EventBridge: 'eventbridge', KVStore: 'kvstore', ResourceManager: 'resourcemanager', IMS: 'ims', Ess: 'ess',
  ContainerRegistry: 'cr', DNS: 'alidns', OOS: 'oos', ARMS: 'arms',
};

/** Known narrow system policies (whatever else they are, they grant no data of other resources). */
export const NARROW_SYSTEM_POLICIES = new Set([
  'AliyunICEReadOnlyAccess', 'AliyunMTSReadOnlyAccess', 'AliyunVODReadOnlyAccess', 'AliyunCloudMonitorReadOnlyAccess',
  'AliyunLiveReadOnlyAccess',
]);
