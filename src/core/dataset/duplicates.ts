/**
 * Exact-duplicate detection in bounded memory. Each example's bytes are hashed to 64 bits (two
 * 32-bit lanes) and kept in an open-addressing table of Uint32 triples (hash hi, hash lo, first
 * line): 12 bytes per slot, kept 35-70% full, so 17-35 bytes per distinct example (a million
 * examples: 17-35 MB). Two different examples collide with probability ~n²/2^65 (negligible
 * below billions of lines); a collision would report a false duplicate, never hide one.
 */

const EMPTY = 0;
/** Grow the table past this fill; linear probing stays short below it. */
const MAX_LOAD = 0.7;

export class DuplicateTracker {
  private table: Uint32Array;
  private mask: number;
  private count = 0;
  private scratch = new Int32Array(1024);
  private scratchBytes = new Uint8Array(this.scratch.buffer);
  // The last hash, in two fields rather than a returned pair (no allocation per line).
  private hi = 0;
  private lo = 0;

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
    this.hash(bytes);
    return this.insert(this.hi, this.lo, line);
  }

  /**
   * Writes the 64-bit hash of `bytes` into `out[at]` (high lane) and `out[at + 1]` (low lane), for
   * `insert` on another thread: `validate` hashes in its workers and records on the main thread.
   */
  hashInto(bytes: Uint8Array, out: Uint32Array, at: number): void {
    this.hash(bytes);
    out[at] = this.hi;
    out[at + 1] = this.lo;
  }

  /** `seen` for a hash made by `hashInto` (possibly by another tracker): the first line with it, or 0. */
  insert(hi: number, lo: number, line: number): number {
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
    if (this.count > (this.mask + 1) * MAX_LOAD) this.grow();
    return 0;
  }

  /**
   * Sizes the table for `entries` distinct examples at once. A table that grows by doubling
   * leaves each smaller one behind as garbage, which a thread that allocates little may not
   * collect before the run ends (at a million examples, ~25 MB); `validate` reserves the size
   * it expects from the file's size and its first lines.
   */
  reserve(entries: number): void {
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, entries / MAX_LOAD)));
    if (slots > this.mask + 1) this.rehash(slots);
  }

  private grow(): void {
    this.rehash((this.mask + 1) * 2);
  }

  private rehash(slots: number): void {
    const old = this.table;
    this.table = new Uint32Array(slots * 3);
    this.mask = slots - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += 3) {
      const first = old[at + 2] ?? EMPTY;
      if (first !== EMPTY) this.insert(old[at] ?? 0, old[at + 1] ?? 0, first);
    }
  }

  /**
   * Two 32-bit lanes over the bytes read as 32-bit words, two words per step: each word enters
   * both lanes (one before a multiply, one after), and each lane is rotated so high bits feed low
   * ones. The bytes are copied into an aligned scratch buffer first, cheaper than reading them one
   * by one; zero padding is told apart by the length, which seeds a lane.
   */
  private hash(bytes: Uint8Array): void {
    const words = ((bytes.length + 7) >>> 3) << 1;
    if (words > this.scratch.length) {
      this.scratch = new Int32Array(Math.max(words, this.scratch.length * 2));
      this.scratchBytes = new Uint8Array(this.scratch.buffer);
    }
    const w = this.scratch;
    this.scratchBytes.set(bytes);
    this.scratchBytes.fill(0, bytes.length, words * 4);
    let a = 0x811c9dc5 ^ bytes.length;
    let b = 0x9747b28c;
    for (let i = 0; i < words; i += 2) {
      const x = w[i] as number;
      const y = w[i + 1] as number;
      a = Math.imul(a ^ x, 0x01000193) ^ y;
      a = (a << 13) | (a >>> 19);
      b = Math.imul(b ^ y, 0x5bd1e995) ^ x;
      b = (b << 15) | (b >>> 17);
    }
    a = fmix(a ^ b);
    b = fmix(b ^ a);
    this.hi = a >>> 0;
    this.lo = b >>> 0;
  }
}

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
