/**
 * The seam for versioned configuration. Everything that reads config asks a ConfigSource for the
 * version in force; the versioned LMDB store (later) implements the same interface and notifies
 * subscribers when an operator publishes a new version.
 */
import type { Config } from './schema.js';

export interface ConfigVersion {
  readonly id: number;
  readonly config: Readonly<Config>;
}

export type ConfigListener = (version: ConfigVersion) => void | Promise<void>;

export interface ConfigSource {
  current(): ConfigVersion;
  /**
   * Called with each new version in force; a listener may return a promise (e.g. until every shard
   * worker switched), which the publisher waits for. Returns an unsubscribe function.
   */
  subscribe(listener: ConfigListener): () => void;
}

/** A single, unchanging version — the boot config until the versioned store takes over. */
export class StaticConfigSource implements ConfigSource {
  readonly #version: ConfigVersion;
  constructor(config: Readonly<Config>, id = 1) {
    this.#version = Object.freeze({ id, config });
  }
  current(): ConfigVersion {
    return this.#version;
  }
  subscribe(): () => void {
    return () => {};
  }
}
