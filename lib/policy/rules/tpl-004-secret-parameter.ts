import { RuleFinding } from '../types';
import { isNoEcho, SECRET_NAME } from './secrets';
import { PolicyRule } from './rule';

export const TPL_004_SECRET_PARAMETER: PolicyRule = {
  id: 'IPROD-TPL-004',
  severity: 'error',
  title: 'Secret parameter without NoEcho',
  description: 'A parameter named like a secret (password, secret, token, access key, private key, credential) is '
    + 'not NoEcho: its value is shown by the ROS console and GetStack to anyone who can read the stack, and a '
    + 'default puts it in the template itself. (Taught by InfraGuard\'s parameter-sensitive-noecho-check.)',
  fixHint: 'Set `NoEcho: true` and drop any Default; better, let the workload read the secret from KMS at run time.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const [name, p] of Object.entries(model.template.Parameters ?? {})) {
      if (!SECRET_NAME.test(name)) continue;
      const hasDefault = p && typeof p === 'object' && (p as Record<string, unknown>).Default !== undefined && (p as Record<string, unknown>).Default !== '';
      if (isNoEcho(model, name) && !hasDefault) continue;
      out.push({ jsonPath: `Parameters.${name}`, detail: `Parameters.${name}`,
        message: `parameter ${name} looks like a secret but ${isNoEcho(model, name) ? 'has a Default written in the template' : 'is not NoEcho'}` });
    }
    return out;
  },
};
