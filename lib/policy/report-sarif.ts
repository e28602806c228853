import { TOOL_NAME, TOOL_VERSION } from './tool';
import { Finding, PolicyReview, Severity } from './types';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function pascal(title: string): string {
  return title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase());
}

function result(f: Finding, ruleIndex: number | undefined, uriPrefix: string) {
  const logicalLocations: Array<Record<string, string>> = [];
  if (f.jsonPath) {
    logicalLocations.push({ name: f.logicalId ?? f.jsonPath, fullyQualifiedName: `${f.stackName}/${f.jsonPath}`, kind: 'resource' });
  }
  if (f.constructPath) {
    logicalLocations.push({ name: f.constructPath.split('/').pop()!, fullyQualifiedName: f.constructPath, kind: 'namespace' });
  }
  return {
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    message: { text: `${f.message}. Fix: ${f.fixHint}` },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: uriPrefix + f.templateFile },
        ...(f.line !== undefined ? { region: { startLine: f.line } } : {}),
      },
      ...(logicalLocations.length ? { logicalLocations } : {}),
    }],
    // The finding id is stable across runs (rule + resource + path), which is what code scanning needs to track it.
    partialFingerprints: { 'iprodFindingId/v1': `${f.templateFile}#${f.logicalId ?? ''}#${f.findingId}` },
    ...(f.suppression ? {
      suppressions: [{ kind: 'inSource', status: 'accepted', justification: f.suppression.reason }],
    } : {}),
    properties: {
      findingId: f.findingId,
      stackName: f.stackName,
      ...(f.resourceType ? { resourceType: f.resourceType } : {}),
      ...(f.constructPath ? { constructPath: f.constructPath } : {}),
      ...(f.suppression?.expires ? { suppressionExpires: f.suppression.expires } : {}),
    },
  };
}

export interface SarifOptions {
  /**
   * Prepended to template paths (which are relative to the assembly directory), so that code-scanning services that
   * resolve URIs against the repository root find the file: e.g. `cdk.out/`.
   * @default '' (paths relative to the assembly directory)
   */
  uriPrefix?: string;
  /**
   * Absolute URL of the published policy documentation (docs/policy.md) where the team hosts it. Each rule's
   * `helpUri` is this URL with the rule's anchor. The package names no host of its own: a made-up URL in a report
   * would send reviewers nowhere.
   * @default - no informationUri and no helpUri; each rule still carries its fix in `help.text`
   */
  informationUri?: string;
}

/** SARIF 2.1.0 log with one run; suppressed findings are results carrying `suppressions` (kind inSource). */
export function toSarif(review: PolicyReview, options: SarifOptions = {}) {
  const prefix = options.uriPrefix ? options.uriPrefix.replace(/\\/g, '/').replace(/\/?$/, '/') : '';
  const rules = review.rules.map((r) => ({
    id: r.id,
    name: pascal(r.title),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: { text: r.fixHint },
    ...(options.informationUri ? { helpUri: `${options.informationUri}#${r.id.toLowerCase()}` } : {}),
    defaultConfiguration: { level: LEVEL[r.severity] },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [{
      tool: {
        driver: {
          name: TOOL_NAME,
          version: TOOL_VERSION,
          ...(options.informationUri ? { informationUri: options.informationUri } : {}),
          rules,
        },
      },
      columnKind: 'utf16CodeUnits',
      results: review.findings.map((f) => result(f, index.get(f.ruleId), prefix)),
    }],
  };
}

export function renderSarif(review: PolicyReview, options: SarifOptions = {}): string {
  return JSON.stringify(toSarif(review, options), null, 2) + '\n';
}
