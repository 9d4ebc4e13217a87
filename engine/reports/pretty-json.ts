/**
 * JSON for reading on paper: like JSON.stringify(value, null, 2), but any object or array whose
 * one-line form fits in `width` characters (indentation included) stays on one line — a config
 * of a few hundred settings then takes a few pages instead of a dozen.
 */
const kIndent = '  ';

/** Primitive array items filled into lines of at most `width` characters. */
function pack(items: string[], width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const [i, item] of items.entries()) {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line !== '' && indent.length + line.length + 1 + piece.length > width) {
      lines.push(indent + line);
      line = piece;
    } else line = line === '' ? piece : `${line} ${piece}`;
  }
  lines.push(indent + line);
  return lines.join('\n');
}

export function prettyJson(value: unknown, width: number, indent = ''): string {
  const flat = JSON.stringify(value) ?? 'null';
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= width) return flat;
  const inner = indent + kIndent;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) return `[\n${pack(value.map((v) => JSON.stringify(v) ?? 'null'), width, inner)}\n${indent}]`;
    return `[\n${value.map((v) => inner + prettyJson(v, width, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, width - k.length - 4, inner)}`).join(',\n')}\n${indent}}`;
}
