import { type Api, API_FACTS } from '../service';
import { type ActionPattern, hasWildcard, isServiceWide, nameMatches, parseAction, serviceMatches } from '../service/ram-patterns';
import {
  actions, ActionSpec, NARROW_SYSTEM_POLICIES, RAM_SERVICES, ServiceSpec, SYSTEM_POLICY_PRODUCT_PREFIX,
} from '../service/ram-services';

// What the reviewer does with the RAM facts of lib/service (ram-services.ts, apis.ts): look actions up, match
// patterns against the catalogue, classify system policies.
export type { ActionSpec, ServiceSpec };

/** The facts lib/service holds about an API's RAM side; the rest of its catalogue entry lists other actions. */
function apiService(api: Api): Pick<ServiceSpec, 'service' | 'resourceLevel' | 'arnPatterns'> {
  const facts = API_FACTS[api];
  return { service: facts.product, resourceLevel: facts.ramScope === 'resource', arnPatterns: ['*'] };
}

const ICE: ServiceSpec = {
  ...apiService('ice'),
  label: 'Intelligent Media Services (ICE)',
  actions: actions([
    ...API_FACTS.ice.actions,
    'ListMediaProducingJobs', 'SubmitTranscodeJob', 'GetTranscodeJob', 'ListTranscodeJobs', 'SubmitSnapshotJob',
    'GetSnapshotJob', 'ListSnapshotJobs', 'SubmitMediaInfoJob', 'GetMediaInfoJob', 'ListMediaInfoJobs',
    'RegisterMediaInfo', 'GetMediaInfo', 'UpdateMediaInfo', 'DeleteMediaInfos', 'ListMediaBasicInfos',
    'BatchGetMediaInfos', 'CreateEditingProject', 'GetEditingProject', 'UpdateEditingProject',
    'DeleteEditingProjects', 'ListEditingProjects', 'GetEditingProjectMaterials', 'AddEditingProjectMaterials',
    'DeleteEditingProjectMaterials', 'SubmitASRJob', 'SubmitAudioProduceJob', 'SubmitSubtitleProduceJob',
    'SubmitDynamicImageJob', 'GetDynamicImageJob', 'SubmitSmarttagJob', 'QuerySmarttagJob', 'SubmitDNAJob',
    'QueryDNAJob', 'ListIProductionJobs', 'SubmitSegmentationJob', 'GetTemplate',
    'ListTemplates', 'AddTemplate', 'UpdateTemplate', 'DeleteTemplate', 'CreatePipeline', 'GetPipeline',
    'ListPipelines', 'UpdatePipeline', 'DeletePipeline', 'AddMediaMarks', 'GetMediaMarks', 'DescribeIceProductStatus',
  ]),
};

const MTS: ServiceSpec = {
  ...apiService('mts'),
  label: 'ApsaraVideo Media Processing (MPS)',
  actions: actions([
    ...API_FACTS.mts.actions, 'SubmitJobs', 'QueryJobList', 'ListJob', 'CancelJob',
    'SubmitSnapshotJob', 'QuerySnapshotJobList', 'SubmitMediaInfoJob', 'QueryMediaInfoJobList', 'AddPipeline',
    'UpdatePipeline', 'QueryPipelineList', 'SearchPipeline', 'DeletePipeline', 'AddTemplate', 'UpdateTemplate',
    'QueryTemplateList', 'SearchTemplate', 'DeleteTemplate', 'AddWaterMarkTemplate', 'QueryWaterMarkTemplateList',
    'SearchWaterMarkTemplate', 'DeleteWaterMarkTemplate', 'UpdateWaterMarkTemplate', 'SubmitAnalysisJob',
    'QueryAnalysisJobList', 'SubmitSmarttagJob', 'QuerySmarttagJob', 'QueryMediaList', 'SearchMedia',
    'AddMedia', 'DeleteMedia', 'UpdateMedia',
  ]),
};


export const SERVICES: Readonly<Record<string, ServiceSpec>> = { ice: ICE, mts: MTS, ...RAM_SERVICES };


export interface ActionInfo {
  service: string;
  name: string;
  known: boolean;
  /** Whether the service is one this catalogue covers. */
  catalogued: boolean;
  resourceLevel: boolean;
  permissionManagement: boolean;
}

/** Splits `svc:Name`; returns undefined for strings without exactly one ':' (malformed actions). */
export function splitAction(action: string): { service: string; name: string } | undefined {
  const i = action.indexOf(':');
  if (i <= 0 || i === action.length - 1 || action.indexOf(':', i + 1) !== -1) return undefined;
  return { service: action.slice(0, i).toLowerCase(), name: action.slice(i + 1) };
}

/** Catalogued services whose prefix the glob matches. */
export function servicesMatching(p: ActionPattern): ServiceSpec[] {
  return Object.values(SERVICES).filter((s) => serviceMatches(p, s.service));
}

/** Catalogued actions an action pattern (possibly with `*`/`?`, in service or name) covers, as `svc:Name`. */
export function expandAction(action: string): string[] {
  const p = parseAction(action);
  if (!p) return [];
  return servicesMatching(p).flatMap((s) => Object.keys(s.actions).filter((a) => nameMatches(p, a)).map((a) => `${s.service}:${a}`));
}

const LOWER = new Map<ServiceSpec, Map<string, [string, ActionSpec]>>();

// RAM matches action names case-insensitively; index each service once instead of scanning per lookup.
function lowerIndex(svc: ServiceSpec): Map<string, [string, ActionSpec]> {
  let m = LOWER.get(svc);
  if (!m) {
    m = new Map(Object.entries(svc.actions).map(([n, spec]) => [n.toLowerCase(), [n, spec] as [string, ActionSpec]]));
    LOWER.set(svc, m);
  }
  return m;
}

/** Facts about one concrete action name (no wildcards). */
export function actionInfo(action: string): ActionInfo | undefined {
  const parts = splitAction(action);
  if (!parts) return undefined;
  const svc = SERVICES[parts.service];
  if (!svc) {
    // Unknown service: judged at its worst (it may authorize per resource).
    return { ...parts, known: false, catalogued: false, resourceLevel: true, permissionManagement: false };
  }
  const entry = lowerIndex(svc).get(parts.name.toLowerCase());
  const name = entry ? entry[0] : parts.name;
  const opOnlyRead = svc.operationOnlyReads?.test(name) === true;
  return {
    service: svc.service,
    name,
    known: entry !== undefined,
    catalogued: true,
    resourceLevel: entry?.[1].resourceLevel ?? (opOnlyRead ? false : svc.resourceLevel),
    permissionManagement: entry?.[1].permissionManagement ?? svc.permissionManagementNames?.test(name) ?? false,
  };
}

/**
 * What an action pattern can reach, service by service: for each catalogued service it matches, whether it covers
 * a resource-level action and a permission-management action; `uncatalogued` is the service prefix when a literal
 * service is not in the catalogue, or '*' when the service glob can match services the catalogue does not know.
 */
export interface PatternReach {
  services: Array<{ service: string; resourceLevel: string[]; permissionManagement: string[]; serviceWide: boolean }>;
  uncatalogued?: string;
}

export function reachOf(p: ActionPattern): PatternReach {
  const out: PatternReach = { services: [] };
  const matched = servicesMatching(p);
  if (hasWildcard(p.service)) out.uncatalogued = '*';
  else if (matched.length === 0) out.uncatalogued = p.service;
  for (const s of matched) {
    const wide = isServiceWide(p);
    const concrete = hasWildcard(p.name) ? Object.keys(s.actions).filter((a) => nameMatches(p, a)) : [p.name];
    const infos = concrete.map((n) => actionInfo(`${s.service}:${n}`)!);
    const resourceLevel = infos.filter((i) => i.resourceLevel).map((i) => `${s.service}:${i.name}`);
    // A wildcard name on a resource-level service reaches its resource-level actions the catalogue does not list.
    if (hasWildcard(p.name) && s.resourceLevel && (wide || s.complete === false) && resourceLevel.length === 0
      && !(s.operationOnlyReads && READ_ONLY_NAME.test(p.name))) {
      resourceLevel.push(`${s.service}:${p.name}`);
    }
    const pm = infos.filter((i) => i.permissionManagement).map((i) => `${s.service}:${i.name}`);
    if (hasWildcard(p.name) && pm.length === 0 && s.permissionManagementNames && !READ_ONLY_NAME.test(p.name)) {
      pm.push(`${s.service}:${p.name}`);
    }
    if (resourceLevel.length || pm.length || wide) out.services.push({ service: s.service, resourceLevel, permissionManagement: pm, serviceWide: wide });
  }
  return out;
}

// A name glob that only reaches read operations (Describe*, List*, Get*): literal prefix of a read verb.
const READ_ONLY_NAME = /^(Describe|List|Get|Query)[A-Za-z0-9]*\*?$/i;

export function isWildcardAction(action: string): boolean {
  return action.includes('*') || action.includes('?');
}

// ---------------------------------------------------------------------------------------------------------------
// System policies. Known by name only: their documents are not expanded.

export type SystemPolicyClass = 'admin' | 'broad' | 'narrow' | 'unknown';



/**
 * How broad a system policy is:
 * - admin: the whole account, or anything that grants itself more (AdministratorAccess, Aliyun*FullAccess,
 *   AliyunSTSAssumeRoleAccess, RAM/IMS/ResourceManager write access);
 * - broad: reads every resource of a service that authorizes per resource, or of the whole account
 *   (ReadOnlyAccess, AliyunOSSReadOnlyAccess: every bucket's media);
 * - narrow: known and confined (AliyunICEReadOnlyAccess);
 * - unknown: not in this catalogue (its contents cannot be judged).
 */
export function classifySystemPolicy(raw: string): { cls: SystemPolicyClass; why: string } {
  // System policy names are matched case-insensitively and without surrounding spaces: a spelling variant must not
  // turn AdministratorAccess into "unknown".
  const trimmed = raw.trim();
  const canonical = [...NARROW_SYSTEM_POLICIES, 'AdministratorAccess', 'AliyunSTSAssumeRoleAccess', 'ReadOnlyAccess']
    .find((n) => n.toLowerCase() === trimmed.toLowerCase());
  const name = canonical ?? trimmed.replace(/^aliyun/i, 'Aliyun').replace(/access$/i, 'Access').replace(/readonly/i, 'ReadOnly').replace(/fullaccess$/i, 'FullAccess');
  if (name === 'AdministratorAccess') return { cls: 'admin', why: 'every action on every resource of the account' };
  if (name === 'AliyunSTSAssumeRoleAccess') return { cls: 'admin', why: 'may assume any role of the account (sts:AssumeRole on *), so it can obtain any permission a role has' };
  if (/^Aliyun(RAM|IMS|ResourceManager|STS)(?!ReadOnly)\w*Access$/i.test(name)) {
    return { cls: 'admin', why: 'identity and permission management: a path to grant itself anything' };
  }
  if (/FullAccess$/i.test(name)) return { cls: 'admin', why: 'every action of a whole service' };
  if (name === 'ReadOnlyAccess') return { cls: 'broad', why: 'reads every resource of the account, every bucket\'s objects included' };
  if (NARROW_SYSTEM_POLICIES.has(name)) return { cls: 'narrow', why: '' };
  const m = /^Aliyun(\w+?)ReadOnlyAccess$/.exec(name);
  if (m) {
    const product = Object.keys(SYSTEM_POLICY_PRODUCT_PREFIX).find((k) => k.toLowerCase() === m[1].toLowerCase());
    const svc = SERVICES[product ? SYSTEM_POLICY_PRODUCT_PREFIX[product] : m[1].toLowerCase()];
    if (svc && !svc.resourceLevel) return { cls: 'narrow', why: '' };
    if (svc) return { cls: 'broad', why: `reads every resource of ${svc.label}, not just this stack's` };
  }
  if (/InvocationAccess$/i.test(name)) return { cls: 'broad', why: 'invokes every function of the account' };
  return { cls: 'unknown', why: 'not in the reviewer\'s catalogue of system policies, so what it grants is not known' };
}

/** System policies that hand out the whole account or a whole service (IPROD-RAM-010). */
export function isBroadSystemPolicy(name: string): boolean {
  return classifySystemPolicy(name).cls === 'admin';
}
