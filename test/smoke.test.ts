import { loadRuntimeBundle } from '../lib/constructs/runtime-bundle';

describe('runtime bundle', () => {
  it('is the built zip the constructs embed', () => {
    // GIVEN `npm test` ran `npm run bundle` first
    const bundle = loadRuntimeBundle();
    // THEN it is a zip (PK\x03\x04) and its hash matches its bytes
    expect(Buffer.from(bundle.zipBase64, 'base64').subarray(0, 4).toString('hex')).toBe('504b0304');
    expect(bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
