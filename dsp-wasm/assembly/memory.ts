/**
 * Linear-memory management for the DSP kernels (stub runtime, no GC).
 *
 *   [ static data | scratch, grows up -> ...free... <- plan cache, grows down ]
 *   0        __heap_base                                        memory end
 *
 * - Scratch: a bump allocator. The host calls `alloc(bytes)` for its input and
 *   output buffers and `reset()` to free them all at once. Kernels borrow
 *   scratch above the host's buffers and give it back before returning
 *   (`scratchMark` / `scratchRelease`), so a kernel call never leaks memory.
 * - Plan cache: FFT twiddles and Bluestein chirps, kept across calls and
 *   `reset()`. Addressed by offset from the END of memory, so it can move.
 * - When the two would meet, memory grows (by at least half its size, to
 *   amortise) and the plan cache is moved to the new end with memory.copy.
 *   Scratch pointers never move; plan pointers must be re-read with `planPtr`
 *   after any allocation. The host must rebuild its views of memory.buffer
 *   after any call that may grow memory.
 */

/** Status codes returned by every kernel export. */
export const OK: i32 = 0;
/** The result is undefined for this input (NaN / "none" written to the output). */
export const UNDEFINED: i32 = 1;
/** A length argument is out of range (e.g. empty input, no taps, too long). */
export const ERR_LENGTH: i32 = -1;
/** A non-length argument is out of range (e.g. cutoff outside (0, 1)). */
export const ERR_ARGUMENT: i32 = -2;
/** memory.grow failed. */
export const ERR_NO_MEMORY: i32 = -3;
/** A buffer is misaligned or not inside the allocated scratch region. */
export const ERR_POINTER: i32 = -4;

/** 64 KiB pages: WebAssembly core spec 2.0, section 2.3.8 (memory types). */
const PAGE_SHIFT: usize = 16;
const PAGE_MASK: usize = (1 << PAGE_SHIFT) - 1;
/** 16-byte alignment so f64x2 (v128) loads/stores are naturally aligned. */
const ALIGN_MASK: usize = 15;
/** Size of one float64 in bytes, as a shift. */
export const F64_SHIFT: usize = 3;
/** Largest single block (1 GiB) so that pointer arithmetic cannot wrap in wasm32. */
const MAX_BLOCK: usize = 1 << 30;

const scratchBase: usize = (__heap_base + ALIGN_MASK) & ~ALIGN_MASK;
let scratchTop: usize = scratchBase;
let memEnd: usize = (<usize>memory.size()) << PAGE_SHIFT;
let planBase: usize = memEnd;

/** Ensures `bytes` free bytes between scratch top and plan base; false if memory cannot grow. */
function makeRoom(bytes: usize): bool {
  const free = planBase - scratchTop;
  if (bytes <= free) return true;
  const needPages = <i32>((bytes - free + PAGE_MASK) >> PAGE_SHIFT);
  const amortised = memory.size() >> 1;
  if (memory.grow(max(needPages, amortised)) < 0 && memory.grow(needPages) < 0) return false;
  const newEnd = (<usize>memory.size()) << PAGE_SHIFT;
  const planBytes = memEnd - planBase;
  memory.copy(newEnd - planBytes, planBase, planBytes);
  planBase = newEnd - planBytes;
  memEnd = newEnd;
  return true;
}

/** Bump-allocates `bytes` (16-byte aligned) of scratch; returns 0 when out of memory. */
export function alloc(bytes: usize): usize {
  if (bytes > MAX_BLOCK) return 0;
  const size = (bytes + ALIGN_MASK) & ~ALIGN_MASK;
  if (!makeRoom(size)) return 0;
  const ptr = scratchTop;
  scratchTop += size;
  return ptr;
}

/** Frees every scratch allocation (the plan cache is kept). */
export function reset(): void {
  scratchTop = scratchBase;
}

/** Current scratch top, to be handed back to `scratchRelease`. */
export function scratchMark(): usize {
  return scratchTop;
}

/** Frees the scratch allocated since `mark`. */
export function scratchRelease(mark: usize): void {
  assert(mark >= scratchBase && mark <= scratchTop, 'bad scratch mark');
  scratchTop = mark;
}

/** Allocates `count` float64 of scratch, 0 when out of memory. */
export function allocF64(count: i32): usize {
  return alloc((<usize>count) << F64_SHIFT);
}

/**
 * True when [ptr, ptr + count * 8) is 8-byte aligned and lies inside the
 * allocated scratch region; kernels check their buffers once with this and
 * then use raw (unchecked) loads and stores.
 */
export function validF64(ptr: usize, count: i32): bool {
  if (count < 0 || (ptr & 7) != 0 || ptr < scratchBase || ptr > scratchTop) return false;
  return (<u64>count) << F64_SHIFT <= <u64>(scratchTop - ptr);
}

/** Allocates `bytes` in the plan cache; returns its offset from the end of memory, 0 on failure. */
export function planAlloc(bytes: usize): usize {
  if (bytes > MAX_BLOCK) return 0;
  const size = (bytes + ALIGN_MASK) & ~ALIGN_MASK;
  if (!makeRoom(size)) return 0;
  planBase -= size;
  return memEnd - planBase;
}

/** Address of a plan block from its offset (valid until the next allocation). */
export function planPtr(offset: usize): usize {
  return memEnd - offset;
}

/** Drops plan blocks allocated after the block at `offset` (0 drops everything). */
export function planTruncate(offset: usize): void {
  planBase = memEnd - offset;
}
