import type { ValidationIssue } from './issues';

/** Collects issues while a validator walks a request. */
export class Report {
  public readonly issues: ValidationIssue[] = [];

  error(field: string, message: string): void {
    this.issues.push({ field, message, severity: 'error' });
  }

  warn(field: string, message: string): void {
    this.issues.push({ field, message, severity: 'warning' });
  }
}
