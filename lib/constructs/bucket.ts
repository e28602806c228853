import * as ros from '@alicloud/ros-cdk-core';
import * as oss from '@alicloud/ros-cdk-oss';
import { OSS_BUCKET_NAME_CHARS, OSS_LIMITS, OSS_RAM_ACTIONS, TAG_LIMITS } from '../service';
import { utf8Bytes } from '../util/values';
import { Grant, grant, grantOn, IGrantable } from './grants';
import { defaultNamePrefix, propError, slug, uniqueLogicalId } from './naming';

/** A bucket holding media: one the stack creates (`MediaBucket`) or one it only references. */
export interface IMediaBucket extends ros.IConstruct {
  /** The bucket's name. */
  readonly bucketName: string;
  /** `acs:oss:*:{account}:{bucket}`: OSS resource ARNs always carry `*` as the region. */
  readonly bucketArn: string;
  /** The region the bucket lives in, when known; `undefined` means "the stack's region". */
  readonly bucketRegion?: string;
  /** `acs:oss:*:{account}:{bucket}/{prefix}*`: the ARN pattern of the objects under `prefix`. */
  arnForObjects(prefix?: string): string;
  /** Gives `grantee` `oss:GetObject` on the objects under `prefix` (all objects by default). */
  grantRead(grantee: IGrantable, prefix?: string): Grant;
  /** Gives `grantee` `oss:PutObject`, `oss:AbortMultipartUpload`, `oss:ListParts` on the objects under `prefix`. */
  grantWrite(grantee: IGrantable, prefix?: string): Grant;
  /** Gives `grantee` `oss:ListObjects` on the bucket, for keys under `prefix` only (`oss:Prefix` condition). */
  grantList(grantee: IGrantable, prefix?: string): Grant;
  /**
   * Gives `grantee` any `oss:` actions on the bucket and every object in it (`acs:oss:*:{account}:{bucket}` and
   * `.../{bucket}/*`), for what the named grants do not cover.
   */
  grant(grantee: IGrantable, ...actions: string[]): Grant;
}

/** Attributes of a bucket the stack does not own. */
export interface MediaBucketAttributes {
  /** The bucket's name. */
  readonly bucketName: string;
  /**
   * The region the bucket lives in. Synth fails when it differs from the stack's region: ICE and MPS read and write
   * only buckets in their own region.
   * @default - the stack's region
   */
  readonly region?: string;
  /**
   * The account that owns the bucket, used in its ARN.
   * @default - the stack's account (the `ALIYUN::AccountId` pseudo parameter when the stack has none)
   */
  readonly account?: string;
}

/** Checks an OSS object key prefix: the policies and lifecycle rules built from it must mean what the caller meant. */
export function validateObjectPrefix(scope: ros.IConstruct, prop: string, prefix: string): void {
  if (ros.Token.isUnresolved(prefix)) return;
  // OSS counts object keys in UTF-8 bytes (FACTS.md), so a prefix of multi-byte characters runs out sooner.
  const maxBytes = OSS_LIMITS.objectKeyMaxBytes;
  if (utf8Bytes(prefix) > maxBytes) throw propError(scope, prop, `must be at most ${maxBytes} bytes of UTF-8`, prefix);
  if (prefix.startsWith('/')) throw propError(scope, prop, "must not start with '/' (OSS keys have no leading slash)", prefix);
  if (/[*?]/.test(prefix)) throw propError(scope, prop, "must not contain '*' or '?' (it is a literal key prefix)", prefix);
  if (/[\u0000-\u001f]/.test(prefix)) throw propError(scope, prop, 'must not contain control characters', prefix);
}

/** Checks OSS bucket naming rules, one rule per message so the error says exactly what is wrong. */
export function validateBucketName(scope: ros.IConstruct, name: string): void {
  if (ros.Token.isUnresolved(name)) return;
  const { bucketNameMinChars: min, bucketNameMaxChars: max } = OSS_LIMITS;
  if (name.length < min || name.length > max) throw propError(scope, 'bucketName', `must be ${min}-${max} characters long`, name);
  if (!OSS_BUCKET_NAME_CHARS.test(name)) {
    throw propError(scope, 'bucketName', "must contain only lowercase letters, digits and '-'", name);
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    throw propError(scope, 'bucketName', 'must start and end with a lowercase letter or digit', name);
  }
}

/** The grants every bucket offers, implemented once over `bucketName`/`bucketArn`. */
export abstract class MediaBucketBase extends ros.Resource implements IMediaBucket {
  public abstract readonly bucketName: string;
  public abstract readonly bucketArn: string;
  public abstract readonly bucketRegion?: string;

  public arnForObjects(prefix: string = ''): string {
    validateObjectPrefix(this, 'prefix', prefix);
    return `${this.bucketArn}/${prefix}*`;
  }

  public grantRead(grantee: IGrantable, prefix: string = ''): Grant {
    return grant(grantee, OSS_RAM_ACTIONS.read, [this.arnForObjects(prefix)]);
  }

  public grantWrite(grantee: IGrantable, prefix: string = ''): Grant {
    return grant(grantee, OSS_RAM_ACTIONS.write, [this.arnForObjects(prefix)]);
  }

  public grantList(grantee: IGrantable, prefix: string = ''): Grant {
    validateObjectPrefix(this, 'prefix', prefix);
    return grant(grantee, OSS_RAM_ACTIONS.list, [this.bucketArn], { StringLike: { 'oss:Prefix': [`${prefix}*`] } });
  }

  public grant(grantee: IGrantable, ...actions: string[]): Grant {
    return grantOn(this, 'oss', grantee, actions, [this.bucketArn, this.arnForObjects()]);
  }
}

/** One lifecycle rule: objects under `prefix` are deleted `expirationDays` after their last modification. */
export interface MediaBucketLifecycleRule {
  /**
   * The rule's id, unique in the bucket.
   * @default - `expire-{index}` (its position in `lifecycleRules`, starting at 0)
   */
  readonly id?: string;
  /** Key prefix the rule applies to; `''` means every object. */
  readonly prefix: string;
  /** Whole days after which matching objects are deleted (1 or more). */
  readonly expirationDays: number;
}

/** Server-side encryption of new objects. */
export type MediaBucketEncryption = 'AES256' | 'KMS';

/** Key prefix MediaBucket writes its own access logs under when no other destination is given. */
export const DEFAULT_ACCESS_LOG_PREFIX = 'access-log/';

/** Where OSS writes a bucket's access logs (one object per period, listing who did what to which object). */
export interface MediaBucketAccessLogs {
  /**
   * Whether access logging is on. Turning it off leaves the policy reviewer's IPROD-OSS-005 warning to suppress
   * with a reason.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Name of the bucket that receives the logs (same region and account).
   * @default - the bucket itself
   */
  readonly targetBucketName?: string;
  /**
   * Key prefix of the log objects. Keep it apart from the prefixes your OSS triggers watch.
   * @default DEFAULT_ACCESS_LOG_PREFIX ('access-log/')
   */
  readonly prefix?: string;
}

/** Properties of a `MediaBucket`. */
export interface MediaBucketProps {
  /**
   * The bucket's name (OSS names are global: pick one nobody else has).
   * @default - `{namePrefix}-{construct id, lowercased}`
   */
  readonly bucketName?: string;
  /**
   * Seeds the bucket name when `bucketName` is not given.
   * @default - the stack name, lowercased, with characters OSS does not allow replaced by '-'
   */
  readonly namePrefix?: string;
  /**
   * Server-side encryption for new objects.
   * @default 'KMS' when `kmsKeyId` is given, else 'AES256'
   */
  readonly encryption?: MediaBucketEncryption;
  /**
   * The KMS key to encrypt with (only with `encryption: 'KMS'`).
   * @default - the OSS-managed KMS key (when `encryption` is 'KMS')
   */
  readonly kmsKeyId?: string;
  /**
   * Rules that delete objects under a prefix after some days.
   * @default - objects are kept until deleted
   */
  readonly lifecycleRules?: MediaBucketLifecycleRule[];
  /**
   * Tags on the bucket (at most 20).
   * @default - no tags
   */
  readonly tags?: Record<string, string>;
  /**
   * Whether deleting the stack deletes the bucket's objects too (otherwise deleting a non-empty bucket fails).
   * @default false
   */
  readonly deletionForce?: boolean;
  /**
   * Whether the bucket policy denies every request made without TLS (`acs:SecureTransport` false). An escape hatch
   * only: no source confirms whether ICE/MPS always read and write over TLS on the internal network; turn it off
   * if jobs fail with AccessDenied on this bucket.
   * @default true
   */
  readonly enforceSecureTransport?: boolean;
  /**
   * Access logging: who read or wrote which object, for audit and leak investigations.
   * @default - logs into the bucket itself under `access-log/`
   */
  readonly accessLogs?: MediaBucketAccessLogs;
}

/**
 * A private OSS bucket for media: private ACL, public access blocked, server-side encryption (AES256 by default) and
 * a bucket policy that denies every request not made over HTTPS.
 */
export class MediaBucket extends MediaBucketBase {
  /** References a bucket by name, in the stack's region and account. */
  public static fromBucketName(scope: ros.Construct, id: string, bucketName: string): IMediaBucket {
    return MediaBucket.fromBucketAttributes(scope, id, { bucketName });
  }

  /** References a bucket the stack does not own. */
  public static fromBucketAttributes(scope: ros.Construct, id: string, attrs: MediaBucketAttributes): IMediaBucket {
    return new ImportedMediaBucket(scope, id, attrs);
  }

  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** Always `undefined`: a bucket the stack creates lives in the stack's region. */
  public readonly bucketRegion?: string = undefined;
  /** The encryption applied to new objects. */
  public readonly encryption: MediaBucketEncryption;

  constructor(scope: ros.Construct, id: string, props: MediaBucketProps = {}) {
    super(scope, id);

    const namePrefix = props.namePrefix ?? defaultNamePrefix(this);
    this.bucketName = props.bucketName ?? `${namePrefix}-${slug(id)}`;
    validateBucketName(this, this.bucketName);

    if (props.encryption === 'AES256' && props.kmsKeyId !== undefined) {
      throw propError(this, 'kmsKeyId', "is only allowed with encryption 'KMS'", props.kmsKeyId);
    }
    if (props.encryption !== undefined && props.encryption !== 'AES256' && props.encryption !== 'KMS') {
      throw propError(this, 'encryption', "must be 'AES256' or 'KMS'", props.encryption);
    }
    this.encryption = props.encryption ?? (props.kmsKeyId !== undefined ? 'KMS' : 'AES256');

    const tags = props.tags ?? {};
    validateTags(this, tags, OSS_LIMITS.bucketTagsMax);
    const rules = props.lifecycleRules ?? [];
    validateLifecycleRules(this, rules);

    const account = ros.Stack.of(this).account;
    this.bucketArn = `acs:oss:*:${account}:${this.bucketName}`;

    const logs = props.accessLogs ?? {};
    const logPrefix = logs.prefix ?? DEFAULT_ACCESS_LOG_PREFIX;
    validateObjectPrefix(this, 'accessLogs.prefix', logPrefix);
    if (logs.targetBucketName !== undefined) validateBucketName(this, logs.targetBucketName);
    const logging = (logs.enabled ?? true)
      ? { loggingConfiguration: { targetBucket: logs.targetBucketName ?? this.bucketName, targetPrefix: logPrefix } }
      : {};

    const resource = new oss.RosBucket(
      this,
      uniqueLogicalId(this, 'Resource'),
      {
        bucketName: this.bucketName,
        accessControl: 'private',
        blockPublicAccess: true,
        deletionForce: props.deletionForce ?? false,
        ...logging,
        serverSideEncryptionConfiguration: {
          sseAlgorithm: this.encryption,
          ...(props.kmsKeyId !== undefined ? { kmsMasterKeyId: props.kmsKeyId } : {}),
        },
        ...((props.enforceSecureTransport ?? true)
          ? {
              policy: {
                Version: '1',
                Statement: [
                  {
                    // OSS applies the policy to every caller, so plain-HTTP requests fail even for the bucket owner.
                    Effect: 'Deny',
                    Action: ['oss:*'],
                    Principal: ['*'],
                    Resource: [this.bucketArn, `${this.bucketArn}/*`],
                    Condition: { Bool: { 'acs:SecureTransport': ['false'] } },
                  },
                ],
              },
            }
          : {}),
        ...(rules.length > 0
          ? {
              lifecycleConfiguration: {
                rule: rules.map((rule, index) => ({
                  id: rule.id ?? `expire-${index}`,
                  prefix: rule.prefix,
                  status: 'Enabled',
                  expiration: { days: rule.expirationDays },
                })),
              },
            }
          : {}),
        ...(Object.keys(tags).length > 0 ? { tags: { ...tags } } : {}),
      },
      true,
    );
    this.node.defaultChild = resource;
  }
}

class ImportedMediaBucket extends MediaBucketBase {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly bucketRegion?: string;

  constructor(scope: ros.Construct, id: string, attrs: MediaBucketAttributes) {
    super(scope, id);
    validateBucketName(this, attrs.bucketName);
    if (ros.Token.isUnresolved(attrs.bucketName)) {
      // A parameter or attribute: its value is only known at deploy time. A parameter defaulting to "*" (or any
      // pattern) would turn every grant on this bucket into a grant on every bucket of the account.
      this.node.addWarning(`bucketName is a token (${attrs.bucketName}): its OSS naming rules and whether it is a `
        + `wildcard cannot be checked at synth; grants on this bucket reach whatever it resolves to at deploy time. `
        + `Pass a literal name, or make sure the parameter's AllowedPattern excludes '*' and '?'`);
    }
    this.bucketName = attrs.bucketName;
    this.bucketRegion = attrs.region;
    this.bucketArn = `acs:oss:*:${attrs.account ?? ros.Stack.of(this).account}:${attrs.bucketName}`;
  }
}

/** Checks resource tags against the limits OSS/RAM/FC share (keys ≤ 128, values ≤ 256, no `aliyun`/`acs:` keys). */
export function validateTags(scope: ros.IConstruct, tags: Record<string, string>, maxTags: number): void {
  const keys = Object.keys(tags);
  if (keys.length > maxTags) throw propError(scope, 'tags', `must have at most ${maxTags} entries`, keys.length);
  for (const key of keys) {
    const value = tags[key];
    const { keyMaxChars, valueMaxChars, reservedKeyPrefix } = TAG_LIMITS;
    if (key.length < 1 || key.length > keyMaxChars) throw propError(scope, 'tags', `keys must be 1-${keyMaxChars} characters`, key);
    if (reservedKeyPrefix.test(key)) throw propError(scope, 'tags', "keys must not start with 'aliyun' or 'acs:'", key);
    if (typeof value !== 'string') throw propError(scope, `tags.${key}`, 'must be a string', value);
    if (value.length > valueMaxChars) throw propError(scope, `tags.${key}`, `must be at most ${valueMaxChars} characters`, value);
  }
}

function validateLifecycleRules(scope: ros.IConstruct, rules: MediaBucketLifecycleRule[]): void {
  if (rules.length > OSS_LIMITS.lifecycleRulesMax) {
    throw propError(scope, 'lifecycleRules', `must have at most ${OSS_LIMITS.lifecycleRulesMax} rules`, rules.length);
  }
  const ids = new Set<string>();
  rules.forEach((rule, index) => {
    const where = `lifecycleRules[${index}]`;
    validateObjectPrefix(scope, `${where}.prefix`, rule.prefix);
    if (!Number.isInteger(rule.expirationDays) || rule.expirationDays < 1) {
      throw propError(scope, `${where}.expirationDays`, 'must be a whole number of days, 1 or more', rule.expirationDays);
    }
    const id = rule.id ?? `expire-${index}`;
    const maxId = OSS_LIMITS.lifecycleRuleIdMaxChars;
    if (id.length < 1 || id.length > maxId) throw propError(scope, `${where}.id`, `must be 1-${maxId} characters`, id);
    if (ids.has(id)) throw propError(scope, `${where}.id`, 'must be unique in the bucket', id);
    ids.add(id);
  });
}
