/**
 * Builds the boot configuration: defaults ← SELLERPULSE_CONFIG file ← environment ← explicit
 * overrides, validated once with the zod schema (one error listing every problem), then frozen.
 */
import { readFileSync } from 'node:fs';
import { configSchema, type Config } from './schema.js';
import { defaultConfig } from './defaults.js';

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface ConfigIssue {
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(source: string, issues: ConfigIssue[]) {
    super(`invalid configuration (${source}):\n` + issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge for config patches: objects merge key by key, arrays and scalars replace. */
export function mergeConfig(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(patch)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = mergeConfig(base[key], patch[key]);
  }
  return out;
}

export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Validates a candidate config; throws ConfigError listing every issue. */
export function validateConfig(candidate: unknown, source: string): Readonly<Config> {
  const parsed = configSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((i) => ({ path: '/' + i.path.map(String).join('/'), message: i.message })),
    );
  }
  return deepFreeze(parsed.data);
}

function envOverrides(env: NodeJS.ProcessEnv): DeepPartial<Config> {
  const out: DeepPartial<Config> = {};
  const server: DeepPartial<Config['server']> = {};
  if (env.PORT !== undefined && env.PORT !== '') server.port = Number(env.PORT);
  if (env.HOST !== undefined && env.HOST !== '') server.host = env.HOST;
  if (Object.keys(server).length > 0) out.server = server;
  if (env.SELLERPULSE_DATA_DIR) out.dataDir = env.SELLERPULSE_DATA_DIR;
  if (env.SELLERPULSE_SHARDS) out.shards = Number(env.SELLERPULSE_SHARDS);
  if (env.SELLERPULSE_LOG_LEVEL) out.log = { level: env.SELLERPULSE_LOG_LEVEL as Config['log']['level'] };
  if (env.SELLERPULSE_DURABILITY) out.durability = { mode: env.SELLERPULSE_DURABILITY as Config['durability']['mode'] };
  return out;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Applied last, e.g. by tests and benches. */
  overrides?: DeepPartial<Config>;
}

export function loadConfig(options: LoadOptions = {}): Readonly<Config> {
  const env = options.env ?? process.env;
  let merged: unknown = defaultConfig();
  let source = 'defaults';
  const file = env.SELLERPULSE_CONFIG;
  if (file) {
    let fromFile: unknown;
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(file, [{ path: '', message: `cannot read JSON: ${(err as Error).message}` }]);
    }
    merged = mergeConfig(merged, fromFile);
    source = `defaults + ${file}`;
  }
  merged = mergeConfig(merged, envOverrides(env));
  if (options.overrides) merged = mergeConfig(merged, options.overrides);
  return validateConfig(merged, source + ' + environment');
}
