import { runE2e } from './run';

/**
 * A small `npm run e2e` through the same code path: the synthesized example's bundle in worker processes, local ICE,
 * Tablestore and MNS endpoints, duplicated events and killed workers. Counts, not times, are asserted.
 */
describe('npm run e2e, small', () => {
  it('GIVEN 40 uploads with 25 % duplicate events and worker crashes THEN every upload has one row, is terminal, delivered, and no job was submitted twice', async () => {
    // WHEN
    const details = await runE2e({ uploads: 40, duplicateEvents: 0.25, crashRate: 0.05, workers: 2, reconcileWindowMs: 4000, tickMs: 300, seed: 7 });
    // THEN
    const s = details.summary;
    expect(details.timedOut).toBe(false);
    expect(details.rows).toBe(40);
    expect(s.submitted + s.unknownOutcome + s.rejected).toBe(40);
    expect(s.terminal).toBe(40);
    expect(s.delivered).toBe(40);
    expect(s.duplicateSubmits).toBe(0);
    expect(details.ok).toBe(true);
    expect(details.invocations).toBeGreaterThan(40);
  }, 180_000);
});
