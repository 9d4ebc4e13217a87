/**
 * A shard's write-ahead log (wal mode): the worker appends the raw 24-byte queue records it folds,
 * and makes them durable with fdatasync at most every walSyncMs (group commit) — or at once when
 * the queue has gone quiet. Files: <dir>/e<epoch>-s<shard>-g<generation>.wal; a snapshot rotates
 * to the next generation, and generations older than the last committed snapshot are deleted.
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface WalFileName {
  epoch: number;
  shard: number;
  generation: number;
  path: string;
}

const kWalFile = /^e(\d+)-s(\d+)-g(\d+)\.wal$/;

export function walFiles(dir: string): WalFileName[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ m: kWalFile.exec(name), name }))
    .filter((x): x is { m: RegExpExecArray; name: string } => x.m !== null)
    .map(({ m, name }) => ({ epoch: Number(m[1]), shard: Number(m[2]), generation: Number(m[3]), path: join(dir, name) }))
    .sort((a, b) => a.epoch - b.epoch || a.shard - b.shard || a.generation - b.generation);
}

export class WalWriter {
  readonly #dir: string;
  readonly #epoch: number;
  readonly #shard: number;
  #fd: number;
  #generation = 0;
  #unsynced = 0;
  #lastSync = 0;

  constructor(dir: string, epoch: number, shard: number) {
    mkdirSync(dir, { recursive: true });
    this.#dir = dir;
    this.#epoch = epoch;
    this.#shard = shard;
    // a worker restarted after a crash continues after the generations its predecessor wrote
    const mine = walFiles(dir).filter((f) => f.epoch === epoch && f.shard === shard);
    this.#generation = mine.length === 0 ? 0 : mine[mine.length - 1].generation + 1;
    this.#fd = this.#open();
  }

  #open(): number {
    return openSync(join(this.#dir, `e${this.#epoch}-s${this.#shard}-g${this.#generation}.wal`), 'a');
  }

  get generation(): number {
    return this.#generation;
  }

  get unsynced(): number {
    return this.#unsynced;
  }

  append(bytes: Uint8Array): void {
    let written = 0;
    while (written < bytes.byteLength) written += writeSync(this.#fd, bytes, written, bytes.byteLength - written);
    this.#unsynced += bytes.byteLength;
  }

  /** fdatasync if there is unsynced data and `syncMs` passed since the last sync (or `force`). */
  maybeSync(nowMs: number, syncMs: number, force: boolean): boolean {
    if (this.#unsynced === 0 || (!force && nowMs - this.#lastSync < syncMs)) return false;
    fdatasyncSync(this.#fd);
    this.#unsynced = 0;
    this.#lastSync = nowMs;
    return true;
  }

  /** Syncs and starts the next generation; returns the new generation number. */
  rotate(nowMs: number): number {
    this.maybeSync(nowMs, 0, true);
    closeSync(this.#fd);
    this.#generation++;
    this.#fd = this.#open();
    return this.#generation;
  }

  /** Deletes this shard's files of generations below `generation`. */
  deleteBelow(generation: number): void {
    for (const f of walFiles(this.#dir)) {
      if (f.epoch === this.#epoch && f.shard === this.#shard && f.generation < generation) unlinkSync(f.path);
    }
  }

  close(nowMs: number): void {
    this.maybeSync(nowMs, 0, true);
    closeSync(this.#fd);
  }
}
