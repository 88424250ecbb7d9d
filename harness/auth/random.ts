// Randomness is injected: the simulation passes a seeded PRNG, real-TCP code passes
// crypto.randomBytes. Nothing in auth/ calls Math.random or reads the clock itself.
export interface RandomSource {
  bytes(n: number): Uint8Array;
}
