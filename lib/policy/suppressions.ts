import { expiryInstant, MIN_REASON_LENGTH, SUPPRESSION_KEYS, SUPPRESSIONS_METADATA_KEY } from '../service';
import { TemplateModel } from './model';
import { Finding, RuleDescriptor, Suppression } from './types';

export const SUP_001_UNUSED: RuleDescriptor = {
  id: 'IPROD-SUP-001',
  severity: 'warning',
  title: 'Unused suppression',
  description: 'A suppression matches no finding on its resource: the problem was fixed, or the id is wrong. '
    + 'Stale suppressions hide the next real finding with the same id.',
  fixHint: 'Remove the suppression, or correct its id (rule id, or rule id plus the `:detail` shown in the report).',
};

export const SUP_002_EXPIRED: RuleDescriptor = {
  id: 'IPROD-SUP-002',
  severity: 'warning',
  title: 'Expired suppression',
  description: 'The suppression\'s `expires` date has passed, so it no longer suppresses anything; the finding it '
    + 'covered is reported again.',
  fixHint: 'Fix the finding, or renew the suppression with a new date and a current reason.',
};

export const SUP_003_INVALID: RuleDescriptor = {
  id: 'IPROD-SUP-003',
  severity: 'error',
  title: 'Invalid suppression',
  description: `A suppression entry is malformed: id must name a known rule (optionally \`rule:detail\`), reason `
    + `must be at least ${MIN_REASON_LENGTH} characters, expires must be an ISO 8601 date (YYYY-MM-DD) or date-time. `
    + 'Invalid entries suppress nothing; findings of the IPROD-SUP rules cannot be suppressed.',
  fixHint: 'Fix the entry as the message says; suppressPolicyFinding() validates the same rules at synth time.',
};

export const SUPPRESSION_RULES: RuleDescriptor[] = [SUP_001_UNUSED, SUP_002_EXPIRED, SUP_003_INVALID];

/** Problems of one suppression entry, as messages naming the field, the rule and the value. */
export function suppressionProblems(entry: unknown, knownRuleIds: ReadonlySet<string>): string[] {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    return [`a suppression must be an object {id, reason, expires?}, got ${JSON.stringify(entry)}`];
  }
  const e = entry as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof e.id !== 'string' || e.id.length === 0) {
    problems.push(`id must be a rule id such as IPROD-RAM-003, got ${JSON.stringify(e.id)}`);
  } else {
    const ruleId = e.id.split(':')[0];
    if (ruleId.startsWith('IPROD-SUP-')) problems.push(`id must not name a suppression rule (${ruleId} findings cannot be suppressed), got "${e.id}"`);
    else if (!knownRuleIds.has(ruleId)) problems.push(`id must name a known rule, got "${e.id}"`);
  }
  if (typeof e.reason !== 'string' || e.reason.trim().length < MIN_REASON_LENGTH) {
    problems.push(`reason must be at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(e.reason)}`);
  }
  if (e.expires !== undefined && (typeof e.expires !== 'string' || expiryInstant(e.expires) === undefined)) {
    problems.push(`expires must be an ISO 8601 date (YYYY-MM-DD) or date-time, got ${JSON.stringify(e.expires)}`);
  }
  for (const k of Object.keys(e)) {
    if (!SUPPRESSION_KEYS.includes(k)) problems.push(`unknown key "${k}" (allowed: id, reason, expires)`);
  }
  return problems;
}

interface Scope {
  logicalId?: string;
  jsonPath: string;
  entries: unknown;
}

/**
 * Marks findings covered by suppressions and returns the findings of the suppression rules themselves.
 * `findings` must belong to `model`; they are mutated (their `suppression` set).
 */
export function applySuppressions(
  model: TemplateModel,
  findings: Finding[],
  knownRuleIds: ReadonlySet<string>,
  now: Date,
  makeFinding: (rule: RuleDescriptor, logicalId: string | undefined, jsonPath: string, detail: string, message: string) => Finding,
): Finding[] {
  const scopes: Scope[] = [];
  const top = model.template.Metadata?.[SUPPRESSIONS_METADATA_KEY];
  if (top !== undefined) scopes.push({ jsonPath: `Metadata.${SUPPRESSIONS_METADATA_KEY}`, entries: top });
  for (const [id, r] of model.resources) {
    const v = r.Metadata?.[SUPPRESSIONS_METADATA_KEY];
    if (v !== undefined) scopes.push({ logicalId: id, jsonPath: `Resources.${id}.Metadata.${SUPPRESSIONS_METADATA_KEY}`, entries: v });
  }
  const out: Finding[] = [];
  for (const scope of scopes) {
    const where = scope.logicalId ?? 'the template';
    if (!Array.isArray(scope.entries)) {
      out.push(makeFinding(SUP_003_INVALID, scope.logicalId, scope.jsonPath, SUPPRESSIONS_METADATA_KEY,
        `${SUPPRESSIONS_METADATA_KEY} of ${where} must be a list of {id, reason, expires?}, got ${JSON.stringify(scope.entries)}`));
      continue;
    }
    scope.entries.forEach((entry, i) => {
      const path = `${scope.jsonPath}[${i}]`;
      const detail = `${SUPPRESSIONS_METADATA_KEY}[${i}]`;
      const problems = suppressionProblems(entry, knownRuleIds);
      if (problems.length > 0) {
        out.push(makeFinding(SUP_003_INVALID, scope.logicalId, path, detail,
          `suppression ${i} of ${where} is invalid: ${problems.join('; ')}`));
        return;
      }
      const s = entry as Suppression;
      if (s.expires !== undefined && now.getTime() >= expiryInstant(s.expires)!.getTime()) {
        out.push(makeFinding(SUP_002_EXPIRED, scope.logicalId, path, detail,
          `suppression of ${s.id} on ${where} expired on ${s.expires}`));
        return;
      }
      const matches = findings.filter((f) => f.logicalId === scope.logicalId && (f.ruleId === s.id || f.findingId === s.id));
      if (matches.length === 0) {
        out.push(makeFinding(SUP_001_UNUSED, scope.logicalId, path, detail,
          `suppression of ${s.id} on ${where} matches no finding`));
        return;
      }
      for (const f of matches) {
        if (!f.suppression) f.suppression = { id: s.id, reason: s.reason, ...(s.expires ? { expires: s.expires } : {}) };
      }
    });
  }
  return out;
}
