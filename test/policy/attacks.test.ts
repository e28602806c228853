import * as fs from 'fs';
import * as path from 'path';
import { Finding, severityRank as rank, RosTemplate } from '../../lib/policy';
import { FIXTURES, review } from './support';

// Over-broad templates by class, each with the rule and severity it must draw, and least-privilege shapes of the
// same class that must draw nothing at all. Metadata["iprod:test"] says which: {expect: [{rule, severity}]} or
// {clean: true, why}. Severity "error" means error; "warning" means the report explains why it cannot be worse.
const DIR = path.join(FIXTURES, 'attacks');

interface Expectation { rule: string; severity: 'error' | 'warning' }
interface Case { cls: string; name: string; template: RosTemplate; clean: boolean; expect: Expectation[] }

function cases(): Case[] {
  return fs.readdirSync(DIR).sort().flatMap((cls) => fs.readdirSync(path.join(DIR, cls)).sort().map((file) => {
    const template = JSON.parse(fs.readFileSync(path.join(DIR, cls, file), 'utf8')) as RosTemplate;
    const meta = (template.Metadata?.['iprod:test'] ?? {}) as { clean?: boolean; expect?: Expectation[] };
    return { cls, name: file.replace(/\.template\.json$/, ''), template, clean: meta.clean === true, expect: meta.expect ?? [] };
  }));
}

const ALL = cases();
const show = (fs: Finding[]) => fs.map((f) => `${f.ruleId} ${f.severity}: ${f.message}`);

describe('over-broad templates are caught, whatever their shape', () => {
  it('has over-broad and least-privilege fixtures for every class', () => {
    const classes = [...new Set(ALL.map((c) => c.cls))];
    expect(classes).toEqual(['conditions', 'escalation', 'fc3', 'unknown-services', 'unresolved-values', 'wildcard-actions', 'wildcard-resources']);
    for (const cls of classes) expect(ALL.filter((c) => c.cls === cls && !c.clean).length).toBeGreaterThan(0);
    expect(ALL.filter((c) => c.clean).length).toBeGreaterThanOrEqual(6);
  });

  it.each(ALL.filter((c) => !c.clean).map((c) => [`${c.cls}/${c.name}`, c] as const))('%s', (_name, c) => {
    // GIVEN an over-broad template WHEN reviewed alone
    const findings = review(c.template).findings.filter((f) => !f.suppression);
    // THEN each expected rule reports it at exactly the expected severity (a warning only where the rule explains why)
    for (const e of c.expect) {
      const hits = findings.filter((f) => f.ruleId === e.rule);
      expect({ rule: e.rule, severities: [...new Set(hits.map((f) => f.severity))].sort(), all: show(findings) })
        .toEqual(expect.objectContaining({ rule: e.rule, severities: expect.arrayContaining([e.severity]) }));
      if (e.severity === 'warning') expect(hits.some((f) => rank(f.severity) > rank('warning'))).toBe(false);
    }
  });

  it.each(ALL.filter((c) => c.clean).map((c) => [`${c.cls}/${c.name}`, c] as const))('%s (least privilege) draws no error or warning about grants', (_name, c) => {
    const findings = review(c.template).findings.filter((f) => /^IPROD-(RAM|OSS-00[236]|FC-00[25]|TPL-00[345])/.test(f.ruleId));
    expect(show(findings)).toEqual([]);
  });
});

describe('findings say what they assumed', () => {
  const byName = (n: string) => ALL.find((c) => `${c.cls}/${c.name}` === n)!.template;

  it.each([
    ['unresolved-values/fn-if-resource', 'IPROD-RAM-003', /assumed: condition Narrow false/],
    ['unresolved-values/param-no-default', 'IPROD-RAM-003', /assumed: parameter Bucket has no default/],
    ['unresolved-values/acl-allowed-values', 'IPROD-OSS-002', /parameter Acl = "public-read" \(one of its AllowedValues\)/],
    ['unresolved-values/fn-replace-unknown', 'IPROD-RAM-003', /parameter Free has no default/],
    ['unresolved-values/unknown-function', 'IPROD-RAM-003', /Fn::GetJsonValue reads a value from outside the template/],
    ['unknown-services/uncatalogued-service-star', 'IPROD-RAM-003', /frobnicator not in the reviewer's catalogue: assumed to authorize per resource/],
    ['conditions/private-cidr', 'IPROD-OSS-003', /narrowed only by the condition IpAddress acs:SourceIp \["10.0.0.0\/8","192.168.1.0\/24"\]/],
    ['conditions/ip-any', 'IPROD-OSS-003', /Condition .*0\.0\.0\.0\/0.* does not narrow who/],
    ['escalation/user-joins-existing-group', 'IPROD-RAM-018', /judged at their worst/],
  ])('%s: %s says %s', (name, rule, text) => {
    const messages = review(byName(name)).findings.filter((f) => f.ruleId === rule).map((f) => f.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(text)]));
  });

  it('reviews both branches of Fn::If and reports only the branch that is broad', () => {
    const found = review(byName('unresolved-values/fn-if-resource')).findings.filter((f) => f.ruleId === 'IPROD-RAM-003');
    expect(found).toHaveLength(1);
    expect(found[0].message).not.toMatch(/condition Narrow true/);
  });

  it('locates findings of a nested stack inside the parent template', () => {
    const found = review(byName('escalation/nested-stack-admin')).findings.find((f) => f.ruleId === 'IPROD-RAM-001')!;
    expect(found.stackName).toBe('Test/Child');
    expect(found.jsonPath).toBe('Resources.Child.Properties.TemplateBody.Resources.Admin.Properties.Policies[0].PolicyDocument.Statement[0]');
  });
});

describe('least-privilege shapes stay clean', () => {
  it('an FC 3.0 least-privilege stack (function-authenticated HTTP trigger, logs, cap, named grants) draws no finding at all', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'least-privilege', 'fc3.template.json'), 'utf8');
    const findings = review(JSON.parse(text) as RosTemplate, { text }).findings;
    expect(show(findings)).toEqual([]);
  });

  it('shows the FC 3.0 runtime role with every AllowedValue of its parameter resolved', () => {
    const t = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'least-privilege', 'fc3.template.json'), 'utf8')) as RosTemplate;
    const roles = review(t).principals.filter((p) => p.kind === 'role');
    expect(roles.map((r) => r.name).sort()).toEqual(['media-prod-oss-invoke', 'media-prod-runtime']);
  });
});
