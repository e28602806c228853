/**
 * The suppression contract between the constructs (which write suppressions into templates) and the policy reviewer
 * (which reads them from cdk.out). Written once so both sides agree.
 */

/** Template Metadata key (on a resource, or on the template for template-wide findings). */
export const SUPPRESSIONS_METADATA_KEY = 'iprod:suppressions';

/** A suppression's reason must be at least this many characters (after trimming). */
export const MIN_REASON_LENGTH = 10;

/** The keys a suppression entry may have. */
export const SUPPRESSION_KEYS: readonly string[] = ['id', 'reason', 'expires'];

/**
 * Instant from which an `expires` value no longer holds, or undefined when it is not an ISO 8601 date
 * (`YYYY-MM-DD`, valid through that whole UTC day) or date-time with a zone.
 */
export function expiryInstant(expires: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    // Reject dates JavaScript silently rolls over (2026-02-30 → March 2).
    if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined;
    return new Date(d.getTime() + 24 * 3600 * 1000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(expires)) return undefined;
  const t = Date.parse(expires);
  return Number.isNaN(t) ? undefined : new Date(t);
}
