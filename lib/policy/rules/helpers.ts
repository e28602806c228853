import { assumedSuffix } from '../intrinsics';
import { asArray, PolicyDocumentRef, Statement, statementsOf, TemplateModel } from '../model';
import { ActionPattern, matchesEverything, parseAction, toGlob } from '../../service/ram-patterns';

export interface DocStatement {
  doc: PolicyDocumentRef;
  stmt: Statement;
}

/** Statements of identity policies (what principals may do), in template order. */
export function identityStatements(model: TemplateModel): DocStatement[] {
  return model.documents
    .filter((d) => d.kind === 'identity')
    .flatMap((doc) => statementsOf(doc).map((stmt) => ({ doc, stmt })));
}

/** Allow statements of identity and bucket policies: the ones that grant something. */
export function grantingStatements(model: TemplateModel, kinds: Array<PolicyDocumentRef['kind']> = ['identity']): DocStatement[] {
  return model.documents
    .filter((d) => kinds.includes(d.kind))
    .flatMap((doc) => statementsOf(doc).map((stmt) => ({ doc, stmt })))
    .filter(({ stmt }) => isAllow(stmt));
}

/**
 * Whether a statement may grant: Effect Allow in any case (a misspelt Effect is IPROD-RAM-007's error, but if RAM
 * reads it as Allow the grant is real), or an Effect chosen at deploy time (judged at its worst).
 */
export function isAllow(stmt: Statement): boolean {
  return typeof stmt.effect === 'string' && (stmt.effect.trim().toLowerCase() === 'allow' || /^\$\{\?[^}]*\}$/.test(stmt.effect));
}

export function where(doc: PolicyDocumentRef): string {
  return doc.policyName ? `policy ${doc.policyName} (${doc.logicalId})` : `${doc.logicalId}.${doc.propertyPath}`;
}

export function list(items: string[]): string {
  return items.map((x) => `\`${x}\``).join(', ');
}

export function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** ` (assumed: ...)` when resolving the statement took assumptions (a free parameter, a branch of Fn::If). */
export function assumed(stmt: Statement): string {
  return assumedSuffix(stmt.notes);
}

/** Parsed action patterns of a statement, skipping malformed ones (IPROD-RAM-007 reports those). */
export function patternsOf(stmt: Statement): ActionPattern[] {
  return stmt.actions.map((a) => parseAction(a)).filter((p): p is ActionPattern => p !== undefined);
}

/** The statement's resources reach every resource of every service (`*`, `acs:*`, `acs:*:*:*:*`). */
export function coversAllResources(stmt: Statement): boolean {
  return stmt.resources.some((r) => {
    const g = toGlob(r.trim());
    if (matchesEverything(g)) return true;
    if (!/^acs:/i.test(g)) return false;
    const rest = g.split(':').slice(1);
    return rest.length > 0 && rest.every((x) => x === '' || /^[*?]*$/.test(x)) && rest[rest.length - 1].includes('*');
  });
}

/** Account ids a principal names: `acs:ram::123:root`, `acs:ram:*:123:role/x`, or a bare `123`. */
export function accountsNamed(principal: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    for (const p of asArray(v)) {
      if (typeof p !== 'string') continue;
      const m = /^acs:ram:[^:]*:(\d+):/i.exec(p) ?? /^(\d{6,})$/.exec(p);
      if (m) out.push(m[1]);
    }
  };
  if (typeof principal === 'string' || Array.isArray(principal)) visit(principal);
  else if (principal && typeof principal === 'object') {
    for (const [k, v] of Object.entries(principal as Record<string, unknown>)) if (/^ram$/i.test(k)) visit(v);
  }
  return unique(out);
}
