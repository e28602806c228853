import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
import * as fc from 'fast-check';
import { MediaBucket, MediaBucketProps, validateBucketName } from '../../lib/constructs/bucket';
import { RolePrincipal } from '../../lib/constructs/grants';

function newStack(account?: string): ros.Stack {
  const app = new ros.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-bucket-')), stackTraces: false });
  return new ros.Stack(app, 'MediaStack', { env: { region: 'cn-shanghai', ...(account ? { account } : {}) } });
}

function template(stack: ros.Stack): any {
  return (stack.node.root as ros.App).synth().getStackByName(stack.stackName).template;
}

function bucketsOf(t: any): any[] {
  return Object.values<any>(t.Resources).filter((r) => r.Type === 'ALIYUN::OSS::Bucket');
}

function principal(stack: ros.Stack): RolePrincipal {
  const role = new ram.RosRole(stack, 'AppRole', {
    roleName: 'app-role',
    assumeRolePolicyDocument: {
      version: '1',
      statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: ['fc.aliyuncs.com'] } }],
    },
  }, true);
  return new RolePrincipal(stack, 'AppGrants', { role });
}

function statements(t: any): any[] {
  return Object.values<any>(t.Resources)
    .filter((r) => r.Type === 'ALIYUN::RAM::ManagedPolicy')
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
}

describe('MediaBucket', () => {
  it('is private, blocks public access, encrypts with AES256 and denies plain HTTP by default', () => {
    // GIVEN
    const stack = newStack('1234567890');
    // WHEN
    new MediaBucket(stack, 'Input', { bucketName: 'media-in' });
    // THEN
    const [bucket] = bucketsOf(template(stack));
    expect(bucket.Properties).toMatchObject({
      BucketName: 'media-in',
      AccessControl: 'private',
      BlockPublicAccess: true,
      DeletionForce: false,
      ServerSideEncryptionConfiguration: { SSEAlgorithm: 'AES256' },
    });
    expect(bucket.Properties.Policy.Statement).toEqual([
      {
        Effect: 'Deny',
        Action: ['oss:*'],
        Principal: ['*'],
        Resource: ['acs:oss:*:1234567890:media-in', 'acs:oss:*:1234567890:media-in/*'],
        Condition: { Bool: { 'acs:SecureTransport': ['false'] } },
      },
    ]);
    expect(bucket.Properties.LifecycleConfiguration).toBeUndefined();
    expect(bucket.Properties.Tags).toBeUndefined();
  });

  it('drops the TLS-only policy when enforceSecureTransport is false', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new MediaBucket(stack, 'Input', { bucketName: 'media-in', enforceSecureTransport: false });
    // THEN
    const [bucket] = bucketsOf(template(stack));
    expect(bucket.Properties.Policy).toBeUndefined();
    expect(bucket.Properties).toMatchObject({ AccessControl: 'private', BlockPublicAccess: true });
  });

  it('derives a deterministic name from the prefix and the construct id', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const a = new MediaBucket(stack, 'RawInput', { namePrefix: 'acme-media' });
    const b = new MediaBucket(stack, 'Out_Put');
    // THEN
    expect(a.bucketName).toBe('acme-media-rawinput');
    expect(b.bucketName).toBe('mediastack-out-put');
    expect(bucketsOf(template(stack)).map((r) => r.Properties.BucketName).sort()).toEqual([
      'acme-media-rawinput',
      'mediastack-out-put',
    ]);
  });

  it('encrypts with the given KMS key', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const bucket = new MediaBucket(stack, 'Input', { bucketName: 'media-in', kmsKeyId: 'key-123' });
    // THEN
    expect(bucket.encryption).toBe('KMS');
    expect(bucketsOf(template(stack))[0].Properties.ServerSideEncryptionConfiguration).toEqual({
      SSEAlgorithm: 'KMS',
      KMSMasterKeyID: 'key-123',
    });
  });

  it('renders lifecycle rules and tags', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new MediaBucket(stack, 'Input', {
      bucketName: 'media-in',
      lifecycleRules: [{ prefix: 'tmp/', expirationDays: 7 }, { id: 'old', prefix: '', expirationDays: 365 }],
      tags: { team: 'media', env: 'test' },
    });
    // THEN
    const props = bucketsOf(template(stack))[0].Properties;
    expect(props.LifecycleConfiguration.Rule).toEqual([
      { ID: 'expire-0', Prefix: 'tmp/', Status: 'Enabled', Expiration: { Days: 7 } },
      { ID: 'old', Prefix: '', Status: 'Enabled', Expiration: { Days: 365 } },
    ]);
    expect(props.Tags).toEqual({ team: 'media', env: 'test' });
  });

  it('lets two buckets live in one stack (unique logical ids)', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new MediaBucket(stack, 'Input', { bucketName: 'media-in' });
    new MediaBucket(stack, 'Output', { bucketName: 'media-out' });
    // THEN
    expect(Object.keys(template(stack).Resources).sort()).toEqual(['Input', 'Output']);
  });

  it.each<[string, MediaBucketProps, RegExp]>([
    ['too short', { bucketName: 'ab' }, /MediaStack\/B: bucketName must be 3-63 characters long, got "ab"/],
    ['too long', { bucketName: 'a'.repeat(64) }, /bucketName must be 3-63 characters long/],
    ['upper case', { bucketName: 'Media-In' }, /bucketName must contain only lowercase letters, digits and '-', got "Media-In"/],
    ['underscore', { bucketName: 'media_in' }, /bucketName must contain only lowercase letters/],
    ['leading dash', { bucketName: '-media' }, /bucketName must start and end with a lowercase letter or digit, got "-media"/],
    ['trailing dash', { bucketName: 'media-' }, /must start and end with a lowercase letter or digit/],
    ['derived name invalid', { bucketName: undefined, namePrefix: 'x'.repeat(70) }, /bucketName must be 3-63 characters long/],
    ['kms key with AES256', { encryption: 'AES256', kmsKeyId: 'k' }, /kmsKeyId is only allowed with encryption 'KMS', got "k"/],
    ['unknown encryption', { encryption: 'SM4' as any }, /encryption must be 'AES256' or 'KMS', got "SM4"/],
    ['zero expiration', { lifecycleRules: [{ prefix: 'a/', expirationDays: 0 }] }, /lifecycleRules\[0\]\.expirationDays must be a whole number of days, 1 or more, got 0/],
    ['fractional expiration', { lifecycleRules: [{ prefix: 'a/', expirationDays: 1.5 }] }, /expirationDays must be a whole number/],
    ['wildcard prefix', { lifecycleRules: [{ prefix: 'a/*', expirationDays: 1 }] }, /lifecycleRules\[0\]\.prefix must not contain '\*' or '\?'/],
    ['leading slash prefix', { lifecycleRules: [{ prefix: '/a', expirationDays: 1 }] }, /prefix must not start with '\/'/],
    [
      'duplicate rule ids',
      { lifecycleRules: [{ id: 'x', prefix: 'a/', expirationDays: 1 }, { id: 'x', prefix: 'b/', expirationDays: 1 }] },
      /lifecycleRules\[1\]\.id must be unique in the bucket, got "x"/,
    ],
    ['too many tags', { tags: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }, /tags must have at most 20 entries, got 21/],
    ['reserved tag key', { tags: { 'acs:owner': 'x' } }, /tags keys must not start with 'aliyun' or 'acs:', got "acs:owner"/],
    ['long tag value', { tags: { k: 'v'.repeat(257) } }, /tags\.k must be at most 256 characters/],
  ])('rejects %s', (_name, props, message) => {
    // GIVEN
    const stack = newStack();
    // WHEN / THEN
    expect(() => new MediaBucket(stack, 'B', { bucketName: 'media-ok', ...props })).toThrow(message);
  });

  it('accepts every name OSS allows and rejects every name with a character outside [a-z0-9-]', () => {
    const stack = newStack();
    const valid = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    fc.assert(fc.property(valid, (name) => validateBucketName(stack, name) === undefined), { numRuns: 300 });
    const invalid = fc
      .tuple(valid, fc.constantFrom('_', 'A', '.', ' ', '/', 'é'), fc.nat())
      .map(([name, bad, at]) => {
        const i = at % name.length;
        return name.slice(0, i) + bad + name.slice(i + 1);
      })
      .filter((name) => name.length <= 63);
    fc.assert(fc.property(invalid, (name) => {
      expect(() => validateBucketName(stack, name)).toThrow(/bucketName must/);
    }), { numRuns: 300 });
  });
});

describe('MediaBucket grants', () => {
  it('grants read, write and list on a prefix only', () => {
    // GIVEN
    const stack = newStack('1234567890');
    const bucket = new MediaBucket(stack, 'Media', { bucketName: 'media' });
    const grantee = principal(stack);
    // WHEN
    bucket.grantRead(grantee, 'in/');
    bucket.grantWrite(grantee, 'out/');
    bucket.grantList(grantee, 'in/');
    // THEN
    const s = statements(template(stack));
    expect(s).toContainEqual({ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:1234567890:media/in/*'] });
    expect(s).toContainEqual({
      Effect: 'Allow',
      Action: ['oss:AbortMultipartUpload', 'oss:ListParts', 'oss:PutObject'],
      Resource: ['acs:oss:*:1234567890:media/out/*'],
    });
    expect(s).toContainEqual({
      Effect: 'Allow',
      Action: ['oss:ListObjects'],
      Resource: ['acs:oss:*:1234567890:media'],
      Condition: { StringLike: { 'oss:Prefix': ['in/*'] } },
    });
    expect(s.flatMap((x) => x.Action)).not.toContain('oss:*');
  });

  it('grants on an imported bucket use its account', () => {
    // GIVEN
    const stack = newStack('1234567890');
    const bucket = MediaBucket.fromBucketAttributes(stack, 'Existing', { bucketName: 'their-media', account: '999' });
    const grantee = principal(stack);
    // WHEN
    bucket.grantRead(grantee);
    // THEN
    expect(bucket.bucketArn).toBe('acs:oss:*:999:their-media');
    expect(statements(template(stack))).toContainEqual({
      Effect: 'Allow',
      Action: ['oss:GetObject'],
      Resource: ['acs:oss:*:999:their-media/*'],
    });
    expect(bucketsOf(template(stack))).toHaveLength(0);
  });

  it('fromBucketName references a bucket in the stack region without creating one', () => {
    // GIVEN
    const stack = newStack('1234567890');
    // WHEN
    const bucket = MediaBucket.fromBucketName(stack, 'Existing', 'their-media');
    // THEN
    expect(bucket.bucketName).toBe('their-media');
    expect(bucket.bucketRegion).toBeUndefined();
    expect(bucket.arnForObjects('a/')).toBe('acs:oss:*:1234567890:their-media/a/*');
    expect(() => MediaBucket.fromBucketName(stack, 'Bad', 'Bad_Name')).toThrow(/MediaStack\/Bad: bucketName must contain only/);
  });

  it('fromBucketName with a token says what it cannot check', () => {
    // GIVEN a bucket name only known at deploy time (a parameter that could default to "*")
    const stack = newStack('1234567890');
    const name = new ros.RosParameter(stack, 'BucketName', { type: ros.RosParameterType.STRING, defaultValue: '*' });
    // WHEN
    const bucket = MediaBucket.fromBucketName(stack, 'Param', name.valueAsString);
    // THEN the construct carries a warning naming what synth cannot check
    const warnings = bucket.node.metadata.filter((m: any) => m.type === 'aliyun:ros:warning').map((m: any) => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/bucketName is a token .*cannot be checked at synth; grants on this bucket reach whatever it resolves to/)]);
    expect(MediaBucket.fromBucketName(stack, 'Literal', 'their-media').node.metadata.filter((m: any) => m.type === 'aliyun:ros:warning')).toEqual([]);
  });

  it('logs access into itself under access-log/ by default, elsewhere when told, and not at all when turned off', () => {
    const stack = newStack();
    new MediaBucket(stack, 'Default', { bucketName: 'media-default' });
    new MediaBucket(stack, 'Elsewhere', { bucketName: 'media-elsewhere', accessLogs: { targetBucketName: 'media-logs', prefix: 'in/' } });
    new MediaBucket(stack, 'Off', { bucketName: 'media-off', accessLogs: { enabled: false } });
    const byName = Object.fromEntries(bucketsOf(template(stack)).map((b) => [b.Properties.BucketName, b.Properties.LoggingConfiguration]));
    expect(byName).toEqual({
      'media-default': { TargetBucket: 'media-default', TargetPrefix: 'access-log/' },
      'media-elsewhere': { TargetBucket: 'media-logs', TargetPrefix: 'in/' },
      'media-off': undefined,
    });
  });

  it.each([
    ['a log prefix with a wildcard', { accessLogs: { prefix: 'logs/*' } }, /accessLogs.prefix must not contain '\*'/],
    ['a bad log bucket name', { accessLogs: { targetBucketName: 'Bad_Logs' } }, /bucketName must contain only/],
  ])('rejects %s', (_name, props, message) => {
    expect(() => new MediaBucket(newStack(), 'B', { bucketName: 'media-b', ...props })).toThrow(message);
  });

  it.each([
    ['wildcard', 'in/*', /prefix must not contain '\*'/],
    ['leading slash', '/in', /prefix must not start with '\/'/],
  ])('rejects a %s grant prefix', (_name, prefix, message) => {
    // GIVEN
    const stack = newStack();
    const bucket = new MediaBucket(stack, 'Media', { bucketName: 'media' });
    const grantee = principal(stack);
    // WHEN / THEN
    expect(() => bucket.grantRead(grantee, prefix)).toThrow(message);
    expect(() => bucket.grantList(grantee, prefix)).toThrow(message);
  });
});
