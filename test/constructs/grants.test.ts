import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
import * as fc from 'fast-check';
import { MediaBucket } from '../../lib/constructs/bucket';
import {
  Grant,
  grant,
  grantGetMediaProducingJob,
  grantQueryIProductionJob,
  grantSubmitIProductionJob,
  grantSubmitMediaProducingJob,
  policyNameFor,
  RolePrincipal,
} from '../../lib/constructs/grants';
import { NotificationQueue, NotificationTopic } from '../../lib/constructs/mns';
import { MediaPipeline } from '../../lib/constructs/mps';
import { IntelligentProduction } from '../../lib/constructs/production';
import { ProductionRuntime } from '../../lib/constructs/runtime';
import { RAM_LIMITS } from '../../lib/service';
import { newStack, resourcesOfType, synthTemplate } from '../support/synth';

const ASSUME_FC = {
  version: '1',
  statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: ['fc.aliyuncs.com'] } }],
};

function stackWithRole(): { stack: ros.Stack; principal: RolePrincipal } {
  const { stack } = newStack('GrantStack');
  const role = new ram.Role(stack, 'Role', { roleName: 'runtime-role', assumeRolePolicyDocument: ASSUME_FC });
  const principal = new RolePrincipal(stack, 'Principal', { role });
  return { stack, principal };
}

function policies(template: any): any[] {
  return Object.values(resourcesOfType(template, 'ALIYUN::RAM::ManagedPolicy'));
}

describe('RolePrincipal', () => {
  it('renders one managed policy per role, attached by the role name attribute', () => {
    // GIVEN
    const { stack, principal } = stackWithRole();
    // WHEN
    grantSubmitIProductionJob(principal);
    grantQueryIProductionJob(principal);
    grant(principal, ['mns:ReceiveMessage'], ['acs:mns:cn-shanghai:123:/queues/ice-callback-a']);
    // THEN
    const ps = policies(synthTemplate(stack));
    expect(ps).toHaveLength(1);
    expect(ps[0].Properties.Roles).toEqual([{ 'Fn::GetAtt': ['Role', 'RoleName'] }]);
    expect(ps[0].Properties.PolicyName).toBe(policyNameFor('iprod', 'GrantStack/Principal'));
    expect(ps[0].Properties.PolicyDocument).toEqual({
      Version: '1',
      Statement: [
        { Action: ['ice:QueryIProductionJob', 'ice:SubmitIProductionJob'], Resource: ['*'], Effect: 'Allow' },
        { Action: ['mns:ReceiveMessage'], Resource: ['acs:mns:cn-shanghai:123:/queues/ice-callback-a'], Effect: 'Allow' },
      ],
    });
  });

  it('creates no policy until the first grant', () => {
    // GIVEN / WHEN
    const { stack } = stackWithRole();
    // THEN
    expect(policies(synthTemplate(stack))).toEqual([]);
  });

  it('keeps grants made after the policy exists (lazy document)', () => {
    // GIVEN
    const { stack, principal } = stackWithRole();
    grantSubmitMediaProducingJob(principal);
    const policy = principal.managedPolicy;
    // WHEN
    grantGetMediaProducingJob(principal);
    // THEN
    expect(principal.managedPolicy).toBe(policy);
    expect(policies(synthTemplate(stack))[0].Properties.PolicyDocument.Statement).toEqual([
      { Action: ['ice:GetMediaProducingJob', 'ice:SubmitMediaProducingJob'], Resource: ['*'], Effect: 'Allow' },
    ]);
  });

  it('merges statements only when resources and conditions are equal, and keeps conditions', () => {
    // GIVEN
    const { stack, principal } = stackWithRole();
    const secure = { Bool: { 'acs:SecureTransport': 'true' } };
    // WHEN
    grant(principal, ['oss:PutObject'], ['acs:oss:*:123:b/out/*', 'acs:oss:*:123:b/out/*'], secure);
    grant(principal, ['oss:GetObject', 'oss:PutObject'], ['acs:oss:*:123:b/out/*'], { Bool: { 'acs:SecureTransport': 'true' } });
    grant(principal, ['oss:GetObject'], ['acs:oss:*:123:b/out/*']);
    grant(principal, ['mts:SubmitIProductionJob'], ['*']);
    // THEN
    expect(policies(synthTemplate(stack))[0].Properties.PolicyDocument.Statement).toEqual([
      { Action: ['mts:SubmitIProductionJob'], Resource: ['*'], Effect: 'Allow' },
      {
        Condition: { Bool: { 'acs:SecureTransport': 'true' } },
        Action: ['oss:GetObject', 'oss:PutObject'],
        Resource: ['acs:oss:*:123:b/out/*'],
        Effect: 'Allow',
      },
      { Action: ['oss:GetObject'], Resource: ['acs:oss:*:123:b/out/*'], Effect: 'Allow' },
    ]);
  });

  it('renders the same document whatever order the grants were made in', () => {
    const grants: Array<[string[], string[]]> = [
      [['mns:ReceiveMessage'], ['acs:mns:r:1:/queues/ice-callback-q']],
      [['mns:DeleteMessage'], ['acs:mns:r:1:/queues/ice-callback-q']],
      [['ice:SubmitIProductionJob'], ['*']],
      [['oss:GetObject'], ['acs:oss:*:1:b/in/*']],
      [['oss:PutObject'], ['acs:oss:*:1:b/out/*']],
    ];
    const render = (order: number[]) => {
      const { stack, principal } = stackWithRole();
      order.forEach((i) => grant(principal, grants[i][0], grants[i][1]));
      return JSON.stringify(policies(synthTemplate(stack))[0].Properties.PolicyDocument);
    };
    const reference = render([0, 1, 2, 3, 4]);
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }), (order) => {
        expect(render(order)).toBe(reference);
      }),
      { numRuns: 30 },
    );
  });

  it('attaches to an existing role by name', () => {
    // GIVEN
    const { stack } = newStack('ByName');
    const principal = RolePrincipal.fromRoleName(stack, 'Existing', 'AliyunICEDefaultRole');
    // WHEN
    grantSubmitIProductionJob(principal, { api: 'mts' });
    // THEN
    const [p] = policies(synthTemplate(stack));
    expect(principal.roleName).toBe('AliyunICEDefaultRole');
    expect(p.Properties.Roles).toEqual(['AliyunICEDefaultRole']);
    expect(p.Properties.PolicyDocument.Statement).toEqual([
      { Action: ['mts:SubmitIProductionJob'], Resource: ['*'], Effect: 'Allow' },
    ]);
  });

  it('synthesizes byte-identical templates twice', () => {
    const build = () => {
      const { stack, principal } = stackWithRole();
      grantSubmitIProductionJob(principal);
      grant(principal, ['mns:ReceiveMessage'], [`acs:mns:${stack.region}:${stack.account}:/queues/ice-callback-x`]);
      return JSON.stringify(synthTemplate(stack));
    };
    expect(build()).toBe(build());
  });

  it('resolves tokens inside resources', () => {
    // GIVEN
    const { stack, principal } = stackWithRole();
    // WHEN
    grant(principal, ['mns:SendMessage'], [`acs:mns:${stack.region}:${stack.account}:/queues/ice-callback-x`]);
    // THEN
    const [p] = policies(synthTemplate(stack));
    expect(p.Properties.PolicyDocument.Statement[0].Resource).toEqual([
      { 'Fn::Join': ['', ['acs:mns:', { Ref: 'ALIYUN::Region' }, ':', { Ref: 'ALIYUN::AccountId' }, ':/queues/ice-callback-x']] },
    ]);
  });

  it.each<[string, string[], string[], RegExp]>([
    ['a bare wildcard', ['*'], ['*'], /actions must name single operations .*got '\*'/],
    ['a service wildcard', ['oss:*'], ['acs:oss:*:1:b'], /no wildcards\), got 'oss:\*'/],
    ['a partial wildcard', ['oss:Get*'], ['acs:oss:*:1:b'], /got 'oss:Get\*'/],
    ['a malformed action', ['SubmitIProductionJob'], ['*'], /got 'SubmitIProductionJob'/],
    ['no actions', [], ['*'], /actions must list at least one action, got \[\]/],
    ['no resources', ['ice:SubmitIProductionJob'], [], /resources must list at least one resource, got \[\]/],
    ['"*" for a resource-scoped service', ['oss:GetObject'], ['*'], /resource "\*" is only allowed .*\(ice, mts\), got action 'oss:GetObject'/],
    ['"*" next to an ARN', ['ice:SubmitIProductionJob'], ['*', 'acs:ice:x'], /must stand alone/],
    ['every bucket (acs:oss:*:*:*)', ['oss:GetObject'], ['acs:oss:*:*:*'], /must name specific resources for oss.*got 'acs:oss:\*:\*:\*'/],
    ['every object of every bucket', ['oss:GetObject'], ['acs:oss:*:123:*/*'], /must name specific resources for oss/],
    ['every resource of every service', ['oss:GetObject'], ['acs:*:*:*:*'], /must name specific resources for oss/],
    ['an ARN cut short by a wildcard', ['oss:PutObject'], ['acs:oss:*'], /must name specific resources for oss/],
    ['every queue', ['mns:SendMessage'], ['acs:mns:cn-shanghai:123:/queues/*'], /names every queue of mns/],
    ['every FC 3.0 function', ['fc:InvokeFunction'], ['acs:fc:*:*:functions/*'], /must name specific resources for fc/],
    ['a bucket name pattern', ['oss:GetObject'], ['acs:oss:*:123:media-*/*'], /names every bucket matching "media-\*"/],
    ['every key of an unknown service', ['kms:Decrypt'], ['acs:kms:cn-shanghai:123:key/*'], /must name specific resources for kms/],
  ])('rejects %s', (_name, actions, resources, message) => {
    // GIVEN
    const { principal } = stackWithRole();
    // WHEN / THEN
    expect(() => grant(principal, actions, resources)).toThrow(message);
  });

  it.each<[string, any, RegExp]>([
    ['neither role nor roleName', {}, /exactly one of role and roleName must be given, got neither/],
    ['an invalid role name', { roleName: 'bad name!' }, /roleName must be 1-64 letters, digits, '.' or '-', got 'bad name!'/],
    ['a too long role name', { roleName: 'r'.repeat(65) }, /roleName must be 1-64/],
    ['a bad prefix', { roleName: 'ok', policyNamePrefix: '-x' }, /policyNamePrefix must be .* got '-x'/],
  ])('rejects %s', (_name, props, message) => {
    const { stack } = newStack();
    expect(() => new RolePrincipal(stack, 'P', props)).toThrow(message);
  });

  it.each<[string, string[], string[]]>([
    ['object keys under a named bucket', ['oss:GetObject'], ['acs:oss:*:123:media-in/input/*']],
    ['a named queue in any region', ['mns:SendMessage'], ['acs:mns:*:123:/queues/ice-callback-a']],
    ['functions of a named FC 2.0 service', ['fc:InvokeFunction'], ['acs:fc:cn-shanghai:123:services/iprod/functions/*']],
  ])('accepts %s', (_name, actions, resources) => {
    const { principal } = stackWithRole();
    expect(() => grant(principal, actions, resources)).not.toThrow();
  });

  it('refuses a wildcard bucket built from tokens (Fn::Join of the account and "*")', () => {
    const { stack, principal } = stackWithRole();
    expect(() => grant(principal, ['oss:GetObject'], [`acs:oss:*:${stack.account}:*`])).toThrow(/must name specific resources for oss/);
  });

  it('rejects an unknown api', () => {
    const { principal } = stackWithRole();
    expect(() => grantSubmitIProductionJob(principal, { api: 'oss' as any })).toThrow(/api must be one of ice, mts, got 'oss'/);
  });

  it('fails synthesis when the document exceeds 6,144 characters and warns above 2,048', () => {
    // GIVEN
    const big = stackWithRole();
    const medium = stackWithRole();
    // WHEN
    for (let i = 0; i < 120; i++) {
      grant(big.principal, ['oss:GetObject'], [`acs:oss:*:123456789:bucket-${i}/some/long/prefix/*`]);
    }
    for (let i = 0; i < 40; i++) {
      grant(medium.principal, ['oss:GetObject'], [`acs:oss:*:123456789:bucket-${i}/some/long/prefix/*`]);
    }
    // THEN
    expect(() => synthTemplate(big.stack)).toThrow(/characters, over the RAM limit of 6144/);
    synthTemplate(medium.stack);
    const warnings = medium.principal.node.metadata.filter((m: any) => m.type === 'aliyun:ros:warning');
    expect(warnings.map((w: any) => w.data)).toEqual([expect.stringMatching(/over the 2048 characters an older RAM page documents/)]);
  });
});

describe('policyNameFor', () => {
  it('is deterministic, within 128 characters and made of letters, digits and hyphens', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 6 }), (parts) => {
        const p = parts.join('/');
        const name = policyNameFor('iprod', p);
        expect(name).toBe(policyNameFor('iprod', p));
        expect(name.length).toBeLessThanOrEqual(RAM_LIMITS.policyNameMaxChars);
        expect(name).toMatch(/^iprod-([A-Za-z0-9-]*-)?[0-9a-f]{8}$/);
      }),
      { numRuns: 300 },
    );
  });

  it('differs for paths that sanitize to the same text', () => {
    expect(policyNameFor('iprod', 'S/a_b')).not.toBe(policyNameFor('iprod', 'S/ab'));
  });
});

describe('RolePrincipal.renderStatements', () => {
  it('returns the merged statements as they will render, for reports', () => {
    // GIVEN
    const { principal } = stackWithRole();
    grantSubmitIProductionJob(principal);
    grantGetMediaProducingJob(principal);
    // WHEN
    const statements = principal.renderStatements();
    // THEN
    expect(statements).toEqual([
      { effect: 'Allow', action: ['ice:GetMediaProducingJob', 'ice:SubmitIProductionJob'], resource: ['*'] },
    ]);
  });
});

describe('what a grant returns', () => {
  it('grant() returns the statement, the grantee, the role it landed on and the managed policy holding it', () => {
    // GIVEN
    const { principal } = stackWithRole();
    // WHEN
    const given = grant(principal, ['mns:SendMessage'], ['acs:mns:cn-shanghai:123:/queues/q'], { Bool: { 'acs:SecureTransport': 'true' } });
    // THEN
    expect(given).toEqual({
      actions: ['mns:SendMessage'],
      resources: ['acs:mns:cn-shanghai:123:/queues/q'],
      conditions: { Bool: { 'acs:SecureTransport': 'true' } },
      grantee: principal,
      principal,
      policy: principal.managedPolicy,
    });
    expect(given.policy).toBeInstanceOf(ram.RosManagedPolicy);
  });

  it('leaves the policy out for a principal that reports none', () => {
    // GIVEN a principal of the app's own that keeps statements in a list
    const added: unknown[] = [];
    const grantee = { grantPrincipal: { roleName: 'own-role', addStatements: (...s: unknown[]) => { added.push(...s); } } };
    // WHEN
    const given = grantSubmitIProductionJob(grantee, { api: 'mts' });
    // THEN
    expect(given).toEqual({ actions: ['mts:SubmitIProductionJob'], resources: ['*'], grantee, principal: grantee.grantPrincipal });
    expect(added).toEqual([{ actions: ['mts:SubmitIProductionJob'], resources: ['*'] }]);
  });
});

/** A stack with a literal region and account, so ARNs compare as strings. */
function accountStack(): { stack: ros.Stack; principal: RolePrincipal } {
  const app = newStack('Unused').app;
  const stack = new ros.Stack(app, 'GrantStack', { env: { region: 'cn-shanghai', account: '1234567890' } });
  const role = new ram.Role(stack, 'Role', { roleName: 'app-role', assumeRolePolicyDocument: ASSUME_FC });
  return { stack, principal: new RolePrincipal(stack, 'Principal', { role }) };
}

interface Grantable {
  grant(grantee: RolePrincipal, ...actions: string[]): Grant;
}

// Every L2 that can be granted to, owned and imported: what its generic grant() reaches, and an action of its service.
const TARGETS: ReadonlyArray<[string, (stack: ros.Stack) => Grantable, string[], string[], string]> = [
  ['MediaBucket', (s) => new MediaBucket(s, 'B', { bucketName: 'media-b' }), ['oss:GetObjectTagging', 'oss:PutObjectTagging'],
    ['acs:oss:*:1234567890:media-b', 'acs:oss:*:1234567890:media-b/*'], 'oss'],
  ['MediaBucket.fromBucketName', (s) => MediaBucket.fromBucketName(s, 'B', 'shared-b'), ['oss:DeleteObject'],
    ['acs:oss:*:1234567890:shared-b', 'acs:oss:*:1234567890:shared-b/*'], 'oss'],
  ['NotificationQueue', (s) => new NotificationQueue(s, 'Q', { queueName: 'ice-callback-q' }), ['mns:BatchReceiveMessage'],
    ['acs:mns:cn-shanghai:1234567890:/queues/ice-callback-q', 'acs:mns:cn-shanghai:1234567890:/queues/ice-callback-q/messages'], 'mns'],
  ['NotificationQueue.fromQueueName', (s) => NotificationQueue.fromQueueName(s, 'Q', 'other-q'), ['mns:BatchSendMessage'],
    ['acs:mns:cn-shanghai:1234567890:/queues/other-q', 'acs:mns:cn-shanghai:1234567890:/queues/other-q/messages'], 'mns'],
  ['NotificationTopic', (s) => new NotificationTopic(s, 'T', { topicName: 'done' }), ['mns:PublishMessage'],
    ['acs:mns:cn-shanghai:1234567890:/topics/done', 'acs:mns:cn-shanghai:1234567890:/topics/done/messages'], 'mns'],
  ['NotificationTopic.fromTopicName', (s) => NotificationTopic.fromTopicName(s, 'T', 'theirs'), ['mns:PublishMessage'],
    ['acs:mns:cn-shanghai:1234567890:/topics/theirs', 'acs:mns:cn-shanghai:1234567890:/topics/theirs/messages'], 'mns'],
  ['MediaPipeline', (s) => new MediaPipeline(s, 'P', { pipelineName: 'p' }), ['mts:QueryIProductionJob'], ['*'], 'mts'],
  ['MediaPipeline.fromPipelineId', (s) => MediaPipeline.fromPipelineId(s, 'P', 'abc123'), ['mts:SubmitIProductionJob'], ['*'], 'mts'],
  ['ProductionRuntime', (s) => new ProductionRuntime(s, 'R', { namePrefix: 'media' }), ['fc:GetFunction'],
    ['acs:fc:cn-shanghai:1234567890:functions/media-handler'], 'fc'],
  ['ProductionRuntime (fc2)', (s) => new ProductionRuntime(s, 'R', { namePrefix: 'media', platform: 'fc2' }), ['fc:InvokeFunction'],
    ['acs:fc:cn-shanghai:1234567890:services/media-runtime/functions/media-handler'], 'fc'],
  ['ProductionRuntime.fromFunctionName', (s) => ProductionRuntime.fromFunctionName(s, 'R', 'their-handler'), ['fc:GetFunction'],
    ['acs:fc:cn-shanghai:1234567890:functions/their-handler'], 'fc'],
  ['ProductionRuntime.fromFunctionAttributes (fc2)',
    (s) => ProductionRuntime.fromFunctionAttributes(s, 'R', { functionName: 'h', serviceName: 'svc' }), ['fc:InvokeFunction'],
    ['acs:fc:cn-shanghai:1234567890:services/svc/functions/h'], 'fc'],
];

describe('the generic grant(grantee, ...actions) of every L2 that can be granted to', () => {
  it.each(TARGETS)('%s: gives exactly those actions on its resources and returns the grant', (_name, make, actions, resources) => {
    // GIVEN
    const { stack, principal } = accountStack();
    const target = make(stack);
    // WHEN
    const given = target.grant(principal, ...actions);
    // THEN
    expect(given).toEqual({ actions, resources, grantee: principal, principal, policy: principal.managedPolicy });
    const rendered = synthTemplate(stack).Resources.PrincipalPolicy.Properties.PolicyDocument.Statement;
    expect(rendered).toContainEqual({ Action: [...actions].sort(), Resource: [...resources].sort(), Effect: 'Allow' });
  });

  it.each(TARGETS)('%s: refuses an action of another service, naming it', (_name, make, _actions, _resources, service) => {
    // GIVEN
    const { stack, principal } = accountStack();
    const target = make(stack);
    const foreign = service === 'oss' ? 'mns:SendMessage' : 'oss:GetObject';
    // WHEN / THEN
    expect(() => target.grant(principal, foreign)).toThrow(
      new RegExp(`GrantStack/\\w+: actions must be ${service}: actions \\(the grant is on this resource\\), got "${foreign}"`),
    );
    expect(() => target.grant(principal)).toThrow(/actions must list at least one action, got \[\]/);
  });

  it('still refuses wildcards through the one grant() every grant goes through', () => {
    const { stack, principal } = accountStack();
    expect(() => new NotificationQueue(stack, 'Q').grant(principal, 'mns:*')).toThrow(/no wildcards\), got 'mns:\*'/);
  });
});

describe('ProductionRuntime.fromFunctionAttributes', () => {
  it.each<[object, RegExp]>([
    [{ functionName: 'bad name' }, /GrantStack\/R: functionName must be 1-128 letters, digits, _ or -, starting with a letter or _, got "bad name"/],
    [{ functionName: 'h', serviceName: '9svc' }, /GrantStack\/R: serviceName must be 1-128 letters, .*, got "9svc"/],
  ])('refuses %j', (attrs, message) => {
    const { stack } = accountStack();
    expect(() => ProductionRuntime.fromFunctionAttributes(stack, 'R', attrs as any)).toThrow(message);
  });

  it('lets another stack grant invoking a deployed runtime: fc:InvokeFunction on its ARN', () => {
    // GIVEN
    const { stack, principal } = accountStack();
    // WHEN
    const given = ProductionRuntime.fromFunctionName(stack, 'R', 'iprod-example-handler').grantInvoke(principal);
    // THEN
    expect(given.actions).toEqual(['fc:InvokeFunction']);
    expect(given.resources).toEqual(['acs:fc:cn-shanghai:1234567890:functions/iprod-example-handler']);
  });
});

describe('IntelligentProduction grants return what they gave', () => {
  it('grantJobs returns submit and query (and the MediaProducing pair when enabled), in that order', () => {
    // GIVEN
    const { stack, principal } = accountStack();
    const production = new IntelligentProduction(stack, 'P', { namePrefix: 'media', functions: ['Cover'], mediaProducing: true, runtime: false });
    // WHEN
    const grants = production.grantJobs(principal);
    // THEN
    expect(grants.map((g) => g.actions)).toEqual([
      ['ice:SubmitIProductionJob'], ['ice:QueryIProductionJob'], ['ice:SubmitMediaProducingJob'], ['ice:GetMediaProducingJob'],
    ]);
    expect(grants.every((g) => g.principal === principal && g.policy === principal.managedPolicy)).toBe(true);
  });

  it.each<[string, (p: IntelligentProduction, g: RolePrincipal) => Grant, string[], string[]]>([
    ['grantWriteInputs', (p, g) => p.grantWriteInputs(g), ['oss:PutObject', 'oss:AbortMultipartUpload', 'oss:ListParts'], ['acs:oss:*:1234567890:media-input/input/*']],
    ['grantReadOutputs', (p, g) => p.grantReadOutputs(g), ['oss:GetObject'], ['acs:oss:*:1234567890:media-output/output/*']],
    ['grantConsumeNotifications', (p, g) => p.grantConsumeNotifications(g), ['mns:ReceiveMessage', 'mns:DeleteMessage', 'mns:ChangeMessageVisibility'],
      ['acs:mns:cn-shanghai:1234567890:/queues/ice-callback-media', 'acs:mns:cn-shanghai:1234567890:/queues/ice-callback-media/messages']],
    ['grantInvokeRuntime', (p, g) => p.grantInvokeRuntime(g), ['fc:InvokeFunction'], ['acs:fc:cn-shanghai:1234567890:functions/media-handler']],
  ])('%s returns its grant', (_name, call, actions, resources) => {
    // GIVEN
    const { stack, principal } = accountStack();
    const production = new IntelligentProduction(stack, 'P', { namePrefix: 'media', functions: ['Cover'], notification: 'queue' });
    // WHEN
    const given = call(production, principal);
    // THEN
    expect(given).toEqual({ actions, resources, grantee: principal, principal, policy: principal.managedPolicy });
  });
});
