import type { ValidationIssue } from './issues';
import { WARNINGS, type WarningId } from './warnings';

/** Collects issues while a validator walks a request. */
export class Report {
  public readonly issues: ValidationIssue[] = [];

  error(field: string, message: string): void {
    this.issues.push({ field, message, severity: 'error' });
  }

  /** A warning is always one of WARNINGS, and its message ends with what the library assumes. */
  warn(id: WarningId, field: string, message: string): void {
    this.issues.push({ field, message: `${message}; ${WARNINGS[id].assumed}`, severity: 'warning' });
  }
}
