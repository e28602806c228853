import { countFindings } from './review';
import { PolicyReview } from './types';

const MAX_LINES = 5;

/** A few lines for `npm run synth` to print after synthesis. */
export function summarizeReview(review: PolicyReview): string {
  const c = countFindings(review);
  const principals = review.principals.filter((p) => p.logicalId).length;
  const lines = [
    `Policy review: ${review.templates.length} template(s), ${principals} principal(s); `
      + `${c.error} error(s), ${c.warning} warning(s), ${c.info} info, ${c.suppressed} suppressed`,
  ];
  const open = review.findings.filter((f) => !f.suppression);
  for (const f of open.slice(0, MAX_LINES)) {
    lines.push(`  ${f.severity} ${f.findingId} ${f.constructPath ?? f.logicalId ?? f.templateFile}: ${f.message}`);
  }
  if (open.length > MAX_LINES) lines.push(`  … and ${open.length - MAX_LINES} more: run \`iprod policy-report cdk.out\``);
  return lines.join('\n');
}
