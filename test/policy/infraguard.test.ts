import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Finding, severityRank as rank, RosTemplate, reviewTemplate } from '../../lib/policy';
import OURS from './infraguard-overrides.json';

// aliyun/infraguard's own compliant/violation templates (shared, read-only: see its SOURCE.md). The shared mapping
// says which of our rules answer each in-scope concern; infraguard-overrides.json adds the concerns our newer rules
// answer and explains where we differ.
const ROOT = path.resolve(__dirname, '..', '..');
const SHARED = process.env.INFRAGUARD_DIR ?? path.resolve(ROOT, '..', 'shared', 'conformance', 'infraguard');

interface Entry {
  infraguard: string;
  inScope?: boolean;
  rules?: string[];
  ours?: string | null;
  match?: string;
  expect?: { violation?: string; compliant?: string | null } | null;
  targets?: { violation?: string[] };
  resourceTypes?: string[];
  cases?: { violation?: { file: string }; compliant?: { file: string } };
}

function load(): Entry[] {
  if (!fs.existsSync(path.join(SHARED, 'mapping.json'))) {
    throw new Error(`InfraGuard conformance suite not found at ${SHARED}: set INFRAGUARD_DIR to the directory holding mapping.json`);
  }
  const mapping = JSON.parse(fs.readFileSync(path.join(SHARED, 'mapping.json'), 'utf8')) as Entry[];
  return mapping.map((e) => {
    const o = OURS.overrides.find((x) => x.infraguard === e.infraguard);
    return o ? { ...e, inScope: true, rules: o.rules, expect: o.expect, ...('match' in o ? { match: o.match } : {}) } : e;
  });
}

const NAME_PROPS = ['UserName', 'RoleName', 'GroupName', 'PolicyName', 'BucketName', 'FunctionName', 'ServiceName', 'TriggerName', 'QueueName', 'TopicName'];

/** Whether `value` points at logical id `id` (Ref, Fn::GetAtt) or names it by one of `names`. */
function pointsAt(value: unknown, id: string, names: string[]): boolean {
  if (typeof value === 'string') return names.includes(value);
  if (Array.isArray(value)) return value.some((v) => pointsAt(v, id, names));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const ga = o['Fn::GetAtt'];
    if (o.Ref === id || (Array.isArray(ga) && ga[0] === id)) return true;
    return Object.values(o).some((v) => pointsAt(v, id, names));
  }
  return false;
}

/**
 * Whether a finding is about resource `id`: on it, at a path inside it, naming it (or its physical name), or on a
 * resource that points at it (an AccessKey naming the user).
 */
function about(f: Finding, id: string, t: RosTemplate): boolean {
  if (f.logicalId === id || f.jsonPath === `Resources.${id}` || f.jsonPath.startsWith(`Resources.${id}.`)) return true;
  const props = (t.Resources?.[id]?.Properties ?? {}) as Record<string, unknown>;
  const names = NAME_PROPS.map((k) => props[k]).filter((v): v is string => typeof v === 'string' && v.length >= 3);
  if ([id, ...names].some((n) => new RegExp(`(^|[^A-Za-z0-9_:-])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_-])`).test(f.message))) return true;
  const other = f.logicalId ? t.Resources?.[f.logicalId] : undefined;
  return other !== undefined && pointsAt(other.Properties, id, names);
}

function reviewFile(rel: string): { template: RosTemplate; findings: Finding[] } {
  const text = fs.readFileSync(path.join(SHARED, rel), 'utf8');
  const template = JSON.parse(text) as RosTemplate;
  return { template, findings: reviewTemplate(template, { text, stackName: path.dirname(rel) }).findings.filter((f) => !f.suppression) };
}

const ENTRIES = load().filter((e) => e.inScope && (e.cases?.violation || e.cases?.compliant));
const rulesOf = (e: Entry) => new Set(e.rules ?? (e.ours ? [e.ours] : []));
const matches = (e: Entry, f: Finding) => rulesOf(e).has(f.ruleId) && (!e.match || new RegExp(e.match, 'i').test(f.message));

describe('InfraGuard conformance (shared mapping plus infraguard-overrides.json)', () => {
  const withViolation = ENTRIES.filter((e) => e.cases?.violation && e.expect?.violation);
  const withCompliant = ENTRIES.filter((e) => e.cases?.compliant && e.expect?.compliant === 'clean');

  it('covers every in-scope concern, ours included', () => {
    expect(withViolation.length).toBeGreaterThanOrEqual(26);
    expect(withCompliant.length).toBeGreaterThanOrEqual(24);
  });

  it.each(withViolation.map((e) => [e.infraguard, e] as const))('%s: every violation target is reported', (_id, e) => {
    const { template, findings } = reviewFile(e.cases!.violation!.file);
    const want = e.expect!.violation!;
    const targets = e.targets?.violation?.length ? e.targets.violation
      : Object.entries(template.Resources ?? {}).filter(([, r]) => (e.resourceTypes ?? []).includes(r.Type)).map(([id]) => id);
    const missed = targets.filter((id) => !findings.some((f) => matches(e, f) && about(f, id, template)
      && (want === 'any' || rank(f.severity) >= rank(want as 'error' | 'warning'))));
    expect({ missed, said: findings.map((f) => `${f.ruleId} ${f.severity} ${f.logicalId ?? ''}: ${f.message}`) })
      .toEqual(expect.objectContaining({ missed: [] }));
  });

  it.each(withCompliant.map((e) => [e.infraguard, e] as const))('%s: the compliant template is clean for the concern', (_id, e) => {
    const { findings } = reviewFile(e.cases!.compliant!.file);
    expect(findings.filter((f) => matches(e, f) && rank(f.severity) >= rank('warning')).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  it('the shared run.mjs agrees on the shared mapping (against the built package)', () => {
    // `npm test` builds first; the shared harness loads dist/lib/index.js exactly as the peer runs it.
    const built = path.join(ROOT, 'dist', 'lib', 'index.js');
    expect(fs.existsSync(built)).toBe(true);
    const r = spawnSync(process.execPath, [path.join(SHARED, 'run.mjs'), ROOT], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toMatch(/infraguard: 19 rules in scope, 19\/19 violations caught, 18\/18 compliant clean/);
    expect(r.status).toBe(0);
  });
});
