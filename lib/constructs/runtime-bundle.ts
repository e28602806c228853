/** @internal Plumbing of the constructs: shared inside lib/, not exported from the package root (lib/index.ts). */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { strToU8, unzipSync, zipSync } from 'fflate';

/** The runtime bundle the constructs embed: the zipped FC handler built by `npm run bundle`. */
export interface RuntimeBundle {
  /** Absolute path of the zip on disk. */
  readonly zipPath: string;
  /** The zip, base64-encoded, as `Code.ZipFile` takes it. */
  readonly zipBase64: string;
  /** Size of the zip in bytes. */
  readonly zipBytes: number;
  /** Hex SHA-256 of the zip; changes whenever the handler's code does. */
  readonly sha256: string;
}

let cached: RuntimeBundle | undefined;

/** Finds the package root by walking up from this file (works from lib/ under ts-node and from dist/lib/). */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'ros-cdk-iproduction') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ros-cdk-iproduction package root above ${__dirname}`);
    dir = parent;
  }
}

/** Reads dist/bundle/runtime.zip. Throws an actionable error when it has not been built. */
export function loadRuntimeBundle(): RuntimeBundle {
  if (cached) return cached;
  const zipPath = path.join(packageRoot(), 'dist', 'bundle', 'runtime.zip');
  if (!fs.existsSync(zipPath)) {
    throw new Error(`runtime bundle not found at ${zipPath}: run \`npm run bundle\` (or \`npm run build\`) first`);
  }
  const zip = fs.readFileSync(zipPath);
  cached = {
    zipPath,
    zipBase64: zip.toString('base64'),
    zipBytes: zip.length,
    sha256: crypto.createHash('sha256').update(zip).digest('hex'),
  };
  return cached;
}

/**
 * The one timestamp every zip entry carries (the bundle's and a rebuilt package's): 1980-01-01 00:00:00, the earliest
 * DOS date a zip can hold. A DOS date has no time zone, and fflate fills it from the Date's *local* fields
 * (getFullYear, getHours, ...): a UTC instant would read as 1979-12-31 west of UTC (fflate refuses it) and as a
 * different hour in every zone east of it (different zip, template and asset hash per office). So the Date is built
 * from local fields, which read back the same in every zone; if some zone had no local midnight that day, fail rather
 * than drift.
 */
export function zipEpoch(): Date {
  const d = new Date(1980, 0, 1, 0, 0, 0);
  const fields = [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  if (fields.join() !== '1980,0,1,0,0,0') {
    throw new Error(`zip timestamp: 1980-01-01 00:00:00 does not exist as local time in TZ=${process.env.TZ ?? '(system)'}, got ${fields.join()}`);
  }
  return d;
}

/**
 * The bundle with `files` added next to `index.js` (base64, as `Code.ZipFile` takes it). Deterministic: entries in
 * name order, fixed dates, so the same files give the same package on every synth. For data the function reads that
 * does not fit its environment (presets).
 */
export function bundleWithFiles(files: Readonly<Record<string, string>>): { zipBase64: string; zipBytes: number } {
  const entries: Record<string, Uint8Array> = { ...unzipSync(new Uint8Array(fs.readFileSync(loadRuntimeBundle().zipPath))) };
  for (const [name, text] of Object.entries(files)) {
    if (Object.prototype.hasOwnProperty.call(entries, name)) throw new Error(`bundleWithFiles: ${name} is already in the runtime bundle`);
    entries[name] = strToU8(text);
  }
  const mtime = zipEpoch();
  const ordered: Record<string, [Uint8Array, { mtime: Date; level: 9 }]> = {};
  for (const name of Object.keys(entries).sort()) ordered[name] = [entries[name], { mtime, level: 9 }];
  const zip = zipSync(ordered, { mtime });
  return { zipBase64: Buffer.from(zip).toString('base64'), zipBytes: zip.length };
}
