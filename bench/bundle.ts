/**
 * Figure 3, the bundle: size of dist/bundle/runtime.zip and the handler's cold init in a fresh Node process,
 * beside an empty handler file loaded the same way.
 */
import * as fs from 'fs';
import * as path from 'path';
import { unzipSync, zipSync } from 'fflate';
import { ROOT, runNode, lastJsonLine } from './child';
import { summarize, Summary } from './stats';

export const ZIP_PATH = path.join(ROOT, 'dist', 'bundle', 'runtime.zip');

/**
 * The probe a fresh child runs: hrtime around `require(index.js)` until `handler` is a function.
 * Plain JS so the child needs nothing but node.
 */
const PROBE = `'use strict';
const t0 = process.hrtime.bigint();
const mod = require(process.argv[2]);
if (typeof mod.handler !== 'function') { console.error('no handler export in ' + process.argv[2]); process.exit(2); }
const t1 = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ initMs: Number(t1 - t0) / 1e6 }) + '\\n');
`;

const EMPTY_HANDLER = `'use strict';\nexports.handler = async (event, context) => ({});\n`;

export interface ColdInit {
  /** Inside the child: from the start of require() to the handler export being ready. */
  readonly initMs: Summary;
  /** In the parent: the whole spawn of `node probe.js index.js` until exit. */
  readonly spawnMs: Summary;
}

export interface BundleFigures {
  readonly zipBytes: number;
  readonly indexJsBytes: number;
  readonly coldInit: ColdInit;
  readonly emptyColdInit: ColdInit;
  /** The same runtime shipped unbundled: its dependency closure as node_modules, zipped. */
  readonly nodeModulesZip: { bytes: number; packages: number; files: number };
}

/** Unzips the runtime bundle as FC would (into a directory of its own) and returns the index.js path. */
export function unzipBundle(zipPath: string, dir: string): string {
  const files = unzipSync(new Uint8Array(fs.readFileSync(zipPath)));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) {
    const target = path.join(dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
  }
  const index = path.join(dir, 'index.js');
  if (!fs.existsSync(index)) throw new Error(`${zipPath} holds no index.js (entries: ${Object.keys(files).join(', ')})`);
  return index;
}

async function coldInitOnce(probe: string, entry: string): Promise<{ initMs: number; spawnMs: number }> {
  // cwd is the bundle's own directory, outside the package: the bundle must stand alone as it does on FC.
  const r = await runNode([probe, entry], { cwd: path.dirname(entry), timeoutMs: 30_000 });
  return { initMs: lastJsonLine<{ initMs: number }>(r, `cold init of ${entry}`).initMs, spawnMs: r.wallMs };
}

/** Alternates baseline and ours so that load from other processes on the machine hits both alike. */
async function coldInitPair(probe: string, ours: string, baseline: string, runs: number): Promise<[ColdInit, ColdInit]> {
  const samples = { ours: { init: [] as number[], spawn: [] as number[] }, base: { init: [] as number[], spawn: [] as number[] } };
  for (let i = 0; i < runs; i++) {
    const b = await coldInitOnce(probe, baseline);
    samples.base.init.push(b.initMs);
    samples.base.spawn.push(b.spawnMs);
    const o = await coldInitOnce(probe, ours);
    samples.ours.init.push(o.initMs);
    samples.ours.spawn.push(o.spawnMs);
  }
  const pack = (s: { init: number[]; spawn: number[] }): ColdInit => ({ initMs: summarize(s.init), spawnMs: summarize(s.spawn) });
  return [pack(samples.ours), pack(samples.base)];
}

export async function measureBundle(runs: number, scratch: string): Promise<BundleFigures> {
  if (!fs.existsSync(ZIP_PATH)) throw new Error(`${ZIP_PATH} not found: npm run bench runs npm run bundle first`);
  const zipBytes = fs.statSync(ZIP_PATH).size;
  const index = unzipBundle(ZIP_PATH, path.join(scratch, 'runtime'));
  const emptyDir = path.join(scratch, 'empty');
  fs.mkdirSync(emptyDir, { recursive: true });
  const empty = path.join(emptyDir, 'index.js');
  fs.writeFileSync(empty, EMPTY_HANDLER);
  const probe = path.join(scratch, 'probe.js');
  fs.writeFileSync(probe, PROBE);
  const [ours, emptyColdInit] = await coldInitPair(probe, index, empty, runs);
  return { zipBytes, indexJsBytes: fs.statSync(index).size, coldInit: ours, emptyColdInit, nodeModulesZip: nodeModulesZipBytes() };
}

/** The packages the handler needs at run time; without a bundler they would ship as node_modules. */
export const RUNTIME_PACKAGES = ['@alicloud/openapi-client', '@alicloud/credentials'];

/**
 * Baseline for the zip: the runtime packages' production dependency closure (every file of each package, as
 * `npm install --omit=dev` would lay it out), zipped at the same level as our bundle.
 */
export function nodeModulesZipBytes(packages: readonly string[] = RUNTIME_PACKAGES): { bytes: number; packages: number; files: number } {
  const seen = new Map<string, string>();
  const visit = (name: string, fromDir: string): void => {
    if (seen.has(name)) return;
    let pkgJson: string;
    try {
      pkgJson = require.resolve(`${name}/package.json`, { paths: [fromDir] });
    } catch {
      // Packages whose exports hide package.json: find the directory by walking node_modules.
      const candidate = path.join(ROOT, 'node_modules', name, 'package.json');
      if (!fs.existsSync(candidate)) return;
      pkgJson = candidate;
    }
    const dir = path.dirname(pkgJson);
    seen.set(name, dir);
    const deps = Object.keys(JSON.parse(fs.readFileSync(pkgJson, 'utf8')).dependencies ?? {});
    for (const d of deps) visit(d, dir);
  };
  for (const p of packages) visit(p, ROOT);
  const files: Record<string, Uint8Array> = {};
  let count = 0;
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, `${prefix}/${entry.name}`);
      else if (entry.isFile()) {
        files[`${prefix}/${entry.name}`] = new Uint8Array(fs.readFileSync(full));
        count++;
      }
    }
  };
  for (const [name, dir] of seen) walk(dir, `node_modules/${name}`);
  const mtime = new Date(Date.UTC(1980, 0, 1));
  const zip = zipSync(files, { level: 9, mtime });
  return { bytes: zip.length, packages: seen.size, files: count };
}
