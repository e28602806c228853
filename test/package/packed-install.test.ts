import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTree, ROOT, treeDifferences, zoneEnv } from '../support/checkout';
import { docBlocks, docExamples, squash } from '../support/doc-examples';
import { offlineAppLock } from '../support/offline-app';

/**
 * The package as an app team gets it: `npm pack`, installed into a fresh app with `npm ci --offline` (every tarball
 * comes from npm's cache, which our own `npm ci` filled), on the lowest ros-cdk-core the peer range allows.
 */
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const LOWEST_CORE = '1.11.0';
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const ZONES = [
  ['America/Los_Angeles', 'en_US.UTF-8'],
  ['Pacific/Chatham', 'tr_TR.UTF-8'],
  ['Asia/Kolkata', 'de_DE.UTF-8'],
] as const;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout: 240_000, maxBuffer: 32 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** An app of two stacks with one namePrefix in two regions: what the name check is for. */
const COLLIDING_APP = `import * as ros from '@alicloud/ros-cdk-core';
import { IntelligentProductionStack } from 'ros-cdk-iproduction';

const app = new ros.App({ outdir: 'cdk.out', stackTraces: false });
new IntelligentProductionStack(app, 'Shanghai', { env: { region: 'cn-shanghai' }, namePrefix: 'acme-media', functions: ['Cover'] });
new IntelligentProductionStack(app, 'Beijing', { env: { region: 'cn-beijing' }, namePrefix: 'acme-media', functions: ['Cover'] });
app.synth();
`;

/** An app team's own test, on node's test runner, against the endpoint the package ships. */
const APP_TEST = `import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { IProductionClient } from 'ros-cdk-iproduction';
import { startLocalIce } from 'ros-cdk-iproduction/testing';

test('our submit reaches Success on the local endpoint, and a wrong secret is refused', async () => {
  const ice = await startLocalIce({ timing: { queuingMs: 10, runningMs: 20 } });
  try {
    const options = { region: 'cn-shanghai', endpoint: ice.endpoint, protocol: 'http' as const };
    const client = new IProductionClient({ ...options, credential: { accessKeyId: ice.accessKeyId, accessKeySecret: ice.accessKeySecret } });
    const { JobId } = await client.submitIProductionJob({
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: 'oss://acme-media-input/input/a.mp4' },
      Output: { Type: 'OSS', Media: 'oss://acme-media-output/output/{sequenceId}.jpg' },
    });
    const job = await client.waitForIProductionJob(JobId, { initialDelayMs: 10 });
    assert.equal(job.Status, 'Success');
    const forged = new IProductionClient({ ...options, credential: { accessKeyId: ice.accessKeyId, accessKeySecret: 'wrong' } });
    await assert.rejects(forged.queryIProductionJob(JobId), (e: any) => e.code === 'SignatureDoesNotMatch' || /SignatureDoesNotMatch/.test(String(e)));
  } finally {
    await ice.close();
  }
});
`;

describe('the packed package in a fresh app, installed offline', () => {
  let tmp: string;
  let app: string;
  let packed: { filename: string; size: number; unpackedSize: number; integrity: string; files: { path: string }[] };
  let readme: ReturnType<typeof docExamples>;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-packed-'));
    app = path.join(tmp, 'fresh-app');
    fs.mkdirSync(path.join(app, 'src'), { recursive: true });
    // GIVEN the tarball `npm pack` makes of the built package (npm test builds first)
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', app], ROOT);
    if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    packed = JSON.parse(pack.stdout)[0];
    // AND an app that depends on it and on its peers, ros-cdk-core at the lowest supported version
    const dependencies: Record<string, string> = {
      'ros-cdk-iproduction': `file:${packed.filename}`,
      ...PKG.peerDependencies,
      '@alicloud/ros-cdk-core': LOWEST_CORE,
      '@types/node': PKG.devDependencies['@types/node'],
    };
    const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
    const lock = offlineAppLock({ name: 'fresh-app', dependencies }, { name: PKG.name, tarball: packed.filename, integrity: packed.integrity }, registry, {
      '@alicloud/ros-cdk-core': 'node_modules/ros-cdk-core-lowest',
    });
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true, dependencies }, null, 2));
    fs.writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
    // WHEN it installs with no registry to ask
    const install = await run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], app);
    if (install.code !== 0) throw new Error(`npm ci --offline failed: ${install.stderr}`);
    // AND the README's TypeScript examples, as the installed package's README has them, plus an app of our own and a test
    readme = docExamples(path.join(app, 'node_modules', PKG.name, 'README.md'));
    readme.forEach((ex, i) => fs.writeFileSync(path.join(app, 'src', `readme-${i + 1}.ts`), ex.code));
    // Every other doc example of the installed package too: compiled here against the install (test/docs runs them).
    const installed = path.join(app, 'node_modules', PKG.name);
    docBlocks(installed).filter((b) => b.doc !== 'README.md').forEach((b) =>
      fs.writeFileSync(path.join(app, 'src', `doc-${b.doc.slice(5, -3).toLowerCase()}-${b.ordinal}.ts`), b.code));
    fs.writeFileSync(path.join(app, 'src', 'colliding-app.ts'), COLLIDING_APP);
    fs.writeFileSync(path.join(app, 'src', 'app.test.ts'), APP_TEST);
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2020', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'], moduleDetection: 'force', rootDir: 'src', outDir: 'build' },
      include: ['src'],
    }));
  }, 300_000);

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('ships the entry points, docs, bundle and LICENSE it references, and installs one ros-cdk-core, the lowest supported', () => {
    // THEN
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'dist/lib/index.js', 'dist/lib/testing/index.js', 'dist/lib/testing/index.d.ts', 'dist/bundle/runtime.zip', 'docs/local-endpoint.md']));
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('lib/'))).toEqual([]);
    expect(PKG.license).toBe('Apache-2.0');
    expect(fs.readFileSync(path.join(app, 'node_modules', PKG.name, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    const cores = execFileSync('find', ['node_modules', '-path', '*/@alicloud/ros-cdk-core/package.json'], { cwd: app, encoding: 'utf8' }).trim().split('\n');
    expect(cores).toEqual(['node_modules/@alicloud/ros-cdk-core/package.json']);
    expect(JSON.parse(fs.readFileSync(path.join(app, cores[0]), 'utf8')).version).toBe(LOWEST_CORE);
    console.log(`tarball ${packed.filename}: ${packed.size} B packed, ${packed.unpackedSize} B unpacked, ${files.length} files`);
  });

  it('the deep paths its docs import (the CLI main, the handler module) resolve in the install', async () => {
    // WHEN
    const result = await run(process.execPath, ['-e', "require('ros-cdk-iproduction/dist/bin/iprod'); require('ros-cdk-iproduction/dist/lib/runtime/handler')"], app);
    // THEN
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('every relative link of its README and docs points at a file inside the package', () => {
    // GIVEN
    const root = path.join(app, 'node_modules', PKG.name);
    const docs = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).map((f) => `docs/${f}`)];
    // WHEN
    const broken = docs.flatMap((doc) =>
      [...fs.readFileSync(path.join(root, doc), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
        .map((m) => m[1])
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => !fs.existsSync(path.join(root, path.dirname(doc), target)))
        .map((target) => `${doc} -> ${target}`));
    // THEN
    expect(broken).toEqual([]);
  });

  describe('compiled with tsc against the installed package', () => {
    let compiled: { code: number; stdout: string };

    beforeAll(async () => {
      compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
    }, 120_000);

    it('THEN the README and docs examples, the app and its test compile', () => {
      // The README keeps two examples (the five-line app, a client on the local endpoint); the others live in docs/,
      // compiled here against the install and run by test/docs.
      expect(readme.map((ex) => ex.code.includes('new IntelligentProductionStack(') || ex.code.includes('new IProductionClient('))).toEqual([true, true]);
      expect({ code: compiled.code, errors: compiled.stdout }).toEqual({ code: 0, errors: '' });
    });

    it('THEN every README example runs as written and prints what its comments say', async () => {
      for (const [i, ex] of readme.entries()) {
        const cwd = fs.mkdtempSync(path.join(tmp, `readme-${i + 1}-`));
        const result = await run(process.execPath, [path.join(app, 'build', `readme-${i + 1}.js`)], cwd);
        expect({ example: i + 1, code: result.code, stderr: result.stderr, printed: squash(result.stdout) }).toEqual({
          example: i + 1, code: 0, stderr: '', printed: squash(ex.expected.join(' ')),
        });
      }
    }, 120_000);

    it('THEN the README five-line app synthesizes to identical bytes in three time zones', async () => {
      // GIVEN the example that synthesizes a whole stack into ./cdk.out
      const index = readme.findIndex((ex) => ex.code.includes('new IntelligentProductionStack('));
      expect(index).toBeGreaterThanOrEqual(0);
      // WHEN it runs in three zones and locales, each in its own directory
      const trees = await Promise.all(ZONES.map(async ([tz, locale]) => {
        const cwd = fs.mkdtempSync(path.join(tmp, `${tz.replace('/', '-')}-`));
        const result = await run(process.execPath, [path.join(app, 'build', `readme-${index + 1}.js`)], cwd, zoneEnv(tz, locale));
        expect({ tz, code: result.code, stderr: result.stderr }).toEqual({ tz, code: 0, stderr: '' });
        return readTree(path.join(cwd, 'cdk.out'));
      }));
      // THEN
      expect([...trees[0].keys()]).toContain('Media.template.json');
      expect(trees.slice(1).map((t) => treeDifferences(trees[0], t))).toEqual([[], []]);
    }, 120_000);

    it('THEN an app of two stacks with one namePrefix fails synth naming the bucket and both constructs', async () => {
      // WHEN
      const result = await run(process.execPath, [path.join(app, 'build', 'colliding-app.js')], fs.mkdtempSync(path.join(tmp, 'collide-')));
      // THEN
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        'OSS bucket name "acme-media-input" must be unique across all Alibaba Cloud accounts but is created by both Shanghai/Production/Input/ProductionInput',
      );
      expect(result.stderr).toMatch(/RAM role name "acme-media-runtime" must be unique within an account/);
    });

    it("THEN the app team's own test passes against the shipped local endpoint", async () => {
      // WHEN
      const result = await run(process.execPath, ['--test', path.join('build', 'app.test.js')], app);
      // THEN
      expect({ code: result.code, out: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual({ code: 0, out: '' });
      expect(result.stdout).toMatch(/# pass 1\b/);
    });
  });
});
