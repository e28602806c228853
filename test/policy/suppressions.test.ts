import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { suppressPolicyFinding } from '../../lib/constructs/suppressions';
import { expiryInstant } from '../../lib/service';
import { Finding, reviewAssembly, RosTemplate } from '../../lib/policy';
import { grantTemplate, NOW, review } from './support';

const BROAD = { Effect: 'Allow', Action: ['oss:GetObject'], Resource: '*' };
const REASON = 'Listing every bucket is the point of this audit role';

function withSuppressions(entries: unknown, statements: unknown[] = [BROAD]): RosTemplate {
  const t = grantTemplate(statements);
  t.Resources!.Policy.Metadata = { 'iprod:suppressions': entries };
  return t;
}

const open = (fs: Finding[], ruleId: string) => fs.filter((f) => f.ruleId === ruleId && !f.suppression);
const suppressed = (fs: Finding[], ruleId: string) => fs.filter((f) => f.ruleId === ruleId && f.suppression);

describe('suppression matching', () => {
  it.each([
    ['the rule id', 'IPROD-RAM-003', true],
    ['the exact finding id', 'IPROD-RAM-003:PolicyDocument.Statement[0]', true],
    ['another statement of the same rule', 'IPROD-RAM-003:PolicyDocument.Statement[1]', false],
    ['another rule', 'IPROD-RAM-002', false],
    ['a different case', 'iprod-ram-003', false],
  ])('by %s (%s) suppresses: %s', (_label, id, matches) => {
    // GIVEN Resource "*" on oss:GetObject and a suppression on the policy resource
    const { findings } = review(withSuppressions([{ id, reason: REASON }]));
    // THEN the finding is suppressed exactly when the id matches
    expect(suppressed(findings, 'IPROD-RAM-003')).toHaveLength(matches ? 1 : 0);
    expect(open(findings, 'IPROD-RAM-003')).toHaveLength(matches ? 0 : 1);
  });

  it('applies only to the resource that carries it', () => {
    // GIVEN the suppression on the role, the finding on the policy
    const t = grantTemplate([BROAD]);
    t.Resources!.Role.Metadata = { 'iprod:suppressions': [{ id: 'IPROD-RAM-003', reason: REASON }] };
    const { findings } = review(t);
    expect(open(findings, 'IPROD-RAM-003')).toHaveLength(1);
    // THEN the misplaced suppression is itself reported as unused
    expect(findings.filter((f) => f.ruleId === 'IPROD-SUP-001').map((f) => [f.logicalId, f.severity])).toEqual([['Role', 'warning']]);
  });

  it('covers template-wide findings from the template Metadata', () => {
    const big: RosTemplate = {
      Metadata: { 'iprod:suppressions': [{ id: 'IPROD-TPL-001', reason: 'Deployed through ROS TemplateURL, not TemplateBody' }] },
      Resources: { F: { Type: 'ALIYUN::FC::Function', Properties: { InstanceConcurrency: 1, Code: { ZipFile: 'A'.repeat(530_000) } } } },
    };
    const { findings } = review(big);
    expect(suppressed(findings, 'IPROD-TPL-001')).toHaveLength(1);
    expect(findings.filter((f) => f.ruleId.startsWith('IPROD-SUP'))).toEqual([]);
  });
});

describe('suppression entries are checked', () => {
  it.each([
    ['a short reason', { id: 'IPROD-RAM-003', reason: 'because' }, /reason must be at least 10 characters, got "because"/],
    ['a blank reason', { id: 'IPROD-RAM-003', reason: '          ' }, /reason must be at least 10 characters/],
    ['no reason', { id: 'IPROD-RAM-003' }, /reason must be at least 10 characters, got undefined/],
    ['an impossible date', { id: 'IPROD-RAM-003', reason: REASON, expires: '2026-02-30' }, /expires must be an ISO 8601 date .* got "2026-02-30"/],
    ['a non-ISO date', { id: 'IPROD-RAM-003', reason: REASON, expires: '31/12/2026' }, /expires must be an ISO 8601 date/],
    ['an unknown rule', { id: 'IPROD-RAM-999', reason: REASON }, /id must name a known rule, got "IPROD-RAM-999"/],
    ['a suppression rule', { id: 'IPROD-SUP-001', reason: REASON }, /must not name a suppression rule/],
    ['an unknown key', { id: 'IPROD-RAM-003', reason: REASON, until: '2027-01-01' }, /unknown key "until"/],
    ['a string instead of an object', 'IPROD-RAM-003', /must be an object/],
  ])('%s is an IPROD-SUP-003 error and suppresses nothing', (_label, entry, message) => {
    const { findings } = review(withSuppressions([entry]));
    const invalid = findings.filter((f) => f.ruleId === 'IPROD-SUP-003');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ severity: 'error', logicalId: 'Policy', jsonPath: 'Resources.Policy.Metadata.iprod:suppressions[0]' });
    expect(invalid[0].message).toMatch(message);
    expect(open(findings, 'IPROD-RAM-003')).toHaveLength(1);
  });

  it('rejects Metadata that is not a list', () => {
    const { findings } = review(withSuppressions({ id: 'IPROD-RAM-003', reason: REASON }));
    expect(findings.find((f) => f.ruleId === 'IPROD-SUP-003')!.message).toMatch(/must be a list/);
  });
});

describe('suppression expiry (clock injected)', () => {
  it.each([
    // [expires, now, still active]
    ['2026-06-15', '2026-06-15T23:59:59Z', true],
    ['2026-06-15', '2026-06-16T00:00:00Z', false],
    ['2026-06-15T12:00:00Z', '2026-06-15T11:59:59Z', true],
    ['2026-06-15T12:00:00Z', '2026-06-15T12:00:00Z', false],
    ['2026-06-15T14:00:00+02:00', '2026-06-15T11:59:59Z', true],
  ])('expires %s at %s: active = %s', (expires, now, active) => {
    const { findings } = review(withSuppressions([{ id: 'IPROD-RAM-003', reason: REASON, expires }]), { now: () => new Date(now) });
    expect(suppressed(findings, 'IPROD-RAM-003')).toHaveLength(active ? 1 : 0);
    const expired = findings.filter((f) => f.ruleId === 'IPROD-SUP-002');
    expect(expired).toHaveLength(active ? 0 : 1);
    if (!active) expect(expired[0].message).toBe(`suppression of IPROD-RAM-003 on Policy expired on ${expires}`);
  });

  it('parses bare dates as the whole UTC day', () => {
    expect(expiryInstant('2026-12-31')!.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(expiryInstant('2026-13-01')).toBeUndefined();
  });
});

describe('unused suppressions', () => {
  it('are reported once the finding is fixed', () => {
    const fixed = { Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:1:b/*'] };
    const { findings } = review(withSuppressions([{ id: 'IPROD-RAM-003', reason: REASON }], [fixed]));
    expect(findings.map((f) => [f.ruleId, f.findingId, f.message])).toEqual([
      ['IPROD-SUP-001', 'IPROD-SUP-001:iprod:suppressions[0]', 'suppression of IPROD-RAM-003 on Policy matches no finding'],
    ]);
  });
});

describe('suppressPolicyFinding (constructs) round-trips through synthesis', () => {
  function synth(build: (stack: ros.Stack) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-sup-'));
    const app = new ros.App({ outdir: dir });
    const stack = new ros.Stack(app, 'Sup');
    build(stack);
    app.synth();
    return dir;
  }

  it('writes Metadata the reviewer honours, on L1s, L2 default children and the stack', () => {
    // GIVEN an L2 ManagedPolicy with Resource "*" and suppressions added through the construct API
    const dir = synth((stack) => {
      const role = new ram.Role(stack, 'Role', {
        roleName: 'sup-role',
        assumeRolePolicyDocument: { version: '1', statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: ['fc.aliyuncs.com'] } }] },
      });
      const policy = new ram.ManagedPolicy(stack, 'Policy', {
        policyName: 'sup-policy',
        policyDocument: { version: '1', statement: [{ effect: 'Allow', action: ['oss:GetObject'], resource: ['*'] }] },
        roles: [role.attrRoleName],
      });
      suppressPolicyFinding(policy, { id: 'IPROD-RAM-003', reason: REASON, expires: '2026-12-31' });
      suppressPolicyFinding(policy, { id: 'IPROD-RAM-005', reason: 'Second entry shows that calls append' });
      suppressPolicyFinding(stack, { id: 'IPROD-TPL-001', reason: 'Template-level entries go to Metadata' });
    });
    // WHEN the assembly is reviewed
    const r = reviewAssembly(dir, { now: () => NOW });
    // THEN the finding is suppressed with the reason, and the other two entries are unused
    const f = r.findings.find((x) => x.ruleId === 'IPROD-RAM-003')!;
    expect(f.suppression).toEqual({ id: 'IPROD-RAM-003', reason: REASON, expires: '2026-12-31' });
    expect(f.constructPath).toBe('Sup/Policy/Policy');
    expect(r.findings.filter((x) => x.ruleId === 'IPROD-SUP-001').map((x) => x.logicalId ?? '(template)').sort()).toEqual(['(template)', 'Policy']);
  });

  it.each([
    [{ id: 'IPROD-RAM-003', reason: 'short' }, /reason must be at least 10 characters, got "short"/],
    [{ id: 'RAM-003', reason: REASON }, /id must be a policy rule id such as IPROD-RAM-003 .*got "RAM-003"/],
    [{ id: 'IPROD-SUP-001', reason: REASON }, /id must be a policy rule id/],
    [{ id: 'IPROD-RAM-003', reason: REASON, expires: '2026-02-30' }, /expires must be an ISO 8601 date .*got "2026-02-30"/],
    [{ id: 'IPROD-RAM-003', reason: REASON, expires: 'next year' }, /expires must be an ISO 8601 date/],
  ])('rejects %j at synth time', (props, message) => {
    const app = new ros.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-sup-')) });
    const stack = new ros.Stack(app, 'Bad');
    const policy = new ram.RosManagedPolicy(stack, 'P', { policyName: 'p', policyDocument: { version: '1', statement: [] } }, true);
    expect(() => suppressPolicyFinding(policy, props)).toThrow(message);
  });

  it('names the construct when it has no resource to carry the metadata', () => {
    const app = new ros.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-sup-')) });
    const stack = new ros.Stack(app, 'Bad');
    const group = new ros.Construct(stack, 'Group');
    expect(() => suppressPolicyFinding(group, { id: 'IPROD-RAM-003', reason: REASON })).toThrow(/construct Bad\/Group is neither/);
  });
});
