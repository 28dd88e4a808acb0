// An allocation bitmap kept in the store (upstream's allocator.AllocationBitmap behind the etcd
// allocator in allocator/storage/storage.go): one bit per value of a range, stored as a
// RangeAllocation-like JSON `{ range, data }` whose data is the bitmap as upstream's big.Int bytes.
// Every change reads the stored bitmap and writes it back with a compare-and-swap on its mod
// revision, retried on conflict, so API servers sharing a store never hand out a value twice.
import type { Store } from '../../storage/index.ts';
import type { AllocationRange } from './ip-range.ts';

export type AllocationErrorCode = 'allocated' | 'not-in-range' | 'full';

/** ErrAllocated, ErrNotInRange and ErrFull of upstream's allocators, with their texts. */
export class AllocationError extends Error {
  override readonly name = 'AllocationError';
  readonly code: AllocationErrorCode;
  constructor(code: AllocationErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** One bit per offset; bit i lives in byte i >> 3. */
export class Bitmap {
  readonly size: number;
  private readonly bytes: Uint8Array;

  constructor(size: number, bytes?: Uint8Array) {
    this.size = size;
    this.bytes = bytes ?? new Uint8Array(Math.ceil(size / 8));
  }

  has(offset: number): boolean {
    return ((this.bytes[offset >> 3] ?? 0) & (1 << (offset & 7))) !== 0;
  }

  set(offset: number, on: boolean): void {
    const i = offset >> 3;
    const bit = 1 << (offset & 7);
    this.bytes[i] = on ? this.bytes[i]! | bit : this.bytes[i]! & ~bit;
  }

  count(): number {
    return this.offsets().length;
  }

  offsets(): number[] {
    const out: number[] = [];
    this.bytes.forEach((byte, i) => {
      for (let b = 0; byte !== 0 && b < 8; b++) if ((byte & (1 << b)) !== 0) out.push(i * 8 + b);
    });
    return out;
  }

  clone(): Bitmap {
    return new Bitmap(this.size, this.bytes.slice());
  }

  equals(other: Bitmap): boolean {
    return this.size === other.size && this.bytes.every((b, i) => b === other.bytes[i]);
  }

  /** Go's big.Int.Bytes(): big-endian, no leading zero bytes (what upstream's Snapshot stores). */
  encode(): string {
    let last = this.bytes.length - 1;
    while (last >= 0 && this.bytes[last] === 0) last--;
    const out = new Uint8Array(last + 1);
    for (let i = 0; i <= last; i++) out[last - i] = this.bytes[i]!;
    return Buffer.from(out).toString('base64');
  }

  /** The inverse of encode; bits beyond the range are dropped. */
  static decode(size: number, data: string): Bitmap {
    const raw = Buffer.from(data, 'base64');
    const bitmap = new Bitmap(size);
    for (let i = 0; i < raw.length; i++) {
      const byte = raw[raw.length - 1 - i]!;
      for (let b = 0; b < 8; b++) {
        const offset = i * 8 + b;
        if ((byte & (1 << b)) !== 0 && offset < size) bitmap.set(offset, true);
      }
    }
    return bitmap;
  }
}

/** The bitmap as one change sees it: allocate and release change it, the caller's write stores it. */
export class Allocation<V> {
  readonly range: AllocationRange<V>;
  readonly bits: Bitmap;
  private readonly random: () => number;

  constructor(range: AllocationRange<V>, bits: Bitmap, random: () => number) {
    this.range = range;
    this.bits = bits;
    this.random = random;
  }

  has(value: V): boolean {
    const offset = this.range.offsetOf(value);
    return offset !== undefined && this.bits.has(offset);
  }

  /** Reserves `value`: not-in-range or allocated errors as upstream's Allocate. */
  allocate(value: V): V {
    const offset = this.range.offsetOf(value);
    if (offset === undefined) throw new AllocationError('not-in-range', this.range.notInRangeMessage(value));
    if (this.bits.has(offset)) throw new AllocationError('allocated', this.range.allocatedMessage);
    this.bits.set(offset, true);
    return value;
  }

  /**
   * Reserves a random free value, upper band first (randomScanStrategyWithOffset): a random start,
   * then a forward scan that wraps within the band.
   */
  allocateNext(): V {
    const { size, reserved } = this.range;
    for (const [low, high] of [
      [reserved, size],
      [0, reserved],
    ] as const) {
      const span = high - low;
      if (span <= 0) continue;
      const start = Math.floor(this.random() * span);
      for (let i = 0; i < span; i++) {
        const offset = low + ((start + i) % span);
        if (!this.bits.has(offset)) {
          this.bits.set(offset, true);
          return this.range.valueAt(offset);
        }
      }
    }
    throw new AllocationError('full', 'range is full');
  }

  /** Releasing a free or out-of-range value is a no-op, as upstream. */
  release(value: V): void {
    const offset = this.range.offsetOf(value);
    if (offset !== undefined) this.bits.set(offset, false);
  }

  values(): V[] {
    return this.bits.offsets().map((o) => this.range.valueAt(o));
  }
}

/** What is stored, with the mod revision a compare-and-swap expects (0: no key yet). */
export interface StoredBitmap {
  readonly bits: Bitmap;
  /** The range the stored data was written for; differs from ours after a reconfiguration. */
  readonly storedRange: string | undefined;
  readonly modRevision: number;
}

export interface BitmapAllocatorOptions<V> {
  readonly store: Store;
  /** `/registry/ranges/serviceips` or `/registry/ranges/servicenodeports`. */
  readonly key: string;
  readonly range: AllocationRange<V>;
  readonly random?: () => number;
}

const maxAttempts = 100;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class BitmapAllocator<V> {
  readonly store: Store;
  readonly key: string;
  readonly range: AllocationRange<V>;
  private readonly random: () => number;

  constructor(options: BitmapAllocatorOptions<V>) {
    this.store = options.store;
    this.key = options.key;
    this.range = options.range;
    this.random = options.random ?? Math.random;
  }

  /** The stored bitmap; one stored for another range reads as empty (the repair rebuilds it). */
  async read(): Promise<StoredBitmap> {
    const { kv } = await this.store.get(this.key);
    if (kv === undefined)
      return { bits: new Bitmap(this.range.size), storedRange: undefined, modRevision: 0 };
    const parsed = JSON.parse(decoder.decode(kv.value)) as { range?: unknown; data?: unknown };
    const storedRange = typeof parsed.range === 'string' ? parsed.range : undefined;
    const data = typeof parsed.data === 'string' ? parsed.data : '';
    const bits =
      storedRange === this.range.spec ? Bitmap.decode(this.range.size, data) : new Bitmap(this.range.size);
    return { bits, storedRange, modRevision: kv.modRevision };
  }

  /** Stores `bits` if the key is still at `modRevision`; false when someone wrote in between. */
  async write(bits: Bitmap, modRevision: number): Promise<boolean> {
    const value = encoder.encode(JSON.stringify({ range: this.range.spec, data: bits.encode() }));
    const r =
      modRevision === 0
        ? await this.store.create(this.key, value)
        : await this.store.update(this.key, value, modRevision);
    return r.succeeded;
  }

  /**
   * Runs `change` on the current bitmap and stores the result in one compare-and-swap, retried
   * from a fresh read on conflict (so `change` must only work on the Allocation it is given). An
   * error thrown by `change` writes nothing. With dryRun, or when nothing changed, nothing is written.
   */
  async update<T>(change: (a: Allocation<V>) => T, options: { dryRun?: boolean } = {}): Promise<T> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const stored = await this.read();
      const next = new Allocation(this.range, stored.bits.clone(), this.random);
      const result = change(next);
      const unchanged = stored.storedRange === this.range.spec && next.bits.equals(stored.bits);
      if (options.dryRun === true || unchanged) return result;
      if (await this.write(next.bits, stored.modRevision)) return result;
    }
    throw new Error(`too many conflicting writes to ${this.key}`);
  }

  allocate(value: V, options?: { dryRun?: boolean }): Promise<V> {
    return this.update((a) => a.allocate(value), options);
  }

  allocateNext(options?: { dryRun?: boolean }): Promise<V> {
    return this.update((a) => a.allocateNext(), options);
  }

  /** Releases the values in one write. */
  async release(...values: V[]): Promise<void> {
    if (values.length === 0) return;
    await this.update((a) => values.forEach((v) => a.release(v)));
  }

  async has(value: V): Promise<boolean> {
    const offset = this.range.offsetOf(value);
    return offset !== undefined && (await this.read()).bits.has(offset);
  }

  async values(): Promise<V[]> {
    return new Allocation(this.range, (await this.read()).bits, this.random).values();
  }
}
