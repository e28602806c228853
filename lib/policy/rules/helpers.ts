import { PolicyDocumentRef, Statement, statementsOf, TemplateModel } from '../model';

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
    .filter(({ stmt }) => stmt.effect === 'Allow');
}

export function isAllow(stmt: Statement): boolean {
  return stmt.effect === 'Allow';
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
