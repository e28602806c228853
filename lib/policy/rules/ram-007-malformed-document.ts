import { show } from '../../util/values';
import { splitAction } from '../catalogue';
import { hasPlaceholder } from '../intrinsics';
import { statementsOf } from '../model';
import { RuleFinding } from '../types';
import { where } from './helpers';
import { PolicyRule } from './rule';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal']);

export const RAM_007_MALFORMED_DOCUMENT: PolicyRule = {
  id: 'IPROD-RAM-007',
  severity: 'error',
  title: 'Malformed policy document',
  description: 'The document breaks the RAM policy grammar: Version must be "1", Statement a non-empty list, '
    + 'Effect Allow or Deny, Action (or NotAction) and Resource (or NotResource) present, actions `service:Name`, '
    + 'resources "*" or `acs:` ARNs, Sids unique. RAM rejects such documents at deploy time, or worse, reads them '
    + 'differently than intended.',
  fixHint: 'Fix the field named in the message; see the RAM policy grammar in docs/policy.md.',
  check(model) {
    const out: RuleFinding[] = [];
    for (const doc of model.documents) {
      const add = (jsonPath: string, detail: string, message: string) =>
        out.push({ logicalId: doc.logicalId, jsonPath, detail, message: `${where(doc)}: ${message}` });
      const d = doc.resolved;
      if (!d || typeof d !== 'object' || Array.isArray(d)) {
        add(doc.jsonPath, doc.propertyPath, `the policy document must be an object, got ${show(d)}`);
        continue;
      }
      const body = d as Record<string, unknown>;
      if (body.Version !== '1') add(`${doc.jsonPath}.Version`, doc.propertyPath, `Version must be "1", got ${show(body.Version)}`);
      const st = body.Statement;
      if (st === undefined || (Array.isArray(st) && st.length === 0) || (typeof st !== 'object')) {
        add(doc.jsonPath, doc.propertyPath, `Statement must be a non-empty list, got ${show(st)}`);
        continue;
      }
      const sids = new Map<string, number>();
      const list = Array.isArray(st) ? st : [st];
      list.forEach((s, i) => {
        if (!s || typeof s !== 'object' || Array.isArray(s)) {
          add(`${doc.jsonPath}.Statement[${i}]`, `${doc.propertyPath}.Statement[${i}]`, `Statement[${i}] must be an object, got ${show(s)}`);
        }
      });
      for (const stmt of statementsOf(doc)) {
        const bad = (message: string) => add(stmt.jsonPath, stmt.detail, `Statement[${stmt.index}] ${message}`);
        for (const k of Object.keys(stmt.raw)) if (!STATEMENT_KEYS.has(k)) bad(`has unknown key ${show(k)}`);
        if (stmt.effect !== 'Allow' && stmt.effect !== 'Deny') bad(`Effect must be Allow or Deny, got ${show(stmt.effect)}`);
        if (!stmt.hasAction) bad('has neither Action nor NotAction');
        if (stmt.raw.Action !== undefined && stmt.raw.NotAction !== undefined) bad('has both Action and NotAction');
        if (stmt.hasAction && stmt.actions.length === 0) bad('has an empty action list');
        for (const a of stmt.actions) {
          if (a !== '*' && !splitAction(a)) bad(`Action must be "*" or service:Name, got ${show(a)}`);
        }
        if (doc.kind === 'trust') {
          if (stmt.principal === undefined) bad('has no Principal (a trust policy must say who may assume the role)');
          for (const a of stmt.actions) if (a.toLowerCase() !== 'sts:assumerole') bad(`Action of a trust policy must be sts:AssumeRole, got ${show(a)}`);
        } else {
          // OSS evaluates a bucket policy statement only for the principals it names.
          if (doc.kind === 'bucket' && stmt.principal === undefined) bad('has no Principal (a bucket policy must say whom it applies to)');
          if (!stmt.hasResource) bad('has neither Resource nor NotResource');
          if (stmt.raw.Resource !== undefined && stmt.raw.NotResource !== undefined) bad('has both Resource and NotResource');
          if (stmt.hasResource && stmt.resources.length === 0) bad('has an empty resource list');
          for (const r of stmt.resources) {
            if (r !== '*' && !r.startsWith('acs:') && !(hasPlaceholder(r) && r.startsWith('${'))) {
              bad(`Resource must be "*" or an ARN starting with acs:, got ${show(r)}`);
            }
          }
        }
        if (stmt.sid !== undefined) {
          const prev = sids.get(stmt.sid);
          if (prev !== undefined) bad(`repeats Sid ${show(stmt.sid)} of Statement[${prev}]`);
          else sids.set(stmt.sid, stmt.index);
        }
      }
    }
    return out;
  },
};
