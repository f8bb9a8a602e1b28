// metadata.generateName completion, from staging/src/k8s.io/apiserver/pkg/storage/names/generate.go
// (SimpleNameGenerator.GenerateName) and the alphabet of k8s.io/apimachinery/pkg/util/rand (String).

/** util/rand alphanums: no vowels (no accidental words) and no look-alikes such as 0/o, 1/l. */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** generate.go randomLength */
export const RANDOM_SUFFIX_LENGTH = 5;
/** generate.go maxNameLength - randomLength: the base is cut so the result fits a DNS label. */
export const MAX_GENERATED_NAME_BASE_LENGTH = 63 - RANDOM_SUFFIX_LENGTH;

/**
 * GenerateName: `base` (truncated to 58 characters) followed by 5 random characters.
 * `nextInt(n)` must return an integer in [0, n); pass the simulation's seeded source so
 * names are reproducible. Upstream draws 5 bits at a time from one Int63 and rejects values
 * >= 27; drawing each character with nextInt(27) gives the same uniform distribution.
 */
export function generateName(base: string, nextInt: (n: number) => number): string {
  const prefix = base.length > MAX_GENERATED_NAME_BASE_LENGTH ? base.slice(0, MAX_GENERATED_NAME_BASE_LENGTH) : base;
  let suffix = '';
  for (let i = 0; i < RANDOM_SUFFIX_LENGTH; i++) {
    const idx = nextInt(NAME_ALPHABET.length);
    if (!Number.isInteger(idx) || idx < 0 || idx >= NAME_ALPHABET.length) {
      throw new RangeError(`generateName: nextInt(${NAME_ALPHABET.length}) returned ${idx}; it must return an integer in [0, ${NAME_ALPHABET.length})`);
    }
    suffix += NAME_ALPHABET[idx];
  }
  return prefix + suffix;
}
