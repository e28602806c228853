import * as path from 'path';
import { renderJson, renderMarkdown, renderSarif, reviewAssembly, summarizeReview, toSarif } from '../../lib/policy';
import { sarifViolations } from './sarif-check';
import { FIXTURES, NOW } from './support';

const ASSEMBLY = path.join(FIXTURES, 'assembly');
const reviewFixture = () => reviewAssembly(ASSEMBLY, { now: () => NOW });

describe('a deliberately broad grant (oss:* on *)', () => {
  const review = reviewFixture();
  const broad = review.findings.find((f) => f.ruleId === 'IPROD-RAM-002')!;

  it('is found with its template location and construct path', () => {
    expect(broad).toMatchObject({
      findingId: 'IPROD-RAM-002:PolicyDocument.Statement[1]',
      severity: 'error',
      logicalId: 'RuntimePolicy',
      resourceType: 'ALIYUN::RAM::ManagedPolicy',
      templateFile: 'Broad.template.json',
      jsonPath: 'Resources.RuntimePolicy.Properties.PolicyDocument.Statement[1]',
      constructPath: 'Broad/Runtime/Grants/Policy',
    });
    expect(broad.suppression).toBeUndefined();
  });

  it('points at the line of the statement in the template file', () => {
    // Statement[1] opens on the line after Statement[0]'s closing brace in the pretty-printed fixture.
    const lines = require('fs').readFileSync(path.join(ASSEMBLY, 'Broad.template.json'), 'utf8').split('\n') as string[];
    expect(lines[broad.line! - 1]).toMatch(/^\s*\{\s*$/);
    expect(lines[broad.line!]).toMatch(/"Effect": "Allow"/);
    expect(lines[broad.line! + 2]).toMatch(/"oss:\*"/);
  });

  it('appears under IPROD-RAM-002 in Markdown', () => {
    const md = renderMarkdown(review);
    const row = md.split('\n').find((l) => l.includes('`IPROD-RAM-002:PolicyDocument.Statement[1]`'))!;
    expect(row).toContain('RuntimePolicy (ALIYUN::RAM::ManagedPolicy)');
    expect(row).toContain('`Broad/Runtime/Grants/Policy`');
    expect(row).toContain('service-wide `oss:*`');
  });

  it('appears under IPROD-RAM-002 in JSON', () => {
    const json = JSON.parse(renderJson(review));
    expect(json.version).toBe(1);
    expect(json.findings.filter((f: { ruleId: string }) => f.ruleId === 'IPROD-RAM-002')).toHaveLength(1);
  });

  it('appears under IPROD-RAM-002 in SARIF, with rule index, region and logical locations', () => {
    const sarif = JSON.parse(renderSarif(review));
    const run = sarif.runs[0];
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'IPROD-RAM-002');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('IPROD-RAM-002');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'Broad.template.json' }, region: { startLine: broad.line } });
    expect(result.locations[0].logicalLocations.map((l: { fullyQualifiedName: string }) => l.fullyQualifiedName)).toEqual([
      'Broad/Resources.RuntimePolicy.Properties.PolicyDocument.Statement[1]', 'Broad/Runtime/Grants/Policy',
    ]);
    expect(result.suppressions).toBeUndefined();
  });
});

describe('principals', () => {
  it('resolves role names, attachment and intrinsic ARNs into an actions × resources table', () => {
    const [role] = reviewFixture().principals;
    expect(role).toMatchObject({ kind: 'role', name: 'broad-runtime', logicalId: 'RuntimeRole', trustedBy: ['Service: fc.aliyuncs.com'] });
    expect(role.permissions.map((p) => [p.effect, p.actions, p.resources])).toEqual([
      ['Allow', ['ice:QueryIProductionJob', 'ice:SubmitIProductionJob'], ['*']],
      ['Allow', ['oss:*'], ['*']],
      ['Allow', ['mns:ReceiveMessage', 'mns:DeleteMessage'], ['acs:mns:${ALIYUN::Region}:${ALIYUN::AccountId}:/queues/broad-callbacks']],
    ]);
  });

  it('substitutes region and account when given', () => {
    const review = reviewAssembly(ASSEMBLY, { now: () => NOW, region: 'cn-shanghai', accountId: '1234567890123456' });
    expect(review.principals[0].permissions[2].resources).toEqual(['acs:mns:cn-shanghai:1234567890123456:/queues/broad-callbacks']);
  });
});

describe('suppressed findings in reports', () => {
  const review = reviewFixture();

  it('keep their reason and expiry in every format', () => {
    const suppressed = review.findings.filter((f) => f.suppression);
    expect(suppressed.map((f) => f.findingId)).toEqual(['IPROD-RAM-003:PolicyDocument.Statement[1]']);
    expect(renderMarkdown(review)).toMatch(/### Suppressed \(1\)[\s\S]*Transitional: the bucket ARNs land with the next release \| 2026-12-31/);
    const sarif = toSarif(review);
    const r = sarif.runs[0].results.find((x) => x.ruleId === 'IPROD-RAM-003')!;
    expect(r.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'Transitional: the bucket ARNs land with the next release' }]);
  });
});

describe('SARIF 2.1.0 conformance', () => {
  it('has every property the specification requires', () => {
    const log = JSON.parse(renderSarif(reviewFixture()));
    expect(sarifViolations(log)).toEqual([]);
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'iprod-policy-report', version: expect.any(String) });
    for (const rule of driver.rules) {
      expect(rule).toEqual(expect.objectContaining({
        id: expect.any(String), shortDescription: { text: expect.any(String) }, fullDescription: { text: expect.any(String) },
        help: { text: expect.any(String) }, defaultConfiguration: { level: expect.stringMatching(/^(error|warning|note)$/) },
      }));
    }
  });

  it('names no documentation host unless told one', () => {
    // GIVEN no informationUri THEN the log carries no URL at all
    const bare = JSON.parse(renderSarif(reviewFixture()));
    expect(bare.runs[0].tool.driver.informationUri).toBeUndefined();
    expect(bare.runs[0].tool.driver.rules.every((r: any) => r.helpUri === undefined)).toBe(true);
    // WHEN the team says where docs/policy.md is published THEN every rule links to its anchor there
    const docs = 'https://docs.example.com/iprod/policy.html';
    const linked = JSON.parse(renderSarif(reviewFixture(), { informationUri: docs }));
    expect(sarifViolations(linked)).toEqual([]);
    expect(linked.runs[0].tool.driver.informationUri).toBe(docs);
    for (const rule of linked.runs[0].tool.driver.rules) expect(rule.helpUri).toBe(`${docs}#${rule.id.toLowerCase()}`);
  });

  it.each([
    ['a missing version', (l: any) => { delete l.version; }, /version must be "2.1.0"/],
    ['a missing driver name', (l: any) => { delete l.runs[0].tool.driver.name; }, /driver.name is required/],
    ['a result without message', (l: any) => { delete l.runs[0].results[0].message; }, /message needs text or id/],
    ['a ruleIndex pointing at another rule', (l: any) => { l.runs[0].results[0].ruleIndex = (l.runs[0].results[0].ruleIndex + 1) % l.runs[0].tool.driver.rules.length; }, /differs from rules/],
    ['a suppression without kind', (l: any) => { l.runs[0].results[0].suppressions = [{ justification: 'x' }]; }, /kind must be inSource or external/],
    ['a level outside the enum', (l: any) => { l.runs[0].results[0].level = 'info'; }, /level must be one of/],
    ['a region starting at line 0', (l: any) => { l.runs[0].results[0].locations[0].physicalLocation.region = { startLine: 0 }; }, /startLine must be an integer >= 1/],
  ])('the checker itself rejects %s', (_label, mutate, pattern) => {
    // GIVEN a conforming log WHEN one required property is broken THEN the checker names it
    const log = JSON.parse(renderSarif(reviewFixture()));
    mutate(log);
    expect(sarifViolations(log).join('\n')).toMatch(pattern);
  });
});

describe('report snapshots (deterministic: no timestamps, no absolute paths)', () => {
  it('renders the same bytes twice', () => {
    expect(renderSarif(reviewFixture())).toBe(renderSarif(reviewFixture()));
    expect(renderJson(reviewFixture())).not.toMatch(/\/work\/|\d{4}-\d{2}-\d{2}T\d{2}:/);
  });
  it('Markdown', () => expect(renderMarkdown(reviewFixture())).toMatchSnapshot());
  it('JSON', () => expect(renderJson(reviewFixture())).toMatchSnapshot());
  it('SARIF', () => expect(renderSarif(reviewFixture())).toMatchSnapshot());
  it('summary', () => expect(summarizeReview(reviewFixture())).toMatchSnapshot());
});
