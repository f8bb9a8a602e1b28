// One seeded generator per run, split by name: each component draws from its own stream, derived
// from (run seed, stream name) alone, so adding a component or a draw in one component never
// shifts another component's stream (DESIGN §1.2).
//
// Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 32-bit), seeded from a
// 128-bit string hash (cyrb128). Both are public-domain, well studied and fast in JS.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  readonly seed: number;
  readonly stream: string;

  constructor(seed: number, stream = 'root') {
    this.seed = seed;
    this.stream = stream;
    const [a, b, c, d] = cyrb128(`${seed}\u0000${stream}`);
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A sub-stream that depends only on the run seed and the full stream path. */
  fork(name: string): Rng {
    return new Rng(this.seed, `${this.stream}/${name}`);
  }

  nextUint32(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.c = (r + t) | 0;
    return t >>> 0;
  }

  /** uniform float in [0, 1) */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** uniform integer in [0, n) without modulo bias */
  int(n: number): number {
    if (!(n > 0) || !Number.isInteger(n)) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    if (n === 1) return 0;
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** uniform integer in [min, max] */
  between(min: number, max: number): number {
    if (max <= min) return min;
    return min + this.int(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** cyrb128 string hash (public domain, bryc): four 32-bit words. */
export function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A default seed derived from a scenario's path and name, so unseeded scenarios are reproducible too. */
export function deriveSeed(...parts: string[]): number {
  return cyrb128(parts.join('\u0000'))[0] & 0x7fffffff;
}
