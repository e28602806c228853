import { countFindings } from './review';
import { Finding, PermissionRow, PolicyReview, PrincipalSummary, ServiceRoleUse, Severity } from './types';

function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}

function codes(xs: string[]): string {
  return xs.length === 0 ? '—' : xs.map((x) => cell(code(x))).join('<br>');
}

function permissionRow(p: PermissionRow): string {
  const actions = (p.notAction ? 'all except ' : '') + codes(p.actions);
  const resources = (p.notResource ? 'all except ' : '') + codes(p.resources);
  const cond = p.conditions !== undefined ? cell(code(JSON.stringify(p.conditions))) : '';
  return `| ${cell(p.effect)} | ${actions} | ${resources} | ${cond} | ${cell(code(p.source))} |`;
}

function principalSection(p: PrincipalSummary): string[] {
  const lines = [`### ${p.kind} ${code(p.name)}${p.logicalId ? ` (${p.logicalId}, ${p.stackName})` : ` (not created by ${p.stackName})`}`, ''];
  if (p.trustedBy) lines.push(`Assumable by: ${p.trustedBy.length ? p.trustedBy.map(code).join(', ') : 'nobody'}`, '');
  if (p.usedBy?.length) lines.push(`Used by: ${p.usedBy.map(code).join(', ')}`, '');
  if (p.systemPolicies.length) lines.push(`System policies: ${p.systemPolicies.map(code).join(', ')}`, '');
  if (p.permissions.length === 0) {
    lines.push('No policy statements in the reviewed templates.', '');
    return lines;
  }
  lines.push('| Effect | Actions | Resources | Conditions | Source |', '|---|---|---|---|---|');
  for (const row of p.permissions) lines.push(permissionRow(row));
  lines.push('');
  return lines;
}

function serviceRoleSection(uses: ServiceRoleUse[]): string[] {
  const lines = ['## Service roles that touch OSS', '',
    'Roles outside the templates that ICE and MPS read inputs and write outputs with, for jobs each function submits '
    + '(the function refuses any other location).', '',
    '| Role | Service | For jobs of | Reads | Writes |', '|---|---|---|---|---|'];
  for (const u of uses) {
    lines.push(`| ${cell(code(u.role))} | ${u.api} | ${cell(code(u.via))} (${cell(u.stackName)}) | ${codes(u.reads)} | ${codes(u.writes)} |`);
  }
  lines.push('');
  return lines;
}

function resourceOf(f: Finding): string {
  return f.logicalId ? `${f.logicalId}${f.resourceType ? ` (${f.resourceType})` : ''}` : f.templateFile;
}

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

/** Markdown report: principals with their grants, then findings by severity, then suppressed findings. */
export function renderMarkdown(review: PolicyReview): string {
  const c = countFindings(review);
  const lines: string[] = ['# Policy review', ''];
  lines.push(`Findings: **${c.error} error(s)**, ${c.warning} warning(s), ${c.info} info, ${c.suppressed} suppressed.`, '');
  lines.push('| Template | Stack | Resources | Bytes |', '|---|---|---|---|');
  for (const t of review.templates) lines.push(`| ${cell(t.templateFile)} | ${cell(t.stackName)} | ${t.resourceCount} | ${t.bytes} |`);
  lines.push('', '## Principals', '');
  if (review.principals.length === 0) lines.push('No RAM roles, users or groups in the reviewed templates.', '');
  for (const p of review.principals) lines.push(...principalSection(p));
  if (review.serviceRoles?.length) lines.push(...serviceRoleSection(review.serviceRoles));
  lines.push('## Findings', '');
  const open = review.findings.filter((f) => !f.suppression);
  if (open.length === 0) lines.push('No unsuppressed findings.', '');
  for (const sev of ['error', 'warning', 'info'] as Severity[]) {
    const fs = open.filter((f) => f.severity === sev);
    if (fs.length === 0) continue;
    lines.push(`### ${HEADINGS[sev]} (${fs.length})`, '');
    lines.push('| Rule | Resource | Construct path | Message | Fix |', '|---|---|---|---|---|');
    for (const f of fs) {
      lines.push(`| ${code(f.findingId)}<br>${cell(f.title)} | ${cell(resourceOf(f))}<br>${cell(code(f.jsonPath || '(template)'))}${f.line ? ` line ${f.line}` : ''} `
        + `| ${f.constructPath ? cell(code(f.constructPath)) : '—'} | ${cell(f.message)} | ${cell(f.fixHint)} |`);
    }
    lines.push('');
  }
  const suppressed = review.findings.filter((f) => f.suppression);
  if (suppressed.length) {
    lines.push(`### Suppressed (${suppressed.length})`, '');
    lines.push('| Rule | Resource | Message | Reason | Expires |', '|---|---|---|---|---|');
    for (const f of suppressed) {
      lines.push(`| ${code(f.findingId)} | ${cell(resourceOf(f))} | ${cell(f.message)} | ${cell(f.suppression!.reason)} | ${f.suppression!.expires ?? '—'} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
