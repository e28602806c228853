/** @internal Plumbing of the constructs: shared inside lib/, not exported from the package root (lib/index.ts). */
import * as ros from '@alicloud/ros-cdk-core';
import { NameCheck } from './name-check';

/**
 * Physical names are part of what deploys: they must come out the same on every synth, so they are derived from
 * values the app author chose (a prefix, the stack name, construct ids) and never from time or randomness.
 */

/** Lowercases and replaces anything outside `[a-z0-9-]` so a stack name or construct id can seed a bucket name. */
export function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The name prefix a construct uses when its props give none: the stack name, slugged. */
export function defaultNamePrefix(scope: ros.IConstruct): string {
  const stackName = ros.Stack.of(scope).stackName;
  const prefix = ros.Token.isUnresolved(stackName) ? '' : slug(stackName);
  return prefix.length > 0 ? prefix : 'iprod';
}

/** Builds the message every validation error in this area uses: who, which prop, which rule, what was received. */
export function propError(scope: ros.IConstruct, prop: string, rule: string, value: unknown): Error {
  return new Error(`${scope.node.path}: ${prop} ${rule}, got ${JSON.stringify(value)}`);
}

/** Name prefixes seed bucket, queue, role and function names, so they follow the strictest of those rules (OSS). */
export const NAME_PREFIX_PATTERN = /^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$|^[a-z0-9]$/;

/** Throws unless `prefix` can seed every physical name this package derives from it. */
export function validateNamePrefix(scope: ros.IConstruct, prefix: string): void {
  if (ros.Token.isUnresolved(prefix)) {
    throw propError(scope, 'namePrefix', 'must be a literal string (physical names are derived from it at synth)', prefix);
  }
  if (!NAME_PREFIX_PATTERN.test(prefix)) {
    throw propError(
      scope,
      'namePrefix',
      "must be 1-32 characters of a-z, 0-9 and '-', starting and ending with a letter or digit",
      prefix,
    );
  }
}

/**
 * A construct id for an L1 that is unique in its stack.
 *
 * ROS CDK 1.12 uses an L1's construct id *as its logical id* (`RosElement` sets `logicalId = id`, and
 * `overrideLogicalId` is ignored), so two L2s each with a child `'Resource'` collide at synth ("section 'Resources'
 * already contains 'Resource'"). The id is built from the path below the stack, `'Resource'` components dropped and
 * other characters than letters and digits removed: `Prod/Input` + `'Resource'` → `ProdInput`. Deterministic and
 * readable in policy reports; a collision (e.g. `A/BC` vs `AB/C`) still fails synth loudly, never silently.
 * Also enables the app-wide physical-name check (`NameCheck`) on the app.
 */
export function uniqueLogicalId(scope: ros.IConstruct, id: string): string {
  // Every L1 this package creates passes here, so this is where its app gets the physical-name check.
  NameCheck.enable(scope);
  const stack = ros.Stack.of(scope);
  const scopes = scope.node.scopes;
  const parts = scopes.slice(scopes.indexOf(stack) + 1).map((c) => c.node.id);
  parts.push(id);
  const logicalId = parts
    .filter((part) => part !== 'Resource')
    .map((part) => part.replace(/[^A-Za-z0-9]/g, ''))
    .join('');
  return logicalId.length > 0 ? logicalId : 'Resource';
}
