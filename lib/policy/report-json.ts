import { countFindings, ReviewCounts } from './review';
import { TOOL_NAME, TOOL_VERSION } from './tool';
import { PolicyReview } from './types';

/** Shape of the JSON report; `version` changes only on incompatible change. */
export interface JsonReport extends PolicyReview {
  tool: { name: string; version: string };
  summary: ReviewCounts;
}

export function toJsonReport(review: PolicyReview): JsonReport {
  return {
    version: review.version,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    summary: countFindings(review),
    templates: review.templates,
    principals: review.principals,
    findings: review.findings,
    rules: review.rules,
  };
}

export function renderJson(review: PolicyReview): string {
  return JSON.stringify(toJsonReport(review), null, 2) + '\n';
}
