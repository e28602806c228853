// docs/policy.md is partly generated from the rules and the catalogue, so it cannot drift from what runs.
// `npx ts-node --transpile-only scripts/gen-policy-docs.ts` rewrites the marked sections; a test checks them.
import { SERVICES } from './catalogue';
import { POLICY_RULES } from './rules/all';
import { SUPPRESSION_RULES } from './suppressions';
import { RuleDescriptor } from './types';

/** @internal */
export const DOC_MARKERS = {
  rules: ['<!-- generated:rules:start -->', '<!-- generated:rules:end -->'],
  catalogue: ['<!-- generated:catalogue:start -->', '<!-- generated:catalogue:end -->'],
} as const;

function ruleEntry(r: RuleDescriptor): string {
  return `<a id="${r.id.toLowerCase()}"></a>\n**${r.id}** (${r.severity}) — ${r.title}. ${r.description} *Fix:* ${r.fixHint}`;
}

/** The rule reference: every template rule, then the suppression rules. @internal */
export function renderRulesSection(): string {
  return [...POLICY_RULES, ...SUPPRESSION_RULES].map(ruleEntry).join('\n\n');
}

/** The service catalogue as a table. @internal */
export function renderCatalogueSection(): string {
  const rows = Object.values(SERVICES).map((s) => {
    const names = Object.entries(s.actions);
    const opOnly = names.filter(([, a]) => a.resourceLevel === false).map(([n]) => n);
    const pm = names.filter(([, a]) => a.permissionManagement).map(([n]) => n);
    const level = s.resourceLevel
      ? `yes${opOnly.length ? ` (except ${opOnly.join(', ')})` : ''}${s.operationOnlyReads ? ` (reads matching \`${s.operationOnlyReads.source}\` only accept "*")` : ''}`
      : 'no: Resource "*" only';
    const known = s.complete === false ? `${names.length} (partial list: no typo check)` : `${names.length}`;
    const mgmt = [pm.join(', '), s.permissionManagementNames ? `any matching \`${s.permissionManagementNames.source}\`` : ''].filter(Boolean).join('; ');
    return `| ${s.service} | ${s.label} | ${known} | ${level} | ${s.arnPatterns.map((p) => `\`${p}\``).join('<br>')} | ${mgmt || '—'} |`;
  });
  return ['| Service | Name | Actions known | Resource-level authorization | ARN patterns | Identity / permission management |',
    '|---|---|---|---|---|---|', ...rows].join('\n');
}

function replaceBetween(doc: string, [start, end]: readonly [string, string], body: string): string {
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/policy.md has no ${start} ... ${end} section`);
  return doc.slice(0, i + start.length) + '\n' + body + '\n' + doc.slice(j);
}

/** docs/policy.md with its generated sections rewritten. @internal */
export function regeneratePolicyDoc(doc: string): string {
  return replaceBetween(replaceBetween(doc, DOC_MARKERS.rules, renderRulesSection()), DOC_MARKERS.catalogue, renderCatalogueSection());
}
