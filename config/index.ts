export { configSchema, kMinBucketMs, type Config, type ResolutionConfig, type EventTypeConfig } from './schema.js';
export { defaultConfig } from './defaults.js';
export { loadConfig, validateConfig, mergeConfig, ConfigError, type DeepPartial } from './load.js';
export type { ConfigSource, ConfigVersion, ConfigListener } from './source.js';
export { diffConfig, type ConfigDiffEntry } from './diff.js';
export { refusedLiveChanges, kBootOnlyPaths, type RefusedChange } from './live-changes.js';
export { kTierNames, type Tier, type AccessConfig, type BucketConfig, type TierLimits } from './access-schema.js';
