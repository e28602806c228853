/**
 * Where a physical name must be unique, per ROS resource type: the facts the synth-time name check (and any
 * local ROS endpoint that refuses clashing stacks) read. Source: FACTS.md "Global names". Pure data.
 */

/** `global`: across every Alibaba Cloud account; `account`: within one account; `region`: within one region of one account. */
export type NameScope = 'global' | 'account' | 'region';

/** A resource type whose name property names a thing that must be unique in a scope. */
export interface NamedResourceType {
  /** The ROS resource type, e.g. `ALIYUN::OSS::Bucket`. */
  readonly type: string;
  /** The template property holding the name (PascalCase, as in the template). */
  readonly nameProperty: string;
  readonly scope: NameScope;
  /** A property whose value further narrows the scope (FC 2.0 function names are unique per service). */
  readonly withinProperty?: string;
  /** What readers call it, for messages: `OSS bucket`. */
  readonly label: string;
}

/**
 * The types this package creates, and those an app is likely to add beside them. Each type is its own namespace
 * (a queue and a topic may share a name).
 */
export const NAMED_RESOURCE_TYPES: readonly NamedResourceType[] = [
  { type: 'ALIYUN::OSS::Bucket', nameProperty: 'BucketName', scope: 'global', label: 'OSS bucket' },
  { type: 'ALIYUN::RAM::Role', nameProperty: 'RoleName', scope: 'account', label: 'RAM role' },
  { type: 'ALIYUN::RAM::ManagedPolicy', nameProperty: 'PolicyName', scope: 'account', label: 'RAM policy' },
  { type: 'ALIYUN::RAM::User', nameProperty: 'UserName', scope: 'account', label: 'RAM user' },
  { type: 'ALIYUN::RAM::Group', nameProperty: 'GroupName', scope: 'account', label: 'RAM group' },
  { type: 'ALIYUN::MNS::Queue', nameProperty: 'QueueName', scope: 'region', label: 'MNS queue' },
  { type: 'ALIYUN::MNS::Topic', nameProperty: 'TopicName', scope: 'region', label: 'MNS topic' },
  { type: 'ALIYUN::FC::Service', nameProperty: 'ServiceName', scope: 'region', label: 'FC service' },
  { type: 'ALIYUN::FC::Function', nameProperty: 'FunctionName', scope: 'region', withinProperty: 'ServiceName', label: 'FC function' },
  // GUESS: FC 3.0 functions and FC 2.0 services are separate namespaces (no source says whether they clash).
  { type: 'ALIYUN::FC3::Function', nameProperty: 'FunctionName', scope: 'region', label: 'FC 3.0 function' },
  { type: 'ALIYUN::MPS::Pipeline', nameProperty: 'Name', scope: 'region', label: 'MPS pipeline' },
  { type: 'ALIYUN::OTS::Instance', nameProperty: 'InstanceName', scope: 'region', label: 'Tablestore instance' },
];

/** How a message says where a name must be unique. */
export const NAME_SCOPE_WORDS: Readonly<Record<NameScope, string>> = {
  global: 'across all Alibaba Cloud accounts',
  account: 'within an account',
  region: 'within a region of an account',
};
