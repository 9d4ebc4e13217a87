/** Structural diff of two configs as JSON-pointer paths (arrays compared whole). */
export interface ConfigDiffEntry {
  path: string;
  from: unknown;
  to: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function diffConfig(from: unknown, to: unknown, path = ''): ConfigDiffEntry[] {
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => diffConfig(from[k], to[k], `${path}/${k}`));
  }
  return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ path: path || '/', from, to }];
}
