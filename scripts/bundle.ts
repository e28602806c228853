/**
 * Bundles the FC handler (lib/runtime/handler.ts) into one file with esbuild, zips it deterministically
 * (fixed timestamps, fixed entry order) and writes dist/bundle/runtime.zip. The constructs embed that file.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import { buildSync } from 'esbuild';
import { zipSync } from 'fflate';

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist', 'bundle');
fs.mkdirSync(outDir, { recursive: true });

const result = buildSync({
  entryPoints: [path.join(root, 'lib', 'runtime', 'handler.ts')],
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  write: false,
  outfile: 'index.js',
  logLevel: 'error',
});
const js = result.outputFiles[0].contents;
// 1980-01-01 is the earliest DOS date a zip can hold; a fixed date keeps the archive byte-identical.
const mtime = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
const zip = zipSync({ 'index.js': [js, { mtime, level: 9 }] }, { mtime });
fs.writeFileSync(path.join(outDir, 'index.js'), js);
fs.writeFileSync(path.join(outDir, 'runtime.zip'), zip);
const sha256 = crypto.createHash('sha256').update(zip).digest('hex');
const b64 = Buffer.from(zip).toString('base64').length;
console.log(`runtime bundle: index.js ${js.length} B, runtime.zip ${zip.length} B (base64 ${b64} B), sha256 ${sha256.slice(0, 12)}`);
