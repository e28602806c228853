import { resolveValue } from '../intrinsics';
import { asArray, PolicyDocumentRef, Statement, statementsOf } from '../model';
import { PolicyRule } from './rule';

function isFalse(v: unknown): boolean {
  return asArray(v).some((x) => x === false || (typeof x === 'string' && x.toLowerCase() === 'false'));
}

/** A Deny for anyone, on all actions and objects, whenever the request is not over TLS. */
export function isTlsOnlyDeny(stmt: Statement): boolean {
  if (stmt.effect !== 'Deny' || stmt.notAction || stmt.notResource) return false;
  const anyone = stmt.principal === '*' || asArray(stmt.principal).includes('*')
    || (typeof stmt.principal === 'object' && stmt.principal !== null && !Array.isArray(stmt.principal)
      && Object.values(stmt.principal).some((v) => asArray(v).includes('*')));
  const allActions = stmt.actions.some((a) => a === '*' || a.toLowerCase() === 'oss:*');
  const objects = stmt.resources.some((r) => r === '*' || r.endsWith('/*'));
  const cond = (stmt.condition ?? {}) as Record<string, unknown>;
  const tls = Object.entries(cond).some(([op, body]) => /^bool$/i.test(op) && body && typeof body === 'object'
    && Object.entries(body as Record<string, unknown>).some(([k, v]) => k.toLowerCase() === 'acs:securetransport' && isFalse(v)));
  return anyone && allActions && objects && tls;
}

export function bucketPolicy(model: { documents: PolicyDocumentRef[] }, logicalId: string): PolicyDocumentRef | undefined {
  return model.documents.find((d) => d.kind === 'bucket' && d.logicalId === logicalId);
}

export const OSS_001_TLS_ONLY: PolicyRule = {
  id: 'IPROD-OSS-001',
  severity: 'error',
  title: 'Bucket accepts requests without TLS',
  description: 'The bucket policy has no statement denying every principal every `oss:*` action on the bucket\'s '
    + 'objects when `acs:SecureTransport` is false, so plain-HTTP requests (and their signatures and data) are served.',
  fixHint: 'Add `{Effect: "Deny", Principal: ["*"], Action: ["oss:*"], Resource: ["acs:oss:*:*:{bucket}", '
    + '"acs:oss:*:*:{bucket}/*"], Condition: {Bool: {"acs:SecureTransport": "false"}}}` to the bucket Policy '
    + '(MediaBucket does this).',
  check(model) {
    return model.resources
      .filter(([, r]) => r.Type === 'ALIYUN::OSS::Bucket')
      .filter(([id]) => {
        const doc = bucketPolicy(model, id);
        return !doc || !statementsOf(doc).some(isTlsOnlyDeny);
      })
      .map(([id, r]) => ({
        logicalId: id,
        jsonPath: bucketPolicy(model, id)?.jsonPath ?? `Resources.${id}.Properties`,
        message: `bucket ${String(resolveValue(r.Properties?.BucketName ?? id, model.ctx))} has no TLS-only Deny `
          + '(acs:SecureTransport false) in its bucket policy',
      }));
  },
};
