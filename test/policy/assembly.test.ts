import * as ros from '@alicloud/ros-cdk-core';
import * as ram from '@alicloud/ros-cdk-ram';
import * as oss from '@alicloud/ros-cdk-oss';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AssemblyReadError, loadAssembly, renderSarif, reviewAssembly } from '../../lib/policy';
import { NOW } from './support';

/** Synthesizes a tiny stack with the official ROS CDK packages, the way a user's app would. */
function synthOfficial(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-asm-'));
  const app = new ros.App({ outdir: dir });
  const stack = new ros.Stack(app, 'Official', { env: { region: 'cn-hangzhou' } });
  const role = new ram.Role(stack, 'Worker', {
    roleName: 'official-worker',
    assumeRolePolicyDocument: { version: '1', statement: [{ action: 'sts:AssumeRole', effect: 'Allow', principal: { service: ['fc.aliyuncs.com'] } }] },
    policyAttachments: { system: ['AliyunICEReadOnlyAccess'] },
  });
  const bucket = new oss.Bucket(stack, 'Media', { bucketName: 'official-media' });
  new ram.ManagedPolicy(stack, 'Grants', {
    policyName: 'official-worker-grants',
    policyDocument: {
      version: '1',
      statement: [
        { effect: 'Allow', action: ['ice:SubmitIProductionJob'], resource: ['*'] },
        { effect: 'Allow', action: ['oss:GetObject'], resource: [ros.Fn.join('', ['acs:oss:*:', ros.RosPseudo.accountId, ':', bucket.attrName, '/in/*'])] },
      ],
    },
    roles: [role.attrRoleName],
  });
  app.synth();
  return dir;
}

describe('reading a cloud assembly synthesized by ROS CDK', () => {
  const dir = synthOfficial();

  it('finds the stack template through manifest.json', () => {
    const [t] = loadAssembly(dir);
    expect(t.stackName).toBe('Official');
    expect(t.templateFile).toBe('Official.template.json');
    expect(Object.keys(t.template.Resources!).sort()).toEqual(['Grants', 'Media', 'Worker']);
  });

  it('takes construct paths from the manifest metadata', () => {
        // ROS CDK's L2s name their L1 child after themselves (Worker/Worker), not 'Resource'.
    expect(loadAssembly(dir)[0].constructPaths).toMatchObject({ Grants: 'Official/Grants/Grants', Media: 'Official/Media/Media', Worker: 'Official/Worker/Worker' });
  });

  it('resolves the principal, its system policies and the intrinsic ARN', () => {
    const review = reviewAssembly(dir, { now: () => NOW });
    expect(review.principals).toEqual([{
      kind: 'role', name: 'official-worker', logicalId: 'Worker', stackName: 'Official',
      trustedBy: ['Service: fc.aliyuncs.com'], systemPolicies: ['AliyunICEReadOnlyAccess'],
      permissions: [
        { effect: 'Allow', actions: ['ice:SubmitIProductionJob'], resources: ['*'], source: 'Resources.Grants.Properties.PolicyDocument.Statement[0]' },
        { effect: 'Allow', actions: ['oss:GetObject'], resources: ['acs:oss:*:${ALIYUN::AccountId}:official-media/in/*'], source: 'Resources.Grants.Properties.PolicyDocument.Statement[1]' },
      ],
    }]);
  });

  it('reports the ROS CDK default bucket (no TLS Deny, no encryption, no access logs) and nothing about the tight grants', () => {
    const review = reviewAssembly(dir, { now: () => NOW });
    expect(review.findings.map((f) => [f.ruleId, f.logicalId, f.constructPath])).toEqual([
      ['IPROD-OSS-001', 'Media', 'Official/Media/Media'],
      ['IPROD-OSS-004', 'Media', 'Official/Media/Media'],
      ['IPROD-OSS-005', 'Media', 'Official/Media/Media'],
    ]);
  });

  it('gives every SARIF result a line inside the template file', () => {
    const text = fs.readFileSync(path.join(dir, 'Official.template.json'), 'utf8').split('\n');
    const sarif = JSON.parse(renderSarif(reviewAssembly(dir, { now: () => NOW })));
    for (const r of sarif.runs[0].results) {
      const line = r.locations[0].physicalLocation.region.startLine;
      expect(line).toBeGreaterThan(0);
      expect(line).toBeLessThanOrEqual(text.length);
    }
  });

  it('reviews nested assemblies (stages) with paths relative to the top directory', () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-asm-'));
    fs.cpSync(dir, path.join(top, 'assembly-Prod'), { recursive: true });
    fs.writeFileSync(path.join(top, 'manifest.json'), JSON.stringify({
      version: '7.0.0', artifacts: { Prod: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } } },
    }));
    expect(loadAssembly(top).map((t) => t.templateFile)).toEqual(['assembly-Prod/Official.template.json']);
  });

  it('says what to do when the directory holds no assembly', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-asm-'));
    expect(() => loadAssembly(empty)).toThrow(AssemblyReadError);
    expect(() => loadAssembly(empty)).toThrow(/no manifest.json and no \*\.template\.json: run `npm run synth` first/);
  });
});
