export { configSchema, type Config, type ResolutionConfig, type EventTypeConfig } from './schema.js';
export { defaultConfig } from './defaults.js';
export { loadConfig, validateConfig, mergeConfig, ConfigError, type DeepPartial } from './load.js';
export { StaticConfigSource, type ConfigSource, type ConfigVersion } from './source.js';
