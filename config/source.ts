/**
 * What everything that reads config depends on: the version in force, and notice of new ones. The
 * versioned LMDB store (engine/store/config-versions.ts) implements it.
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
