import * as fs from 'fs';
import * as path from 'path';
import { Finding, reviewTemplate, RosTemplate, TemplateReviewOptions } from '../../lib/policy';

export const FIXTURES = path.join(__dirname, 'fixtures');

/** A fixed clock so suppression expiry is exact. */
export const NOW = new Date('2026-06-15T12:00:00Z');

export function readTemplate(rel: string): { template: RosTemplate; text: string } {
  const text = fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
  return { template: JSON.parse(text) as RosTemplate, text };
}

export function template(resources: Record<string, unknown>, metadata?: Record<string, unknown>): RosTemplate {
  return { ROSTemplateFormatVersion: '2015-09-01', ...(metadata ? { Metadata: metadata } : {}), Resources: resources as RosTemplate['Resources'] };
}

export function review(t: RosTemplate, options: TemplateReviewOptions = {}) {
  return reviewTemplate(t, { now: () => NOW, stackName: 'Test', ...options });
}

export function findingsOf(t: RosTemplate, ruleId: string, options: TemplateReviewOptions = {}): Finding[] {
  return review(t, options).findings.filter((f) => f.ruleId === ruleId);
}

/** A role trusting FC and one managed policy attached to it with the given statements. */
export function grantTemplate(statements: unknown[], extra: Record<string, unknown> = {}): RosTemplate {
  return template({
    Role: {
      Type: 'ALIYUN::RAM::Role',
      Properties: {
        RoleName: 'app-role',
        AssumeRolePolicyDocument: {
          Version: '1',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['fc.aliyuncs.com'] } }],
        },
      },
    },
    Policy: {
      Type: 'ALIYUN::RAM::ManagedPolicy',
      Properties: {
        PolicyName: 'app-policy',
        PolicyDocument: { Version: '1', Statement: statements },
        Roles: [{ 'Fn::GetAtt': ['Role', 'RoleName'] }],
      },
    },
    ...extra,
  });
}
