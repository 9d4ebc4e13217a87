/** The embeddable widgets (api/http/static-route.ts serves /embed/<kind> for each). */
export const kWidgetKinds = ['anomaly', 'prediction', 'health', 'alerts', 'events'] as const;
export type WidgetKind = (typeof kWidgetKinds)[number];

export function isWidgetKind(k: string): k is WidgetKind {
  return (kWidgetKinds as readonly string[]).includes(k);
}

/** What the embedding page chose (iframe query parameters or the script tag's data- attributes). */
export interface WidgetOptions {
  kind: WidgetKind;
  seller: string;
  theme: 'light' | 'dark' | 'auto' | null;
  type: string | null;
  resolution: string | null;
  /** A CSS colour for lines and highlights. */
  accent: string | null;
}
