import fc from 'fast-check';
import { renderMarkdown, renderSarif, reviewTemplate, RosTemplate } from '../../lib/policy';
import { sarifViolations } from './sarif-check';
import { grantTemplate as build, NOW } from './support';

// Templates are JSON files: round-trip so generated values are what a template can actually hold.
const grantTemplate = (sts: unknown[]): RosTemplate => JSON.parse(JSON.stringify(build(sts)));

const action = fc.oneof(
  fc.constantFrom('*', 'oss:*', 'ice:*', 'oss:GetObject', 'oss:Get*', 'ice:SubmitIProductionJob', 'mts:QueryIProductionJob',
    'mns:ReceiveMessage', 'ram:PassRole', 'sts:AssumeRole', 'fc:InvokeFunction', 'ice:Typo', 'GetObject', 'vod:GetPlayInfo'),
  fc.string({ maxLength: 12 }),
);
const resource = fc.oneof(
  fc.constantFrom('*', 'acs:oss:*:1:b/*', 'acs:oss:*:1:b', 'acs:ram::1:role/r', 'acs:ice:cn-shanghai:1:*', 'bucket'),
  fc.constant({ 'Fn::Join': ['', ['acs:oss:*:', { Ref: 'ALIYUN::AccountId' }, ':b/*']] }),
  fc.string({ maxLength: 12 }),
);
const oneOrMany = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.array(a, { maxLength: 4 }));
const statement = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny', 'allow', 7),
  Action: oneOrMany(action),
  Resource: oneOrMany(resource),
  Sid: fc.constantFrom('A', 'B'),
}, { requiredKeys: ['Effect'] });
const statements = fc.array(fc.oneof(statement, fc.anything({ maxDepth: 2 })), { maxLength: 5 });

function at(t: unknown, jsonPath: string): unknown {
  if (jsonPath === '') return t;
  let cur: unknown = t;
  for (const part of jsonPath.match(/[^.[\]]+|\[\d+\]/g)!) {
    if (cur === undefined || cur === null) return undefined;
    cur = part.startsWith('[') ? (cur as unknown[])[Number(part.slice(1, -1))] : (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const review = (t: RosTemplate) => reviewTemplate(t, { now: () => NOW, stackName: 'P' });

describe('reviewer properties over arbitrary policy documents', () => {
  it('never throws, is deterministic, and every finding points at something that exists', () => {
    fc.assert(fc.property(statements, (sts) => {
      const t = grantTemplate(sts);
      const a = review(t);
      expect(review(t)).toEqual(a);
      for (const f of a.findings) {
        expect(at(t, f.jsonPath)).toBeDefined();
        if (f.logicalId) expect(t.Resources![f.logicalId]).toBeDefined();
      }
    }), { numRuns: 300 });
  });

  it('reports every Allow of "*" on "*" under IPROD-RAM-001, naming that statement', () => {
    fc.assert(fc.property(statements, fc.nat(5), (sts, pos) => {
      const i = Math.min(pos, sts.length);
      const all = [...sts.slice(0, i), { Effect: 'Allow', Action: '*', Resource: '*' }, ...sts.slice(i)];
      const ids = review(grantTemplate(all)).findings.filter((f) => f.ruleId === 'IPROD-RAM-001').map((f) => f.findingId);
      expect(ids).toContain(`IPROD-RAM-001:PolicyDocument.Statement[${i}]`);
    }), { numRuns: 200 });
  });

  it('suppressing each reported rule on its resource leaves nothing open and no unused suppression', () => {
    fc.assert(fc.property(statements, (sts) => {
      const t = grantTemplate(sts);
      const first = review(t).findings.filter((f) => f.logicalId && !f.ruleId.startsWith('IPROD-SUP'));
      for (const f of first) {
        const r = t.Resources![f.logicalId!];
        const list = ((r.Metadata ??= {})['iprod:suppressions'] ??= []) as Array<{ id: string }>;
        if (!list.some((s) => s.id === f.ruleId)) list.push({ id: f.ruleId, reason: 'accepted in this property test' } as never);
      }
      const second = review(t).findings;
      expect(second.filter((f) => !f.suppression)).toEqual([]);
    }), { numRuns: 200 });
  });

  it('always renders Markdown and a SARIF log that meets the 2.1.0 required properties', () => {
    fc.assert(fc.property(statements, (sts) => {
      const r = review(grantTemplate(sts));
      expect(renderMarkdown(r)).toMatch(/^# Policy review/);
      expect(sarifViolations(JSON.parse(renderSarif(r)))).toEqual([]);
    }), { numRuns: 200 });
  });
});
