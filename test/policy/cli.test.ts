import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandIo, policyReportCommand } from '../../lib/policy';
import { FIXTURES, NOW } from './support';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CommandIo & { out: () => string; err: () => string } = {
    stdout: (t) => out.push(t), stderr: (t) => err.push(t), now: () => NOW,
    out: () => out.join(''), err: () => err.join(''),
  };
  return value;
}

const BROAD = path.join(FIXTURES, 'assembly');

function cleanAssembly(): string {
  // GIVEN a directory of templates with nothing to report (a compliant rule fixture)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-cli-'));
  fs.copyFileSync(path.join(FIXTURES, 'rules', 'iprod-ram-001', 'compliant.template.json'), path.join(dir, 'Clean.template.json'));
  return dir;
}

function warningOnlyAssembly(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-cli-'));
  fs.copyFileSync(path.join(FIXTURES, 'rules', 'iprod-fc-001', 'noncompliant.template.json'), path.join(dir, 'Warn.template.json'));
  return dir;
}

describe('policy-report exit codes', () => {
  it.each([
    ['errors at the default threshold', () => [BROAD], 1],
    ['a clean assembly', () => [cleanAssembly()], 0],
    ['warnings only, default threshold error', () => [warningOnlyAssembly()], 0],
    ['warnings only, --fail-on warning', () => [warningOnlyAssembly(), '--fail-on', 'warning'], 1],
    ['warnings only, --fail-on=warning', () => [warningOnlyAssembly(), '--fail-on=warning'], 1],
    ['--help', () => ['--help'], 0],
  ])('%s → %i', async (_label, argv, code) => {
    const t = io();
    expect(await policyReportCommand(argv(), t)).toBe(code);
  });

  it.each([
    [['--format', 'html'], /--format must be one of md, json, sarif, got "html"/],
    [['--fail-on', 'critical'], /--fail-on must be one of error, warning, info, got "critical"/],
    [['--output'], /--output needs a value/],
    [['--verbose'], /unknown option "--verbose"/],
    [['a', 'b'], /only one directory can be reviewed, got "a" and "b"/],
    [[path.join(os.tmpdir(), 'iprod-no-such-dir')], /does not exist: run `npm run synth` first/],
  ])('usage error %j → 2 with a message saying what to fix', async (argv, message) => {
    const t = io();
    expect(await policyReportCommand(argv, t)).toBe(2);
    expect(t.err()).toMatch(message);
    expect(t.out()).toBe('');
  });

  it('rejects an unreadable template with exit code 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-cli-'));
    fs.writeFileSync(path.join(dir, 'Broken.template.json'), '{ "Resources": ');
    const t = io();
    expect(await policyReportCommand([dir], t)).toBe(2);
    expect(t.err()).toMatch(/Broken\.template\.json is not valid JSON/);
  });

  it('defaults to cdk.out in the working directory', async () => {
    const cwd = process.cwd();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-cli-'));
    fs.cpSync(BROAD, path.join(dir, 'cdk.out'), { recursive: true });
    try {
      process.chdir(dir);
      const t = io();
      expect(await policyReportCommand([], t)).toBe(1);
      expect(t.out()).toMatch(/^# Policy review/);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('policy-report output', () => {
  it.each([
    ['md', (s: string) => expect(s).toMatch(/^# Policy review\n/)],
    ['json', (s: string) => expect(JSON.parse(s).version).toBe(1)],
    ['sarif', (s: string) => expect(JSON.parse(s).version).toBe('2.1.0')],
  ])('--format %s writes that format to stdout', async (format, check) => {
    const t = io();
    await policyReportCommand([BROAD, '--format', format], t);
    check(t.out());
    // oss:* on * draws the wildcard (RAM-002) and, since it includes PutBucketAcl/PutBucketPolicy, permission
    // management (RAM-009); RAM-003 is suppressed in the fixture.
    expect(t.err()).toMatch(/3 error\(s\), 0 warning\(s\), 0 info, 1 suppressed; 3 at or above --fail-on error/);
  });

  it('--output writes the report to a file (creating its directory) and keeps stdout empty', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-cli-')), 'reports', 'policy.sarif');
    const t = io();
    expect(await policyReportCommand([BROAD, '--format', 'sarif', '--output', file], t)).toBe(1);
    expect(t.out()).toBe('');
    const results = JSON.parse(fs.readFileSync(file, 'utf8')).runs[0].results;
    expect(results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['IPROD-OSS-001', 'IPROD-RAM-002', 'IPROD-RAM-003', 'IPROD-RAM-009']);
    // Code scanning resolves URIs against the checkout: the assembly directory (inside the cwd) is prefixed.
    expect(path.resolve(results[0].locations[0].physicalLocation.artifactLocation.uri)).toBe(path.join(BROAD, 'Broad.template.json'));
    expect(results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(`${path.relative(process.cwd(), BROAD).split(path.sep).join('/')}/Broad.template.json`);
    expect(t.err()).toContain(`report written to ${file}`);
  });

  it('uses the injected clock: an expired suppression no longer hides its finding', async () => {
    const t = io();
    t.now = () => new Date('2027-01-01T00:00:00Z');
    await policyReportCommand([BROAD, '--format', 'json'], t);
    const json = JSON.parse(t.out());
    expect(json.summary).toEqual({ error: 4, warning: 1, info: 0, suppressed: 0 });
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('IPROD-SUP-002');
  });
});
