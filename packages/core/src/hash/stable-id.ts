import { HEX, hash128 } from './hash128.ts';

/**
 * A UUID (version 5 layout) derived from its parts, so rebuilding the same content gives the
 * same ids on every build and every replica. Parts are joined with a separator keys cannot hold.
 */
export function stableId(...parts: readonly (string | number)[]): string {
  const [a, b, c0, d] = hash128(parts.join('\u0000'));
  const c = ((c0 & 0x3fffffff) | 0x80000000) >>> 0;
  // Straight from the byte table: a snapshot build makes one id per rule and distribution, and
  // intermediate hex strings and slices of them were a good part of its garbage.
  return `${HEX[a >>> 24]}${HEX[(a >>> 16) & 255]}${HEX[(a >>> 8) & 255]}${HEX[a & 255]}-${HEX[b >>> 24]}${HEX[(b >>> 16) & 255]}-5${LOW_NIBBLE[(b >>> 8) & 15]}${HEX[b & 255]}-${HEX[c >>> 24]}${HEX[(c >>> 16) & 255]}-${HEX[(c >>> 8) & 255]}${HEX[c & 255]}${HEX[d >>> 24]}${HEX[(d >>> 16) & 255]}${HEX[(d >>> 8) & 255]}${HEX[d & 255]}`;
}

const LOW_NIBBLE = '0123456789abcdef';
