/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state): fast in JS because
 * every step is 32-bit integer arithmetic, passes PractRand, and has a counter so no seed falls
 * into a short cycle. Seeded through splitmix32 so that nearby seeds give unrelated streams.
 */
export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Second Box-Muller deviate, kept for the next call; NaN when empty. */
  private spareNormal = Number.NaN;

  /** `stream` picks an independent sequence for the same seed (e.g. one per user). */
  constructor(seed: number, stream = 0) {
    let s = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream >>> 0, 0x85ebca77) ^ 0x5bd1e995) | 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) | 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // The first outputs of sfc32 still echo the seed; the reference implementation discards 12.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform integer in 0..2^32-1. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform float in (0, 1]: safe to take the logarithm of. */
  nextFloatOpen(): number {
    return (this.nextUint32() + 1) / 4294967296;
  }

  /** A uniform integer in 0..n-1 (n up to 2^32; the modulo bias is below 2^-20 for our n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** A standard normal deviate (Box-Muller; the pair's second value is cached). */
  nextNormal(): number {
    const spare = this.spareNormal;
    if (spare === spare) {
      this.spareNormal = Number.NaN;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(this.nextFloatOpen()));
    const angle = 2 * Math.PI * this.nextFloat();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}
