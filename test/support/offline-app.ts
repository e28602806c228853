import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './checkout';

type LockEntry = Record<string, unknown> & { version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
interface Lock { packages: Record<string, LockEntry> }

/** Where node would find `name` required from the package at lock path `from` (`''` is the root). */
function resolveIn(lock: Lock, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i === -1 ? '' : dir.slice(0, i);
  }
}

/** The registry's tarball address of `name@version` (`@scope/name` → `@scope/name/-/name-1.0.0.tgz`). */
function tarballUrl(registry: string, name: string, version: string): string {
  return `${registry.replace(/\/?$/, '/')}${name}/-/${name.replace(/^@[^/]+\//, '')}-${version}.tgz`;
}

/**
 * A package-lock for a fresh app, taken from this repository's lock: the app's dependencies are a subset of ours
 * (the packed library, its dependencies and peers), so every tarball `npm ci` needs is one our own `npm ci` put in
 * npm's cache, and `npm ci --offline` installs without a registry. `aliases` maps an app dependency name to the
 * lock path whose package should be installed under it (the lowest supported ros-cdk-core, locked by alias).
 */
export function offlineAppLock(
  app: { name: string; dependencies: Record<string, string> },
  library: { name: string; tarball: string; integrity: string },
  registry: string,
  aliases: Record<string, string> = {},
): object {
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const out: Record<string, LockEntry> = {
    '': { name: app.name, version: '1.0.0', dependencies: app.dependencies },
    [`node_modules/${library.name}`]: {
      version: pkg.version,
      resolved: `file:${library.tarball}`,
      integrity: library.integrity,
      license: pkg.license,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  // Copy a locked package and the packages nested below it to a new lock path; remember where each came from.
  const sourceOf = new Map<string, string>([[`node_modules/${library.name}`, '']]);
  const queue: string[] = [`node_modules/${library.name}`];
  const place = (source: string, target: string) => {
    for (const [key, entry] of Object.entries(ours.packages)) {
      if (key !== source && !key.startsWith(`${source}/node_modules/`)) continue;
      const copy: LockEntry = { ...entry };
      for (const flag of ['dev', 'devOptional', 'peer', 'name']) delete copy[flag];
      // Our lock omits `resolved`; without it npm asks the registry for each package's metadata, which no
      // offline cache is sure to hold. The tarball address is the registry's own, from the real package name.
      if (!copy.inBundle && copy.resolved === undefined) copy.resolved = tarballUrl(registry, String(entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 13)), String(entry.version));
      const at = target + key.slice(source.length);
      out[at] = copy;
      sourceOf.set(at, key);
      queue.push(at);
    }
  };
  for (const name of Object.keys(app.dependencies)) {
    if (name === library.name) continue;
    const source = aliases[name] ?? resolveIn(ours, '', name);
    if (source === undefined) throw new Error(`${name} is not in package-lock.json, so no offline install can have it`);
    place(source, `node_modules/${name}`);
  }
  // Walk what the placed packages require, as node resolves it in the app's tree, pulling each from our lock.
  while (queue.length > 0) {
    const at = queue.shift()!;
    const entry = out[at];
    // npm (7+) installs peers too, so they are in the tree it expects.
    const wanted = { ...entry.peerDependencies, ...entry.dependencies, ...entry.optionalDependencies };
    for (const name of Object.keys(wanted)) {
      if (resolveIn({ packages: out }, at, name) !== undefined) continue;
      const source = resolveIn(ours, sourceOf.get(at)!, name);
      if (source === undefined) {
        const meta = (entry.peerDependenciesMeta ?? {}) as Record<string, { optional?: boolean }>;
        if (entry.optionalDependencies?.[name] !== undefined || meta[name]?.optional) continue;
        throw new Error(`${at} requires ${name}, which package-lock.json does not hold`);
      }
      place(source, `node_modules/${name}`);
    }
  }
  return { name: app.name, version: '1.0.0', lockfileVersion: 3, requires: true, packages: out };
}
