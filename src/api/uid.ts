// The uids the API server gives objects: version-4-shaped UUIDs printed from four seeded 32-bit
// draws (the draws are the server's; this only prints them).

/** a byte's two hex digits: a uint32 printed with a table instead of toString(16) + padStart */
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_DIGIT = '0123456789abcdef';
function hex8(x: number): string {
  return HEX_BYTE[x >>> 24] + HEX_BYTE[(x >>> 16) & 255] + HEX_BYTE[(x >>> 8) & 255] + HEX_BYTE[x & 255];
}

/**
 * The uid of four draws w0..w3 printed as 8-hex-digit words: `w0-w1[0..4)-4w1[5..8)-vw2[1..4)-w2[4..8)w3`,
 * where v (the variant) is 8 + the low two bits of w2's first digit; put together from digit
 * tables, without the slices of the printed words.
 */
export function formatUid(x0: number, x1: number, x2: number, x3: number): string {
  return hex8(x0) + '-' + HEX_BYTE[x1 >>> 24] + HEX_BYTE[(x1 >>> 16) & 255] + '-4' + HEX_DIGIT[(x1 >>> 8) & 15] + HEX_BYTE[x1 & 255] +
    '-' + HEX_DIGIT[8 + ((x2 >>> 28) & 3)] + HEX_DIGIT[(x2 >>> 24) & 15] + HEX_BYTE[(x2 >>> 16) & 255] +
    '-' + HEX_BYTE[(x2 >>> 8) & 255] + HEX_BYTE[x2 & 255] + hex8(x3);
}
