/** mulberry32: a small seeded PRNG, so ids, RequestIds and probabilistic faults repeat run after run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hexId(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) {
    out += Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  }
  return out.slice(0, length);
}

/** `C1849434-FC47-5DC1-92B6-F7EAAFE3851E`, the shape of the services' RequestId. */
export function requestId(random: () => number): string {
  const h = hexId(random, 32).toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
