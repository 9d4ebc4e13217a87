/**
 * The seller table of one producer's last columnar frame, resolved to directory locations.
 *
 * A high-throughput producer sends the same `sellerIds` table frame after frame (the sellers it
 * multiplexes); resolving it costs one directory hash lookup per seller, each on a freshly decoded
 * string whose hash is not yet computed — about a tenth of the main thread at a million columnar
 * events/s. A memo per connection turns that into one string comparison per seller while the table
 * repeats. It holds only tables whose every seller resolved (a table with a bad or capacity-refused
 * seller is checked afresh each time) and is void once the directory moves or forgets any seller
 * (its generation) or the directory itself is replaced (resharding).
 */
import type { TenantSellers } from '../router/seller-directory.js';

export class SellerTableMemo {
  #ids: readonly unknown[] = [];
  #sellers: TenantSellers | null = null;
  #generation = -1;
  readonly #locations: Int32Array;

  constructor(maxSellers: number) {
    this.#locations = new Int32Array(maxSellers);
  }

  /** Copies the remembered locations into `into` when `ids` is the remembered table; false otherwise. */
  recall(sellers: TenantSellers, ids: readonly unknown[], into: Int32Array): boolean {
    const n = ids.length;
    if (sellers !== this.#sellers || sellers.generation !== this.#generation || n !== this.#ids.length) return false;
    const known = this.#ids;
    for (let i = 0; i < n; i++) if (ids[i] !== known[i]) return false;
    into.set(this.#locations.subarray(0, n));
    return true;
  }

  /** Remembers a table whose every seller resolved to `locations[0..ids.length)`. */
  remember(sellers: TenantSellers, ids: readonly unknown[], locations: Int32Array): void {
    if (ids.length > this.#locations.length) return;
    this.#ids = ids.slice(); // the caller's array may be reused
    this.#sellers = sellers;
    this.#generation = sellers.generation;
    this.#locations.set(locations.subarray(0, ids.length));
  }
}
