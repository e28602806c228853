import { readFileSync } from 'fs';
import { join } from 'path';
import * as root from '../lib';

const ROOT_SOURCE = readFileSync(join(__dirname, '../lib/index.ts'), 'utf8');

describe('package root', () => {
  it('exports by name only: no export * lets plumbing through unseen', () => {
    expect(ROOT_SOURCE).not.toMatch(/export \*/);
  });

  it.each([
    // DESIGN.md "Public contracts", by these names.
    'validateIProductionJob', 'validateMediaProducingJob', 'parseQueryIProductionJob', 'reviewAssembly',
    'IProductionClient', 'UnknownOutcomeError', 'handler',
    // What the README and docs examples import.
    'IntelligentProduction', 'IntelligentProductionStack', 'MediaBucket', 'MediaPipeline', 'NotificationQueue',
    'NotificationTopic', 'RolePrincipal', 'grantSubmitIProductionJob', 'suppressPolicyFinding', 'CATALOGUE',
    'buildSubmitIProductionJob', 'endpointFor', 'renderMarkdown', 'renderSarif', 'summarizeReview', 'API_FACTS',
  ])('exports %s', (name) => {
    expect((root as Record<string, unknown>)[name]).toBeDefined();
  });

  it.each([
    'uniqueLogicalId', 'propError', 'RPC_CALL', 'loadRuntimeBundle', 'renderRosProperties', 'checkL2AgainstL1',
    'physicalNameFor', 'policyNameFor', 'checkServiceRegion', 'backoffDelayMs', 'sharedLimiter', 'resolveRetryOptions',
    'deployCommand', 'policyReportCommand', 'show', 'isRecord', 'ramActionOf',
    // One name per concept: the aliases the root once carried are gone.
    'PolicyFinding', 'POLICY_SEVERITIES', 'policySeverityRank', 'POLICY_ACTION_CATALOGUE',
  ])('keeps plumbing %s out', (name) => {
    expect(Object.keys(root)).not.toContain(name);
  });

  it('exports no undefined value', () => {
    expect(Object.entries(root).filter(([, v]) => v === undefined).map(([k]) => k)).toEqual([]);
  });
});
