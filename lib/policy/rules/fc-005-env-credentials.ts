import { RuleFinding } from '../types';
import { propertyCI } from './fc-002-anonymous-http';
import { ACCESS_KEY_ID, SECRET_NAME, secretExposure } from './secrets';
import { PolicyRule } from './rule';
import { TemplateModel } from '../model';
import { asArray } from '../model';

/** Environment variables of functions and containers: [name, raw value, path]. */
function environments(model: TemplateModel): Array<{ id: string; name: string; raw: unknown; path: string }> {
  const out: Array<{ id: string; name: string; raw: unknown; path: string }> = [];
  for (const [id, r] of model.resources) {
    const props = r.Properties ?? {};
    if (r.Type === 'ALIYUN::FC::Function' || r.Type === 'ALIYUN::FC3::Function') {
      const env = propertyCI(props, 'EnvironmentVariables');
      if (env && typeof env === 'object' && !Array.isArray(env)) {
        for (const [k, v] of Object.entries(env)) out.push({ id, name: k, raw: v, path: `Resources.${id}.Properties.EnvironmentVariables.${k}` });
      }
    }
    if (r.Type === 'ALIYUN::ECI::ContainerGroup') {
      asArray(props.Container).forEach((c, i) => {
        asArray((c as Record<string, unknown> | undefined)?.EnvironmentVar).forEach((e, j) => {
          const ev = (e ?? {}) as Record<string, unknown>;
          if (typeof ev.Key === 'string') out.push({ id, name: ev.Key, raw: ev.Value, path: `Resources.${id}.Properties.Container[${i}].EnvironmentVar[${j}]` });
        });
      });
    }
  }
  return out;
}

export const FC_005_ENV_CREDENTIALS: PolicyRule = {
  id: 'IPROD-FC-005',
  severity: 'error',
  title: 'Credentials in environment variables',
  description: 'A function\'s (or container\'s) environment variable named like a credential (ACCESS_KEY_ID, '
    + '*_SECRET, *PASSWORD*, *TOKEN*, PRIVATE_KEY, ...) holds a value, or any variable holds an AccessKey ID '
    + '(`LTAI...`): anyone who can read the function configuration (fc:GetFunction) reads the secret. A literal '
    + 'value, a parameter with a default and another resource\'s secret attribute are errors; a NoEcho parameter '
    + 'is a warning (hidden in the stack, still readable in the function). (Taught by InfraGuard\'s '
    + 'eci-containergroup-environment-no-specified-keys.)',
  fixHint: 'Let the function use its role: FC hands it temporary credentials in `context.credentials`. Keep other '
    + 'secrets in KMS Secrets Manager and read them at run time.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const e of environments(model)) {
      const leaks = secretExposure(model, e.raw);
      const akInValue = typeof e.raw === 'string' && ACCESS_KEY_ID.test(e.raw);
      if (!akInValue && (!SECRET_NAME.test(e.name) || leaks === undefined)) continue;
      const how = akInValue ? 'an AccessKey ID written in the template'
        : leaks === 'literal' ? 'a value written in the template' : leaks === 'visible' ? 'a NoEcho parameter'
          : leaks === 'parameter' ? 'a parameter that is not NoEcho' : 'another resource\'s secret attribute';
      out.push({ logicalId: e.id, jsonPath: e.path, detail: e.path.split('.Properties.')[1],
        ...(leaks === 'visible' && !akInValue ? { severity: 'warning' as const } : {}),
        message: `environment variable ${e.name} of ${e.id} holds a credential from ${how}: anyone who can read the function configuration reads it`
          + (leaks === 'visible' && !akInValue ? '; a warning, not an error: NoEcho keeps it out of the stack and the template' : '') });
    }
    return out;
  },
};
