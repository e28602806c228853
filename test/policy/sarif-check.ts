// Required-property checks for SARIF 2.1.0 logs, written from the OASIS specification (sarif-v2.1.0, §3.13 sarifLog,
// §3.14 run, §3.18 tool, §3.19 toolComponent, §3.49 reportingDescriptor, §3.50 reportingConfiguration, §3.27 result,
// §3.11 message, §3.28 location, §3.29 physicalLocation, §3.4 artifactLocation, §3.30 region, §3.33 logicalLocation,
// §3.35 suppression). Returns the violations as readable strings; an empty list means the log conforms.

const LEVELS = ['none', 'note', 'warning', 'error'];
const SUPPRESSION_KINDS = ['inSource', 'external'];
const SUPPRESSION_STATUSES = ['accepted', 'underReview', 'rejected'];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function sarifViolations(log: unknown): string[] {
  const out: string[] = [];
  const need = (cond: boolean, msg: string) => { if (!cond) out.push(msg); };
  const message = (m: unknown, where: string) => {
    // §3.11.2: a message SHALL contain text or id.
    need(isObj(m) && (typeof m.text === 'string' || typeof m.id === 'string'), `${where}.message needs text or id`);
  };
  if (!isObj(log)) return ['sarifLog must be an object'];
  need(log.version === '2.1.0', 'sarifLog.version must be "2.1.0"');
  need(log.$schema === undefined || (typeof log.$schema === 'string' && /^https?:\/\//.test(log.$schema)), 'sarifLog.$schema must be an absolute URI');
  if (!Array.isArray(log.runs)) return [...out, 'sarifLog.runs must be an array'];
  log.runs.forEach((run, r) => {
    const rw = `runs[${r}]`;
    if (!isObj(run)) { out.push(`${rw} must be an object`); return; }
    if (!isObj(run.tool) || !isObj(run.tool.driver)) { out.push(`${rw}.tool.driver is required`); return; }
    const driver = run.tool.driver;
    need(typeof driver.name === 'string' && driver.name.length > 0, `${rw}.tool.driver.name is required`);
    need(driver.informationUri === undefined || (typeof driver.informationUri === 'string' && /^https?:\/\//.test(driver.informationUri)),
      `${rw}.tool.driver.informationUri must be an absolute URI`);
    const rules = Array.isArray(driver.rules) ? driver.rules : [];
    need(driver.rules === undefined || Array.isArray(driver.rules), `${rw}.tool.driver.rules must be an array`);
    const ids = new Set<string>();
    rules.forEach((rule, i) => {
      const w = `${rw}.tool.driver.rules[${i}]`;
      if (!isObj(rule)) { out.push(`${w} must be an object`); return; }
      need(typeof rule.id === 'string' && rule.id.length > 0, `${w}.id is required`);
      need(!ids.has(rule.id as string), `${w}.id ${String(rule.id)} is not unique`);
      ids.add(rule.id as string);
      for (const k of ['shortDescription', 'fullDescription', 'help']) {
        // §3.12 multiformatMessageString: text is required.
        if (rule[k] !== undefined) need(isObj(rule[k]) && typeof (rule[k] as Obj).text === 'string', `${w}.${k}.text is required`);
      }
      if (rule.defaultConfiguration !== undefined) {
        const dc = rule.defaultConfiguration;
        need(isObj(dc) && (dc.level === undefined || LEVELS.includes(dc.level as string)), `${w}.defaultConfiguration.level must be one of ${LEVELS.join('|')}`);
      }
      if (rule.helpUri !== undefined) need(typeof rule.helpUri === 'string' && /^https?:\/\//.test(rule.helpUri), `${w}.helpUri must be an absolute URI`);
    });
    if (run.results === undefined) return;
    if (!Array.isArray(run.results)) { out.push(`${rw}.results must be an array`); return; }
    run.results.forEach((res, i) => {
      const w = `${rw}.results[${i}]`;
      if (!isObj(res)) { out.push(`${w} must be an object`); return; }
      message(res.message, w);
      if (res.level !== undefined) need(LEVELS.includes(res.level as string), `${w}.level must be one of ${LEVELS.join('|')}`);
      if (res.ruleIndex !== undefined) {
        // §3.27.6: ruleIndex refers into tool.driver.rules and, with ruleId, must agree with it.
        const idx = res.ruleIndex as number;
        need(Number.isInteger(idx) && idx >= 0 && idx < rules.length, `${w}.ruleIndex ${idx} is out of range`);
        if (res.ruleId !== undefined && Number.isInteger(idx) && rules[idx]) {
          need((rules[idx] as Obj).id === res.ruleId, `${w}.ruleId ${String(res.ruleId)} differs from rules[${idx}].id`);
        }
      }
      need(res.ruleId !== undefined || res.rule !== undefined || res.ruleIndex !== undefined, `${w} must identify its rule`);
      if (res.locations !== undefined) {
        if (!Array.isArray(res.locations)) { out.push(`${w}.locations must be an array`); return; }
        res.locations.forEach((loc, j) => {
          const lw = `${w}.locations[${j}]`;
          if (!isObj(loc)) { out.push(`${lw} must be an object`); return; }
          if (loc.physicalLocation !== undefined) {
            const pl = loc.physicalLocation;
            // §3.29.2: a physicalLocation SHALL have an artifactLocation or an address.
            need(isObj(pl) && (isObj(pl.artifactLocation) || isObj(pl.address)), `${lw}.physicalLocation needs artifactLocation or address`);
            if (isObj(pl) && isObj(pl.artifactLocation)) {
              need(typeof pl.artifactLocation.uri === 'string' || typeof pl.artifactLocation.index === 'number', `${lw}.physicalLocation.artifactLocation needs uri or index`);
            }
            if (isObj(pl) && pl.region !== undefined) {
              const rg = pl.region;
              need(isObj(rg) && (rg.startLine !== undefined || rg.charOffset !== undefined || rg.byteOffset !== undefined),
                `${lw}.physicalLocation.region needs startLine, charOffset or byteOffset`);
              if (isObj(rg) && rg.startLine !== undefined) need(Number.isInteger(rg.startLine) && (rg.startLine as number) >= 1, `${lw}.region.startLine must be an integer >= 1`);
            }
          }
          if (loc.logicalLocations !== undefined) {
            need(Array.isArray(loc.logicalLocations) && loc.logicalLocations.every((l) => isObj(l)
              && (typeof l.name === 'string' || typeof l.fullyQualifiedName === 'string' || typeof l.index === 'number')),
            `${lw}.logicalLocations[] need a name, fullyQualifiedName or index`);
          }
        });
      }
      if (res.suppressions !== undefined) {
        need(Array.isArray(res.suppressions), `${w}.suppressions must be an array`);
        (Array.isArray(res.suppressions) ? res.suppressions : []).forEach((s, j) => {
          need(isObj(s) && SUPPRESSION_KINDS.includes(s.kind as string), `${w}.suppressions[${j}].kind must be inSource or external`);
          if (isObj(s) && s.status !== undefined) need(SUPPRESSION_STATUSES.includes(s.status as string), `${w}.suppressions[${j}].status is not a valid status`);
          if (isObj(s) && s.justification !== undefined) need(typeof s.justification === 'string', `${w}.suppressions[${j}].justification must be a string`);
        });
      }
    });
  });
  return out;
}
