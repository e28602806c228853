import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createExampleApp } from '../../bin/example-app';
import { checkTemplateAgainstSpec, SPEC_LENIENT_PREFIXES, specErrors } from '../support/spec';

describe('example app against @alicloud/ros-cdk-spec', () => {
  it('synthesizes templates with zero spec errors, and warnings only where the spec package is older', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-example-spec-'));
    // WHEN
    const assembly = createExampleApp(outdir).synth();
    // THEN
    expect(assembly.stacks.length).toBeGreaterThan(0);
    for (const stack of assembly.stacks) {
      const template = stack.template;
      expect(Object.keys(template.Resources ?? {}).length).toBeGreaterThan(0);
      const issues = checkTemplateAgainstSpec(template);
      expect(specErrors(issues)).toEqual([]);
      for (const warning of issues) {
        expect(SPEC_LENIENT_PREFIXES.some((p) => warning.type.startsWith(p))).toBe(true);
      }
    }
  });
});
