/** One finding of a validator. `field` is the innermost offending name (`fps`, `Priority`, `Media`). */
export interface ValidationIssue {
  readonly field: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** Thrown by the `assertValid*` functions; the message lists every error as `field: message`. */
export class JobValidationError extends Error {
  public readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], what = 'request') {
    const errors = issues.filter((i) => i.severity === 'error');
    super(`invalid ${what}:\n${errors.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`);
    this.name = 'JobValidationError';
    this.issues = issues;
  }
}
