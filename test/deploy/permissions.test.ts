import { diffPermissions, permissionsOf, renderPermissionChanges } from '../../lib/deploy/permissions';

const trust = (...services: string[]) => ({
  Version: '1',
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: services } }],
});

function template(props: { services?: string[]; statements?: unknown[]; system?: string[]; bucketStatements?: unknown[] }): any {
  return {
    ROSTemplateFormatVersion: '2015-09-01',
    Resources: {
      Role: {
        Type: 'ALIYUN::RAM::Role',
        Properties: {
          RoleName: 'iprod-app',
          AssumeRolePolicyDocument: trust(...(props.services ?? ['fc.aliyuncs.com'])),
          ...(props.system ? { PolicyAttachments: { System: props.system } } : {}),
          Policies: [{ PolicyName: 'iprod-app-inline', PolicyDocument: { Version: '1', Statement: props.statements ?? [] } }],
        },
      },
      Bucket: {
        Type: 'ALIYUN::OSS::Bucket',
        Properties: { BucketName: 'iprod-app-bucket', ...(props.bucketStatements ? { Policy: { Version: '1', Statement: props.bucketStatements } } : {}) },
      },
    },
  };
}

const change = (before: any, after: any) => diffPermissions(permissionsOf(before, 'S'), permissionsOf(after, 'S'));
const allow = (action: string, resource = '*') => ({ Effect: 'Allow', Action: [action], Resource: [resource] });
const deny = (action: string, resource = '*') => ({ Effect: 'Deny', Action: [action], Resource: [resource] });

describe('RAM permission changes per principal', () => {
  it.each([
    ['an added Allow', true, {}, { statements: [allow('ice:SubmitIProductionJob')] }, '+ Allow ice:SubmitIProductionJob on *'],
    ['a removed Allow', false, { statements: [allow('oss:GetObject', 'acs:oss:*:*:b/*')] }, {}, '- Allow oss:GetObject on acs:oss:*:*:b/*'],
    ['a new trusted service', true, {}, { services: ['fc.aliyuncs.com', 'ecs.aliyuncs.com'] }, '+ trust: Allow sts:AssumeRole by Service: ecs.aliyuncs.com'],
    ['a trusted service taken away', false, { services: ['fc.aliyuncs.com', 'ecs.aliyuncs.com'] }, {}, '- trust: Allow sts:AssumeRole by Service: ecs.aliyuncs.com'],
    ['an attached system policy', true, {}, { system: ['AliyunOSSReadOnlyAccess'] }, '+ policy: System AliyunOSSReadOnlyAccess'],
    ['a removed Deny', true, { statements: [deny('oss:DeleteObject')] }, {}, '- Deny oss:DeleteObject on *'],
    ['an added Deny', false, {}, { statements: [deny('oss:DeleteObject')] }, '+ Deny oss:DeleteObject on *'],
  ])('GIVEN %s THEN it is listed under the role, broadening=%s', (_what, broadening, before, after, line) => {
    // WHEN
    const changes = change(template(before), template(after));
    // THEN
    expect(changes).toHaveLength(1);
    expect(changes[0].principal).toBe('role iprod-app');
    expect(changes[0].broadening).toBe(broadening);
    expect(renderPermissionChanges(changes)).toContain(`    ${line}\n`);
  });

  it('GIVEN a bucket policy that starts allowing a principal THEN it broadens, under the bucket', () => {
    const changes = change(template({}), template({ bucketStatements: [{ ...allow('oss:GetObject', 'acs:oss:*:*:iprod-app-bucket/*'), Principal: ['*'] }] }));
    expect(changes.map((c) => [c.principal, c.broadening])).toEqual([['bucket-policy iprod-app-bucket', true]]);
    expect(changes[0].grantsAdded).toEqual(['Allow oss:GetObject on acs:oss:*:*:iprod-app-bucket/* for ["*"]']);
  });

  it('GIVEN the same template THEN no change; GIVEN no stack yet THEN every grant is added', () => {
    const t = template({ statements: [allow('ice:QueryIProductionJob')] });
    expect(change(t, t)).toEqual([]);
    const created = diffPermissions(new Map(), permissionsOf(t, 'S'));
    expect(created.find((c) => c.principal === 'role iprod-app')?.grantsAdded).toEqual(['Allow ice:QueryIProductionJob on *']);
    expect(renderPermissionChanges([])).toBe('  (no RAM permission changes)\n');
  });
});
