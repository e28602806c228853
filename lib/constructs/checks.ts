/** @internal Plumbing of the constructs: shared inside lib/, not exported from the package root (lib/index.ts). */
import * as ros from '@alicloud/ros-cdk-core';
import { functionsOf, isFunctionName } from '../jobs';
import { type Api, API_FACTS, ROS_LIMITS } from '../service';
import type { IMediaBucket } from './bucket';

/** Size figures of one synthesized template. */
export interface TemplateFigures {
  /** Bytes of the template as written to the cloud assembly (JSON, 2-space indent, UTF-8). */
  readonly bytes: number;
  readonly resources: number;
}

/** Measures a template the way it is written to cdk.out (which is what gets uploaded). */
export function measureTemplate(template: unknown): TemplateFigures {
  const t = (template ?? {}) as { Resources?: Record<string, unknown> };
  return {
    bytes: Buffer.byteLength(JSON.stringify(template, undefined, 2), 'utf8'),
    resources: Object.keys(t.Resources ?? {}).length,
  };
}

/** Problems (empty when none) of a template against the ROS limits, with the figures. */
export function templateLimitProblems(figures: TemplateFigures): string[] {
  const problems: string[] = [];
  const { templateMaxBytes, stackMaxResources } = ROS_LIMITS;
  if (figures.bytes > templateMaxBytes) {
    problems.push(`template is ${figures.bytes} bytes, over the ROS limit of ${templateMaxBytes} bytes`);
  }
  if (figures.resources > stackMaxResources) {
    problems.push(`template has ${figures.resources} resources, over the ROS limit of ${stackMaxResources}`);
  }
  return problems;
}

/**
 * Renders `stack`'s template as synthesis will. Uses the stack's own (internal) renderer so the figures are those of
 * the file that will be written, including resources other constructs add.
 */
export function renderStackTemplate(stack: ros.Stack): unknown {
  return (stack as unknown as { _toRosTemplate(): unknown })._toRosTemplate();
}

/**
 * Throws unless the stack has a literal region: job requests, OSS buckets and the runtime's endpoint are all
 * region-bound, so an environment-agnostic stack cannot be checked. A region outside the API's documented list is a
 * warning (an error only if the list were exhaustive, which no source says it is): a region without the service
 * would deploy resources that can never run a job, but the list may simply be behind.
 */
export function checkServiceRegion(scope: ros.IConstruct, api: Api): string {
  const region = ros.Stack.of(scope).region;
  if (ros.Token.isUnresolved(region)) {
    throw new Error(
      `${scope.node.path}: the stack region must be set (env: { region }) because jobs, buckets and the runtime endpoint are region-bound, got an unresolved region`,
    );
  }
  const { regions, regionsExhaustive, label } = API_FACTS[api];
  if (!regions.includes(region)) {
    const message = `${scope.node.path}: stack region must be one where ${label} intelligent production is offered (${regions.join(', ')}), got "${region}"`;
    if (regionsExhaustive) throw new Error(message);
    scope.node.addWarning(message);
  }
  return region;
}

/** Throws unless every function is a known name offered by `api`; returns them de-duplicated, in given order. */
export function checkFunctions(scope: ros.IConstruct, api: Api, functions: readonly unknown[]): string[] {
  if (!Array.isArray(functions) || functions.length === 0) {
    throw new Error(`${scope.node.path}: functions must list at least one function, got ${JSON.stringify(functions)}`);
  }
  const offered = functionsOf(api);
  const out: string[] = [];
  functions.forEach((fn, i) => {
    if (!isFunctionName(fn)) {
      throw new Error(`${scope.node.path}: functions[${i}] must be a known function (${offered.join(', ')}), got ${JSON.stringify(fn)}`);
    }
    if (!offered.includes(fn)) {
      throw new Error(
        `${scope.node.path}: functions[${i}] ${fn} is not offered by api '${api}' (offered: ${offered.join(', ')})`,
      );
    }
    if (!out.includes(fn)) out.push(fn);
  });
  return out;
}

/** Throws when a bucket declares a region other than the stack's: ICE and MPS use buckets of their own region only. */
export function checkBucketRegion(scope: ros.IConstruct, prop: string, bucket: IMediaBucket): void {
  const stackRegion = ros.Stack.of(scope).region;
  const region = bucket.bucketRegion;
  if (region === undefined || ros.Token.isUnresolved(region) || ros.Token.isUnresolved(stackRegion)) return;
  if (region !== stackRegion) {
    throw new Error(
      `${scope.node.path}: ${prop} (${bucket.node.path}, bucket ${bucket.bucketName}) must be in the stack region "${stackRegion}", got "${region}"`,
    );
  }
}

/** One definition, in the job model: presets at synth and requests at run time are searched the same way. */
export { findOssUrls, type FoundOssUrl } from '../jobs/scope';
