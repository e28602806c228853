import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createExampleApp } from '../../bin/example-app';
import { blockingFindings, renderMarkdown, renderSarif, reviewAssembly, summarizeReview } from '../../lib/policy';
import { sarifViolations } from './sarif-check';
import { NOW } from './support';

describe('the example app passes its own policy review', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-policy-example-'));
  createExampleApp(dir).synth();
  const review = reviewAssembly(dir, { now: () => NOW });

  it('has zero unsuppressed errors', () => {
    // Printed on failure so the finding is visible in CI logs, not just the count.
    const errors = blockingFindings(review, 'error').map((f) => `${f.findingId} ${f.constructPath ?? f.logicalId}: ${f.message}`);
    expect(errors).toEqual([]);
  });

  it('has no warnings but the function-logging one the runtime construct cannot meet yet', () => {
    // IPROD-FC-003 needs an SLS log destination on the runtime; the FC 3.0 runtime rewrite (issue 11) adds the prop.
    const warnings = blockingFindings(review, 'warning').filter((f) => f.severity === 'warning')
      .map((f) => `${f.findingId} ${f.constructPath ?? f.logicalId}: ${f.message}`);
    expect(warnings.filter((w) => !w.startsWith('IPROD-FC-003'))).toEqual([]);
  });

  it('shows the runtime role with ice grants on "*" and OSS/MNS grants on named resources only', () => {
    const roles = review.principals.filter((p) => p.kind === 'role' && p.logicalId);
    expect(roles.length).toBeGreaterThan(0);
    // The FC 3.0 function runs as a role the stack creates, trusted by FC only.
    const runtime = roles.find((r) => r.usedBy?.some((u) => u.startsWith('ALIYUN::FC3::Function ')));
    expect(runtime?.trustedBy).toEqual(['Service: fc.aliyuncs.com']);
    const rows = roles.flatMap((r) => r.permissions);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const operationOnly = row.actions.every((a) => a.startsWith('ice:') || a.startsWith('mts:'));
      if (operationOnly) expect(row.resources).toEqual(['*']);
      else expect(row.resources).not.toContain('*');
    }
  });

  it('shows the runtime role with exactly what it uses, and the trigger roles trusted by MNS and OSS, invoking the function only', () => {
    const roles = review.principals.filter((p) => p.kind === 'role' && p.logicalId);
    expect(roles.map((r) => r.name).sort()).toEqual(['iprod-example-runtime', 'iprod-example-runtime-mns', 'iprod-example-runtime-oss']);
    const runtime = roles.find((r) => r.name === 'iprod-example-runtime');
    // The API calls the handler makes, FC sending failed asynchronous invocations to their queue, and the loop's:
    // ICE's callback queue, the results topic, the ledger table. No unused grant (no OSS: ICE reads and writes
    // through its own service role; no completions queue or topic).
    const account = 'acs:mns:cn-shanghai:${ALIYUN::AccountId}';
    expect(runtime?.permissions.map((p) => ({ actions: p.actions, resources: p.resources }))).toEqual([
      { actions: ['ice:QueryIProductionJob', 'ice:SubmitIProductionJob'], resources: ['*'] },
      {
        actions: ['mns:ChangeMessageVisibility', 'mns:DeleteMessage', 'mns:ReceiveMessage'],
        resources: [`${account}:/queues/ice-callback-iprod-example`, `${account}:/queues/ice-callback-iprod-example/messages`],
      },
      { actions: ['mns:PublishMessage'], resources: [`${account}:/topics/iprod-example-results`, `${account}:/topics/iprod-example-results/messages`] },
      {
        actions: ['mns:SendMessage'],
        resources: [`${account}:/queues/iprod-example-failed-invocations`, `${account}:/queues/iprod-example-failed-invocations/messages`],
      },
      {
        actions: ['ots:GetRange', 'ots:GetRow', 'ots:PutRow', 'ots:UpdateRow'],
        resources: ['acs:ots:cn-shanghai:${ALIYUN::AccountId}:instance/iprodexample/table/iprod_jobs'],
      },
    ]);
    const uploads = roles.find((r) => r.name === 'iprod-example-runtime-oss');
    expect(uploads?.trustedBy).toEqual(['Service: oss.aliyuncs.com']);
    expect(uploads?.permissions.map((p) => ({ actions: p.actions, resources: p.resources }))).toEqual([
      { actions: ['fc:InvokeFunction'], resources: ['acs:fc:cn-shanghai:${ALIYUN::AccountId}:functions/iprod-example-handler'] },
    ]);
    const trigger = roles.find((r) => r.name === 'iprod-example-runtime-mns');
    expect(trigger?.trustedBy).toEqual(['Service: mns.aliyuncs.com']);
    expect(trigger?.permissions.map((p) => ({ effect: p.effect, actions: p.actions, resources: p.resources }))).toEqual([
      {
        effect: 'Allow',
        actions: ['fc:InvokeFunction'],
        resources: ['acs:fc:cn-shanghai:${ALIYUN::AccountId}:functions/iprod-example-handler'],
      },
    ]);
  });

  it('locates every finding in a template file with a construct path', () => {
    for (const f of review.findings) {
      expect(f.templateFile).toMatch(/\.template\.json$/);
      if (f.logicalId) expect(f.constructPath).toMatch(/^IProductionExample\//);
    }
    expect(sarifViolations(JSON.parse(renderSarif(review)))).toEqual([]);
  });

  it('renders a report and a synth summary', () => {
    expect(renderMarkdown(review)).toMatch(/## Principals[\s\S]*### role `iprod-example/);
    expect(summarizeReview(review)).toMatch(/^Policy review: 1 template\(s\), \d+ principal\(s\); 0 error\(s\)/);
  });
});
