/**
 * The stacks of a cloud assembly (cdk.out) as deploy needs them: name, template text and object, the region the
 * stack was synthesized for, and its tags. Templates are read by the policy reviewer's loader (one reader of cdk.out);
 * ROS CDK 1.12 writes no `environment` on the stack artifact, so the region comes from the stack's asset manifest
 * (its destinations carry `region`, which ros-cdk-core fills from the stack's `env.region`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAssembly } from '../policy/assembly';
import { RosTemplate } from '../policy/types';

export interface AssemblyStack {
  readonly stackName: string;
  readonly templateFile: string;
  /** The template as synthesized: sent to ROS byte for byte. */
  readonly body: string;
  readonly template: RosTemplate;
  /** The region of the stack's `env`, when the assembly records one. */
  readonly region?: string;
  readonly tags: Record<string, string>;
}

interface Artifact {
  type?: string;
  properties?: Record<string, unknown>;
  dependencies?: string[];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Region and tags of each stack artifact, by stack name, from the manifest and asset manifests. */
function stackEnvironments(dir: string): Map<string, { region?: string; tags: Record<string, string> }> {
  const out = new Map<string, { region?: string; tags: Record<string, string> }>();
  const manifest = readJson(path.join(dir, 'manifest.json')) as { artifacts?: Record<string, Artifact> } | undefined;
  const artifacts = manifest?.artifacts ?? {};
  for (const [id, a] of Object.entries(artifacts)) {
    if (a.type !== 'aliyun:ros:stack' && a.type !== 'aws:cloudformation:stack') continue;
    const stackName = typeof a.properties?.stackName === 'string' ? a.properties.stackName : id;
    let region: string | undefined;
    const env = a.properties?.environment ?? (a as { environment?: unknown }).environment;
    if (typeof env === 'string') {
      const m = /^[a-z]+:\/\/[^/]*\/([a-z0-9-]+)$/.exec(env);
      if (m && !m[1].startsWith('unknown')) region = m[1];
    }
    for (const dep of a.dependencies ?? []) {
      if (region) break;
      const d = artifacts[dep];
      if (d?.type !== 'cdk:asset-manifest' || typeof d.properties?.file !== 'string') continue;
      const assets = readJson(path.join(dir, d.properties.file)) as { files?: Record<string, { destinations?: Record<string, { region?: unknown }> }> } | undefined;
      for (const f of Object.values(assets?.files ?? {})) {
        for (const dest of Object.values(f.destinations ?? {})) if (typeof dest.region === 'string' && !region) region = dest.region;
      }
    }
    const tags: Record<string, string> = {};
    const raw = a.properties?.tags;
    if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') tags[k] = v;
    out.set(stackName, { region, tags });
  }
  return out;
}

/** Every stack of the assembly, in the manifest's order. Throws AssemblyReadError when the directory is unusable. */
export function readStacks(dir: string): AssemblyStack[] {
  const templates = loadAssembly(dir);
  const envs = stackEnvironments(dir);
  return templates.map((t) => ({
    stackName: t.stackName,
    templateFile: t.templateFile,
    body: t.text,
    template: t.template,
    region: envs.get(t.stackName)?.region,
    tags: envs.get(t.stackName)?.tags ?? {},
  }));
}
