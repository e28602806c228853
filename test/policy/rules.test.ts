import * as fs from 'fs';
import * as path from 'path';
import { POLICY_RULES, RosTemplate } from '../../lib/policy';
import { findingsOf, FIXTURES, grantTemplate, readTemplate, review, template } from './support';

function queues(n: number): RosTemplate {
  const r: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) r[`Queue${String(i).padStart(3, '0')}`] = { Type: 'ALIYUN::MNS::Queue', Properties: { QueueName: `q${i}` } };
  return template(r);
}

function functionWithZip(bytes: number): RosTemplate {
  return template({
    Function: {
      Type: 'ALIYUN::FC::Function',
      Properties: { ServiceName: 's', FunctionName: 'f', Handler: 'index.handler', Runtime: 'nodejs18', InstanceConcurrency: 5, Code: { ZipFile: 'A'.repeat(bytes) } },
    },
  });
}

// Rules whose fixtures would be hundreds of kilobytes are built here instead of stored.
const BUILT: Record<string, { compliant: () => RosTemplate; noncompliant: () => RosTemplate }> = {
  'IPROD-TPL-001': { compliant: () => functionWithZip(500_000), noncompliant: () => functionWithZip(530_000) },
  'IPROD-TPL-002': { compliant: () => queues(300), noncompliant: () => queues(301) },
};

function load(ruleId: string, kind: 'compliant' | 'noncompliant'): { template: RosTemplate; text?: string } {
  if (BUILT[ruleId]) return { template: BUILT[ruleId][kind]() };
  return readTemplate(path.join('rules', ruleId.toLowerCase(), `${kind}.template.json`));
}

const RULE_IDS = POLICY_RULES.map((r) => r.id);

describe('every rule has a compliant and a non-compliant fixture', () => {
  it('covers each rule id exactly once', () => {
    // GIVEN the fixture directories and the built cases
    const covered = fs.readdirSync(path.join(FIXTURES, 'rules')).map((d) => d.toUpperCase()).concat(Object.keys(BUILT)).sort();
    // THEN they name exactly the rules that run
    expect(covered).toEqual([...RULE_IDS].sort());
  });

  it.each(RULE_IDS)('%s: the non-compliant fixture is reported under this rule id', (ruleId) => {
    // GIVEN the non-compliant fixture
    const { template: t, text } = load(ruleId, 'noncompliant');
    // WHEN it is reviewed
    const found = findingsOf(t, ruleId, { text });
    // THEN the rule reports it, with a message and a location
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.findingId.startsWith(ruleId)).toBe(true);
    }
  });

  it.each(RULE_IDS)('%s: the compliant fixture is not reported under this rule id', (ruleId) => {
    const { template: t, text } = load(ruleId, 'compliant');
    expect(findingsOf(t, ruleId, { text })).toEqual([]);
  });

  it.each(POLICY_RULES.map((r) => [r.id, r] as const))('%s has a title, description, fix hint and severity', (_id, rule) => {
    expect(rule.id).toMatch(/^IPROD-(RAM|OSS|FC|TPL)-\d{3}$/);
    expect(['error', 'warning', 'info']).toContain(rule.severity);
    expect(rule.title.length).toBeGreaterThan(5);
    expect(rule.description.length).toBeGreaterThan(20);
    expect(rule.fixHint.length).toBeGreaterThan(10);
  });
});

describe('RAM statement rules in detail', () => {
  it.each([
    // [statement, rule expected, finer id expected]
    [{ Effect: 'Allow', Action: '*', Resource: '*' }, 'IPROD-RAM-001', 'IPROD-RAM-001:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['ice:*'], Resource: '*' }, 'IPROD-RAM-002', 'IPROD-RAM-002:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['*'], Resource: ['acs:oss:*:1:b/*'] }, 'IPROD-RAM-002', 'IPROD-RAM-002:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['oss:Get*'], Resource: '*' }, 'IPROD-RAM-003', 'IPROD-RAM-003:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['mns:ReceiveMessage'], Resource: '*' }, 'IPROD-RAM-003', 'IPROD-RAM-003:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['mts:QueryIProductionJob'], Resource: ['acs:mts:*:1:*'] }, 'IPROD-RAM-004', 'IPROD-RAM-004:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['oss:GetObjekt'], Resource: ['acs:oss:*:1:b/*'] }, 'IPROD-RAM-005', 'IPROD-RAM-005:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['ice:Frobnicate*'], Resource: '*' }, 'IPROD-RAM-005', 'IPROD-RAM-005:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['oss:GetObject'], NotResource: ['acs:oss:*:1:b/*'] }, 'IPROD-RAM-006', 'IPROD-RAM-006:PolicyDocument.Statement[0]'],
    [{ Effect: 'allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:1:b/*'] }, 'IPROD-RAM-007', 'IPROD-RAM-007:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Resource: ['acs:oss:*:1:b/*'] }, 'IPROD-RAM-007', 'IPROD-RAM-007:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['GetObject'], Resource: ['acs:oss:*:1:b/*'] }, 'IPROD-RAM-007', 'IPROD-RAM-007:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['my-bucket'] }, 'IPROD-RAM-007', 'IPROD-RAM-007:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['oss:GetObject'], Resources: ['acs:oss:*:1:b/*'] }, 'IPROD-RAM-007', 'IPROD-RAM-007:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['ram:*'], Resource: '*' }, 'IPROD-RAM-009', 'IPROD-RAM-009:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['ram:AttachPolicyToRole'], Resource: ['acs:ram::1:role/x'] }, 'IPROD-RAM-009', 'IPROD-RAM-009:PolicyDocument.Statement[0]'],
    [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: ['acs:ram::1:role/x'] }, 'IPROD-RAM-009', 'IPROD-RAM-009:PolicyDocument.Statement[0]'],
  ])('%j is reported under %s as %s', (statement, ruleId, findingId) => {
    // GIVEN a policy with the statement WHEN reviewed
    const found = findingsOf(grantTemplate([statement]), ruleId);
    // THEN exactly that statement is named, on the policy resource
    expect(found.map((f) => f.findingId)).toContain(findingId);
    expect(found.every((f) => f.logicalId === 'Policy' && f.jsonPath === 'Resources.Policy.Properties.PolicyDocument.Statement[0]')).toBe(true);
  });

  it.each([
    // Statements that must stay silent under the named rule.
    [{ Effect: 'Allow', Action: ['ice:SubmitIProductionJob', 'ice:QueryIProductionJob'], Resource: '*' }, 'IPROD-RAM-003'],
    [{ Effect: 'Allow', Action: ['mts:SubmitIProductionJob'], Resource: ['*'] }, 'IPROD-RAM-003'],
    [{ Effect: 'Deny', Action: ['oss:*'], Resource: '*' }, 'IPROD-RAM-002'],
    [{ Effect: 'Deny', Action: '*', Resource: '*' }, 'IPROD-RAM-001'],
    [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:1:b/*'] }, 'IPROD-RAM-004'],
    [{ Effect: 'Allow', Action: ['oss:getobject'], Resource: ['acs:oss:*:1:b/*'] }, 'IPROD-RAM-005'],
    [{ Effect: 'Allow', Action: ['vod:GetPlayInfo'], Resource: '*' }, 'IPROD-RAM-005'],
    [{ Effect: 'Deny', NotAction: ['oss:GetObject'], Resource: '*' }, 'IPROD-RAM-006'],
    [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: [{ 'Fn::Sub': 'acs:oss:*:${ALIYUN::AccountId}:b/*' }] }, 'IPROD-RAM-007'],
    [{ Effect: 'Allow', Action: ['ram:GetRole'], Resource: ['acs:ram::1:role/x'] }, 'IPROD-RAM-009'],
  ])('%j is not reported under %s', (statement, ruleId) => {
    expect(findingsOf(grantTemplate([statement]), ruleId)).toEqual([]);
  });

  it('reports a duplicate Sid naming both statements', () => {
    const t = grantTemplate([
      { Sid: 'Read', Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:1:b/*'] },
      { Sid: 'Read', Effect: 'Allow', Action: ['oss:ListObjects'], Resource: ['acs:oss:*:1:b'] },
    ]);
    const [f] = findingsOf(t, 'IPROD-RAM-007');
    expect(f.message).toMatch(/Statement\[1\] repeats Sid "Read" of Statement\[0\]/);
    expect(f.findingId).toBe('IPROD-RAM-007:PolicyDocument.Statement[1]');
  });

  it('reports Version with the value received', () => {
    const t = grantTemplate([]);
    (t.Resources!.Policy.Properties!.PolicyDocument as Record<string, unknown>).Version = '2012-10-17';
    const messages = findingsOf(t, 'IPROD-RAM-007').map((f) => f.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/Version must be "1", got "2012-10-17"/),
      expect.stringMatching(/Statement must be a non-empty list, got \[\]/),
    ]));
  });

  it.each([
    [2048, []],
    [2049, ['warning']],
    [6144, ['warning']],
    [6145, ['error']],
  ])('a document of %i characters yields %j', (chars, severities) => {
    // GIVEN a document padded to exactly `chars` characters of compact JSON
    const base = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:1:b/'] }] };
    const pad = chars - JSON.stringify(base).length;
    base.Statement[0].Resource[0] = `acs:oss:*:1:b/${'x'.repeat(pad)}`;
    expect(JSON.stringify(base).length).toBe(chars);
    const t = grantTemplate([]);
    t.Resources!.Policy.Properties!.PolicyDocument = base;
    // THEN the size rule reports at the right severity
    expect(findingsOf(t, 'IPROD-RAM-008').map((f) => f.severity)).toEqual(severities);
  });

  it.each([
    [{ RAM: ['acs:ram::*:root'] }, true],
    [{ RAM: ['*'] }, true],
    ['*', true],
    [{ Service: ['*'] }, true],
    [{ Federated: ['*'] }, true],
    [{ RAM: ['acs:ram::123456789:root'] }, false],
    [{ Service: ['fc.aliyuncs.com'] }, false],
  ])('a role trusting %j is reported: %s', (principal, reported) => {
    const t = grantTemplate([]);
    (t.Resources!.Role.Properties!.AssumeRolePolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement[0].Principal = principal;
    expect(findingsOf(t, 'IPROD-RAM-014').length > 0).toBe(reported);
  });

  it.each([
    ['AdministratorAccess', true],
    ['AliyunICEFullAccess', true],
    ['AliyunICEReadOnlyAccess', false],
  ])('AttachPolicyToRole with system policy %s is reported: %s', (name, reported) => {
    const t = grantTemplate([], {
      Attach: { Type: 'ALIYUN::RAM::AttachPolicyToRole', Properties: { PolicyType: 'System', PolicyName: name, RoleName: { 'Fn::GetAtt': ['Role', 'RoleName'] } } },
    });
    expect(findingsOf(t, 'IPROD-RAM-010').length > 0).toBe(reported);
  });

  it('reports AttachPolicyToUser and User inline policies as grants to users', () => {
    const t = template({
      User: { Type: 'ALIYUN::RAM::User', Properties: { UserName: 'ci', Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'ice:SubmitIProductionJob', Resource: '*' }] } }] } },
      Attach: { Type: 'ALIYUN::RAM::AttachPolicyToUser', Properties: { PolicyType: 'Custom', PolicyName: 'p2', UserName: 'ci' } },
    });
    expect(findingsOf(t, 'IPROD-RAM-011').map((f) => f.logicalId)).toEqual(['Attach', 'User']);
  });
});

describe('bucket and function rules in detail', () => {
  const bucket = (policy: unknown, extra: Record<string, unknown> = {}) => template({
    Bucket: { Type: 'ALIYUN::OSS::Bucket', Properties: { BucketName: 'b', AccessControl: 'private', ServerSideEncryptionConfiguration: { SSEAlgorithm: 'KMS' }, Policy: policy, ...extra } },
  });
  const tls = (over: Record<string, unknown> = {}) => ({
    Version: '1',
    Statement: [{ Effect: 'Deny', Principal: ['*'], Action: ['oss:*'], Resource: ['acs:oss:*:*:b', 'acs:oss:*:*:b/*'], Condition: { Bool: { 'acs:SecureTransport': 'false' } }, ...over }],
  });

  it.each([
    ['the canonical TLS-only Deny', false, tls()],
    ['a boolean false condition', false, tls({ Condition: { Bool: { 'acs:SecureTransport': false } } })],
    ['an Allow instead of a Deny', true, tls({ Effect: 'Allow' })],
    ['a Deny of GetObject only', true, tls({ Action: ['oss:GetObject'] })],
    ['a Deny on the bucket but not its objects', true, tls({ Resource: ['acs:oss:*:*:b'] })],
    ['a Deny when TLS is used (true)', true, tls({ Condition: { Bool: { 'acs:SecureTransport': 'true' } } })],
    ['a Deny for one account only', true, tls({ Principal: ['123456789'] })],
  ])('bucket policy with %s: OSS-001 reported = %s', (_label, reported, policy) => {
    expect(findingsOf(bucket(policy), 'IPROD-OSS-001').length > 0).toBe(reported);
  });

  it('reports a bucket policy statement without Principal as malformed', () => {
    const found = findingsOf(bucket({ Version: '1', Statement: [{ ...tls().Statement[0], Principal: undefined }] }), 'IPROD-RAM-007');
    expect(found.map((f) => [f.findingId, f.message])).toEqual([
      ['IPROD-RAM-007:Policy.Statement[0]', 'Bucket.Policy: Statement[0] has no Principal (a bucket policy must say whom it applies to)'],
    ]);
  });

  it.each([['public-read-write', true], ['public-read', true], ['private', false]])('AccessControl %s is reported: %s', (acl, reported) => {
    expect(findingsOf(bucket(tls(), { AccessControl: acl }), 'IPROD-OSS-002').length > 0).toBe(reported);
  });

  it.each([['AES256', false], ['KMS', false], ['SM4', false], ['NONE', true]])('SSEAlgorithm %s is reported: %s', (alg, reported) => {
    expect(findingsOf(bucket(tls(), { ServerSideEncryptionConfiguration: { SSEAlgorithm: alg } }), 'IPROD-OSS-004').length > 0).toBe(reported);
  });

  it.each([
    ['AuthType anonymous', true, { AuthType: 'anonymous' }],
    ['AuthType ANONYMOUS', true, { AuthType: 'ANONYMOUS' }],
    ['no AuthType', true, { Methods: ['GET'] }],
    ['AuthType function', false, { AuthType: 'function' }],
  ])('an FC3 HTTP trigger with %s is reported: %s', (_l, reported, cfg) => {
    const t = template({ T: { Type: 'ALIYUN::FC3::Trigger', Properties: { FunctionName: 'f', TriggerName: 't', TriggerType: 'http', TriggerConfig: cfg } } });
    expect(findingsOf(t, 'IPROD-FC-002').length > 0).toBe(reported);
  });

  it('accepts an FC3 function capped by a ConcurrencyConfig that references it', () => {
    const t = template({
      Fn: { Type: 'ALIYUN::FC3::Function', Properties: { FunctionName: 'f', Handler: 'index.handler', Runtime: 'nodejs18' } },
      Cap: { Type: 'ALIYUN::FC3::ConcurrencyConfig', Properties: { FunctionName: { 'Fn::GetAtt': ['Fn', 'FunctionName'] }, ReservedConcurrency: 10 } },
    });
    expect(findingsOf(t, 'IPROD-FC-001')).toEqual([]);
    delete t.Resources!.Cap;
    expect(findingsOf(t, 'IPROD-FC-001').map((f) => f.logicalId)).toEqual(['Fn']);
  });
});

describe('trust beyond the account and who runs as a role', () => {
  const trusting = (principal: unknown) => {
    const t = grantTemplate([]);
    (t.Resources!.Role.Properties!.AssumeRolePolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement[0].Principal = principal;
    return t;
  };

  it.each([
    ['another account root', { RAM: ['acs:ram::2222222222222222:root'] }, ['account 2222222222222222']],
    ['a role of another account', { RAM: ['acs:ram::2222222222222222:role/ci'] }, ['account 2222222222222222']],
    ['the own account (--account-id given)', { RAM: ['acs:ram::1111111111111111:root'] }, []],
    ['a SAML provider', { Federated: ['acs:ram::1111111111111111:saml-provider/idp'] }, ['provider acs:ram::1111111111111111:saml-provider/idp']],
  ])('a role trusting %s: IPROD-RAM-015 names %j', (_label, principal, who) => {
    const found = findingsOf(trusting(principal), 'IPROD-RAM-015', { accountId: '1111111111111111' });
    expect(found.map((f) => f.message)).toEqual(who.map((w) => expect.stringMatching(new RegExp(`^role Role can be assumed by \`${w}\`; a warning, not an error`))));
  });

  it('downgrades an any-principal bucket Allow narrowed by a Condition to a warning', () => {
    const t = template({
      Bucket: { Type: 'ALIYUN::OSS::Bucket', Properties: { BucketName: 'b', Policy: { Version: '1', Statement: [
        { Effect: 'Allow', Principal: ['*'], Action: ['oss:GetObject'], Resource: ['acs:oss:*:*:b/*'], Condition: { StringEquals: { 'acs:SourceVpc': 'vpc-1' } } },
        { Effect: 'Allow', Principal: ['*'], Action: ['oss:GetObject'], Resource: ['acs:oss:*:*:b/public/*'] },
      ] } } },
    });
    // Findings come sorted by severity: the unconditioned error first.
    expect(findingsOf(t, 'IPROD-OSS-003').map((f) => [f.findingId, f.severity])).toEqual([
      ['IPROD-OSS-003:Policy.Statement[1]', 'error'],
      ['IPROD-OSS-003:Policy.Statement[0]', 'warning'],
    ]);
  });

  it('lists the FC services and MPS pipelines that run as a role', () => {
    const t = grantTemplate([], {
      Service: { Type: 'ALIYUN::FC::Service', Properties: { ServiceName: 's', Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
      Pipeline: { Type: 'ALIYUN::MPS::Pipeline', Properties: { Name: 'p', Role: 'app-role' } },
      Other: { Type: 'ALIYUN::MPS::Pipeline', Properties: { Name: 'q', Role: 'AliyunMTSDefaultRole' } },
    });
    const role = review(t).principals.find((p) => p.logicalId === 'Role')!;
    expect(role.usedBy).toEqual(['ALIYUN::MPS::Pipeline Pipeline', 'ALIYUN::FC::Service Service']);
  });
});
