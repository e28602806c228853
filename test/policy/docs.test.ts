import * as fs from 'fs';
import * as path from 'path';
import { POLICY_RULES, SUPPRESSION_RULES } from '../../lib/policy';
import { regeneratePolicyDoc } from '../../lib/policy/docs';

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'policy.md'), 'utf8');

describe('docs/policy.md stays in step with the rules', () => {
  it.each([...POLICY_RULES, ...SUPPRESSION_RULES].map((r) => [r.id, r.severity]))(
    '%s is documented with its anchor (the SARIF helpUri target) and severity %s', (id, severity) => {
      expect(DOC).toContain(`<a id="${id.toLowerCase()}"></a>`);
      expect(DOC).toContain(`**${id}** (${severity})`);
    });

  it('documents no rule that does not exist', () => {
    const documented = [...DOC.matchAll(/<a id="(iprod-[a-z]+-\d{3})"><\/a>/g)].map((m) => m[1].toUpperCase()).sort();
    expect(documented).toEqual([...POLICY_RULES, ...SUPPRESSION_RULES].map((r) => r.id).sort());
  });
});

describe('docs/policy.md generated sections', () => {
  it('match the rules and the catalogue (run scripts/gen-policy-docs.ts when this fails)', () => {
    expect(regeneratePolicyDoc(DOC)).toBe(DOC);
  });
});
