import { RUNTIME_ENV, SERVICE_ROLES } from '../service';
import type { TemplateModel } from './model';
import type { ServiceRoleUse } from './types';

const FUNCTION_TYPES = new Set(['ALIYUN::FC3::Function', 'ALIYUN::FC::Function']);

function locations(value: unknown): string[] {
  if (typeof value !== 'string') return value === undefined ? [] : ['(set at deploy time)'];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map((l) => `oss://${String(l)}*`) : ['(unreadable)'];
  } catch {
    return ['(unreadable)'];
  }
}

/** The role an MPS pipeline named by `IPROD_PIPELINE_ID` runs as, when the template creates that pipeline. */
function pipelineRole(model: TemplateModel, pipelineId: unknown): string {
  const getAtt = (pipelineId as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  const logicalId = Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
  const pipeline = model.resources.find(([id, r]) => id === logicalId && r.Type === 'ALIYUN::MPS::Pipeline')?.[1];
  const role = pipeline?.Properties?.Role;
  if (role === undefined) return SERVICE_ROLES.mts;
  return typeof role === 'string' ? role : '(the pipeline role, set at deploy time)';
}

/**
 * Which service roles touch OSS on behalf of the template's runtime functions, and where: ICE and MPS read a job's
 * input and write its output through their own role, so the runtime's own role needs no OSS permission. Read from
 * the function's environment (the locations it enforces), so a report shows what the deployed function allows.
 */
export function serviceRoleUses(model: TemplateModel): ServiceRoleUse[] {
  const out: ServiceRoleUse[] = [];
  for (const [id, r] of model.resources) {
    if (!FUNCTION_TYPES.has(r.Type)) continue;
    const env = (r.Properties?.EnvironmentVariables ?? r.Properties?.environmentVariables) as Record<string, unknown> | undefined;
    const api = env?.[RUNTIME_ENV.api];
    if (api !== 'ice' && api !== 'mts') continue;
    out.push({
      stackName: model.stackName,
      role: api === 'ice' ? SERVICE_ROLES.ice : pipelineRole(model, env?.[RUNTIME_ENV.pipelineId]),
      api,
      via: `${r.Type} ${id}`,
      reads: locations(env?.[RUNTIME_ENV.inputLocations]),
      writes: locations(env?.[RUNTIME_ENV.outputLocations]),
    });
  }
  return out;
}
