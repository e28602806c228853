// Shared by the rules about secrets in templates: what a secret-bearing name looks like and what its value leaks.
import { isIntrinsic, resolveValue } from '../intrinsics';
import { TemplateModel } from '../model';

// A name that ends like a credential, compared without separators (`DB_PASSWORD`, `dbPassword`, `ApiToken`,
// `ALIBABA_CLOUD_ACCESS_KEY_ID`), so `TOKEN_TTL` or `PASSWORD_MIN_LENGTH` are not taken for secrets.
const SECRET_END = /(password|passwd|pwd|secret|secretkey|secretaccesskey|token|accesskey|accesskeyid|accesskeysecret|privatekey|credential|credentials|apikey)$/i;

/** Environment variable or parameter names that carry a credential. */
export const SECRET_NAME = {
  test(name: string): boolean {
    return SECRET_END.test(name.replace(/[-_.\s]/g, '')) || /(^|_)(ak|sk)$/i.test(name);
  },
};

/** Property names (PascalCase, ROS) whose value is a secret. */
export const SECRET_PROPERTY = /(password|passwd|secret|secretkey|privatekey|token|secretvalue|secretdata|accesskeysecret)$/i;

/** An AccessKey ID written out (`LTAI...`). */
export const ACCESS_KEY_ID = /\bLTAI[0-9A-Za-z]{12,30}\b/;

export function isNoEcho(model: TemplateModel, param: string): boolean {
  const p = model.template.Parameters?.[param] as Record<string, unknown> | undefined;
  return p !== undefined && (p.NoEcho === true || String(p.NoEcho).toLowerCase() === 'true');
}

/**
 * What a secret value written as `raw` leaks: 'literal' (the secret is in the template text, a parameter default
 * included), 'parameter' (a parameter that is not NoEcho: shown with the stack), 'visible' (a NoEcho parameter: hidden in the stack, but readable wherever the value is written, such as
 * a function's configuration), 'attribute' (another resource's secret attribute, e.g. an AccessKey's secret), or
 * undefined when the value is empty.
 */
export function secretExposure(model: TemplateModel, raw: unknown): 'literal' | 'parameter' | 'visible' | 'attribute' | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'string') return 'literal';
  if (typeof raw === 'number') return 'literal';
  if (isIntrinsic(raw)) {
    const ref = (raw as Record<string, unknown>).Ref;
    if (typeof ref === 'string' && model.template.Parameters?.[ref]) {
      const p = model.template.Parameters[ref] as Record<string, unknown>;
      if (p.Default !== undefined && p.Default !== '') return 'literal';
      return isNoEcho(model, ref) ? 'visible' : 'parameter';
    }
    if (typeof ref === 'string') return undefined;
    const r = resolveValue(raw, model.ctx);
    if (typeof r === 'string' && r.length > 0 && !/\$\{[^}]*\}/.test(r)) return 'literal';
    return 'attribute';
  }
  return undefined;
}
