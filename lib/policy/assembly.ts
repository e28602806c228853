import * as fs from 'fs';
import * as path from 'path';
import { reviewTemplates } from './review';
import { PolicyRule } from './rules/rule';
import { PolicyReview, ReviewOptions, RosTemplate } from './types';

/** Artifact types that hold a ROS template (ROS CDK writes `aliyun:ros:stack`). */
const STACK_ARTIFACT_TYPES = new Set(['aliyun:ros:stack', 'aws:cloudformation:stack']);
const NESTED_ASSEMBLY_TYPES = new Set(['cdk:cloud-assembly', 'aliyun:ros:cloud-assembly']);
const LOGICAL_ID_METADATA = new Set(['aliyun:ros:logicalId', 'aws:cdk:logicalId']);

export interface AssemblyTemplate {
  stackName: string;
  /** Relative to the assembly directory given to loadAssembly. */
  templateFile: string;
  template: RosTemplate;
  text: string;
  /** logical id → construct path (`IProductionExample/Runtime/Function`), from the manifest's metadata. */
  constructPaths: Record<string, string>;
  /** Construct warnings the app recorded at synth (`aliyun:ros:warning` metadata), in manifest order. */
  warnings: { constructPath: string; message: string }[];
}

export class AssemblyReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblyReadError';
  }
}

function readJson(file: string, what: string): { value: unknown; text: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AssemblyReadError(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  try {
    return { value: JSON.parse(text), text };
  } catch (e) {
    throw new AssemblyReadError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function constructPathsOf(metadata: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!metadata || typeof metadata !== 'object') return out;
  for (const [p, entries] of Object.entries(metadata as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      if (e && typeof e === 'object' && LOGICAL_ID_METADATA.has((e as { type?: string }).type ?? '')) {
        const id = (e as { data?: unknown }).data;
        if (typeof id === 'string') out[id] = p.replace(/^\//, '');
      }
    }
  }
  return out;
}

const WARNING_METADATA = new Set(['aliyun:ros:warning', 'aws:cdk:warning']);

function warningsOf(metadata: unknown): { constructPath: string; message: string }[] {
  const out: { constructPath: string; message: string }[] = [];
  if (!metadata || typeof metadata !== 'object') return out;
  for (const [p, entries] of Object.entries(metadata as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      if (e && typeof e === 'object' && WARNING_METADATA.has((e as { type?: string }).type ?? '')) {
        out.push({ constructPath: p.replace(/^\//, ''), message: String((e as { data?: unknown }).data) });
      }
    }
  }
  return out;
}

function loadInto(root: string, dir: string, out: AssemblyTemplate[], depth: number): void {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    if (depth > 0) throw new AssemblyReadError(`nested assembly ${dir} has no manifest.json`);
    // A bare directory of templates (e.g. hand-written ones) is reviewed file by file.
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort();
    if (files.length === 0) {
      throw new AssemblyReadError(`${dir} has no manifest.json and no *.template.json: run \`npm run synth\` first or pass the cloud assembly directory`);
    }
    for (const f of files) {
      const { value, text } = readJson(path.join(dir, f), 'template');
      out.push({ stackName: f.replace(/\.template\.json$/, ''), templateFile: f, template: value as RosTemplate, text, constructPaths: {}, warnings: [] });
    }
    return;
  }
  const { value } = readJson(manifestFile, 'manifest');
  const artifacts = (value as { artifacts?: Record<string, { type?: string; properties?: Record<string, unknown>; metadata?: unknown }> }).artifacts ?? {};
  for (const name of Object.keys(artifacts).sort()) {
    const a = artifacts[name];
    if (STACK_ARTIFACT_TYPES.has(a.type ?? '')) {
      const file = a.properties?.templateFile;
      if (typeof file !== 'string') throw new AssemblyReadError(`artifact ${name} in ${manifestFile} has no properties.templateFile`);
      const abs = path.join(dir, file);
      const { value: t, text } = readJson(abs, 'template');
      out.push({
        stackName: typeof a.properties?.stackName === 'string' ? a.properties.stackName : name,
        templateFile: path.relative(root, abs).split(path.sep).join('/'),
        template: t as RosTemplate,
        text,
        constructPaths: constructPathsOf(a.metadata),
        warnings: warningsOf(a.metadata),
      });
    } else if (NESTED_ASSEMBLY_TYPES.has(a.type ?? '') && typeof a.properties?.directoryName === 'string' && depth < 5) {
      loadInto(root, path.join(dir, a.properties.directoryName), out, depth + 1);
    }
  }
}

/** Reads every stack template of a cloud assembly directory (cdk.out). */
export function loadAssembly(dir: string): AssemblyTemplate[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new AssemblyReadError(`cloud assembly directory ${dir} does not exist: run \`npm run synth\` first or pass the directory`);
  }
  const out: AssemblyTemplate[] = [];
  loadInto(dir, dir, out, 0);
  return out;
}

/** Reviews every template of a cloud assembly directory. */
export function reviewAssembly(dir: string, options: ReviewOptions & { rules?: readonly PolicyRule[] } = {}): PolicyReview {
  const templates = loadAssembly(dir);
  return reviewTemplates(templates.map((t) => ({
    template: t.template, stackName: t.stackName, templateFile: t.templateFile, text: t.text, constructPaths: t.constructPaths,
  })), options);
}
