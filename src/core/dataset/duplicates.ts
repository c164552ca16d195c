/**
 * Exact-duplicate detection in bounded memory. Each example's bytes are hashed to 64 bits (two
 * 32-bit lanes) and kept in an open-addressing table of Uint32 triples (hash hi, hash lo, first
 * line): 12 bytes per distinct example, at most 24 with the table half full, so a million
 * examples cost ~24 MB. Two different examples collide with probability ~n²/2^65 (negligible
 * below billions of lines); a collision would report a false duplicate, never hide one.
 */

const EMPTY = 0;

export class DuplicateTracker {
  private table: Uint32Array;
  private mask: number;
  private count = 0;
  private scratch = new Int32Array(1024);
  private scratchBytes = new Uint8Array(this.scratch.buffer);

  constructor(initialSlots = 1 << 12) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, initialSlots)));
    this.table = new Uint32Array(slots * 3);
    this.mask = slots - 1;
  }

  /** Distinct examples seen. */
  get size(): number {
    return this.count;
  }

  /** Bytes the table holds now. */
  get bytes(): number {
    return this.table.byteLength + this.scratch.byteLength;
  }

  /**
   * Records `bytes` as seen on `line` (≥ 1) and returns the first line with the same bytes, or 0
   * when they are new.
   */
  seen(bytes: Uint8Array, line: number): number {
    const [hi, lo] = this.hash(bytes);
    return this.insert(hi, lo, line);
  }

  private insert(hi: number, lo: number, line: number): number {
    const table = this.table;
    let slot = (lo ^ hi) & this.mask;
    for (;;) {
      const at = slot * 3;
      const first = table[at + 2] ?? EMPTY;
      if (first === EMPTY) break;
      if (table[at] === hi && table[at + 1] === lo) return first;
      slot = (slot + 1) & this.mask;
    }
    const at = slot * 3;
    table[at] = hi;
    table[at + 1] = lo;
    table[at + 2] = line;
    this.count += 1;
    if (this.count * 2 > this.mask + 1) this.grow();
    return 0;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += 3) {
      const first = old[at + 2] ?? EMPTY;
      if (first !== EMPTY) this.insert(old[at] ?? 0, old[at + 1] ?? 0, first);
    }
  }

  /**
   * Two independent multiply-xor lanes over 32-bit words (four bytes per step; the bytes are
   * copied into an aligned scratch buffer first, which is cheaper than reading them one by one).
   */
  private hash(bytes: Uint8Array): [number, number] {
    const words = (bytes.length + 3) >>> 2;
    if (words > this.scratch.length) {
      this.scratch = new Int32Array(Math.max(words, this.scratch.length * 2));
      this.scratchBytes = new Uint8Array(this.scratch.buffer);
    }
    const w = this.scratch;
    this.scratchBytes.set(bytes);
    this.scratchBytes.fill(0, bytes.length, words * 4);
    let a = 0x811c9dc5 ^ bytes.length;
    let b = 0x9747b28c;
    for (let i = 0; i < words; i++) {
      const x = w[i] ?? 0;
      a = Math.imul(a ^ x, 0x01000193);
      b = Math.imul(b ^ x, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a ^= a >>> 16;
    a = Math.imul(a, 0x85ebca6b);
    a ^= a >>> 13;
    b = Math.imul(b ^ a, 0xc2b2ae35);
    b ^= b >>> 16;
    return [a >>> 0, b >>> 0];
  }
}
