import { RuleFinding } from '../types';
import { secretExposure, SECRET_PROPERTY } from './secrets';
import { PolicyRule } from './rule';

// Subtrees read by other rules (environment variables: IPROD-FC-005) or that hold no secrets of their own.
const SKIP = new Set(['EnvironmentVariables', 'PolicyDocument', 'PolicyDocumentUnchecked', 'AssumeRolePolicyDocument', 'Policies', 'TemplateBody']);

export const TPL_005_LITERAL_SECRET: PolicyRule = {
  id: 'IPROD-TPL-005',
  severity: 'error',
  title: 'Secret written in the template',
  description: 'A property that holds a secret (Password, LoginProfile.Password, AccessKeySecret, SecretKey, '
    + 'PrivateKey, Token, ...) is a literal, or comes from a parameter with a Default: the secret is in the '
    + 'template, the synthesized assembly, source control and the ROS stack. (Taught by the literal passwords in '
    + 'InfraGuard\'s ram-user-mfa-check templates.)',
  fixHint: 'Take the secret from a NoEcho parameter without a default, or better, do not create it in the stack.',
  check(model) {
    const out: RuleFinding[] = [];
    const walk = (id: string, v: unknown, path: string, depth: number) => {
      if (depth > 12 || !v || typeof v !== 'object') return;
      if (Array.isArray(v)) { v.forEach((x, i) => walk(id, x, `${path}[${i}]`, depth + 1)); return; }
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k.startsWith('Fn::') || k === 'Ref' || SKIP.has(k)) continue;
        const p = `${path}.${k}`;
        if (SECRET_PROPERTY.test(k) && (typeof x === 'string' || (x && typeof x === 'object' && 'Ref' in (x as object)))) {
          if (secretExposure(model, x) === 'literal') {
            out.push({ logicalId: id, jsonPath: `Resources.${id}.Properties${p}`, detail: `Properties${p}`.replace(/^Properties\./, ''),
              message: `${k} of ${id} is written in the template (${typeof x === 'string' ? 'a literal' : 'a parameter default'})` });
          }
          continue;
        }
        walk(id, x, p, depth + 1);
      }
    };
    for (const [id, r] of model.resources) walk(id, r.Properties, '', 0);
    return out;
  },
};
