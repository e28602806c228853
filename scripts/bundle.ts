/**
 * Bundles the FC handler (lib/runtime/handler.ts) into one file with esbuild, zips it deterministically
 * (fixed timestamps, fixed entry order) and writes dist/bundle/runtime.zip. The constructs embed that file.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import { buildSync } from 'esbuild';
import { zipSync } from 'fflate';
import { zipEpoch } from '../lib/constructs/runtime-bundle';

const root = path.resolve(__dirname, '..');

// `--outdir DIR` lets tests build a fresh bundle without touching the one other tests are reading.
const outdirArg = process.argv.indexOf('--outdir');
if (outdirArg !== -1 && !process.argv[outdirArg + 1]) throw new Error('--outdir needs a directory, got nothing');
const outDir = outdirArg === -1 ? path.join(root, 'dist', 'bundle') : path.resolve(process.argv[outdirArg + 1]);
fs.mkdirSync(outDir, { recursive: true });
// `--entry FILE` bundles another runtime module the same way (tests prove SDK-heavy modules survive bundling).
const entryArg = process.argv.indexOf('--entry');
if (entryArg !== -1 && !process.argv[entryArg + 1]) throw new Error('--entry needs a file, got nothing');
const entry = entryArg === -1 ? path.join(root, 'lib', 'runtime', 'handler.ts') : path.resolve(process.argv[entryArg + 1]);

const result = buildSync({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  write: false,
  outfile: 'index.js',
  logLevel: 'error',
  metafile: true,
  // Nothing is external: FC runs the zip without node_modules, so the SDK and everything it requires ride along.
  // Measured: the SDK brings about 60 KB of zip (credentials, xml2js/xmlbuilder for XML answers); none of it
  // is optional at load time, and the total stays well under the 160 KB goal.
});
// esbuild marks the whole ESM-derived bundle "use strict". tablestore 5.6.5 assigns to undeclared names
// (`for (key in ...)`, `size = ...`, `pro`, `sub`), which Node's sloppy CommonJS turns into globals and strict mode
// turns into ReferenceErrors. Dropping that one leading directive gives each bundled module back the mode it declares
// itself (esbuild keeps every module's own "use strict" inside its wrapper).
const built = Buffer.from(result.outputFiles[0].contents);
const STRICT = Buffer.from('"use strict";');
const js = built.subarray(0, STRICT.length).equals(STRICT) ? built.subarray(STRICT.length) : built;
const mtime = zipEpoch();
const zip = zipSync({ 'index.js': [js, { mtime, level: 9 }] }, { mtime });
fs.writeFileSync(path.join(outDir, 'index.js'), js);
fs.writeFileSync(path.join(outDir, 'runtime.zip'), zip);
const sha256 = crypto.createHash('sha256').update(zip).digest('hex');
const b64 = Buffer.from(zip).toString('base64').length;
if (process.argv.includes('--analyze')) {
  const perPackage = new Map<string, number>();
  for (const [file, info] of Object.entries(result.metafile.outputs['index.js']?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1] : file.split('/').slice(0, 2).join('/');
    perPackage.set(key, (perPackage.get(key) ?? 0) + info.bytesInOutput);
  }
  for (const [pkg, bytes] of [...perPackage].sort((a, b) => b[1] - a[1])) console.log(`${String(bytes).padStart(8)} B  ${pkg}`);
}
console.log(`runtime bundle: index.js ${js.length} B, runtime.zip ${zip.length} B (base64 ${b64} B), sha256 ${sha256.slice(0, 12)}`);
