/** The signed-in read key (sessionStorage: gone with the tab) and the view in the URL hash (#seller=&type=&res=). */
const kKey = 'sellerpulse.key';

export function storedKey(): string | null {
  return sessionStorage.getItem(kKey);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(kKey, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(kKey);
}

export interface View {
  seller: string;
  type: string;
  res: string;
}

export function readView(): Partial<View> {
  const p = new URLSearchParams(location.hash.slice(1));
  return { seller: p.get('seller') ?? undefined, type: p.get('type') ?? undefined, res: p.get('res') ?? undefined };
}

export function writeView(v: View): void {
  const p = new URLSearchParams({ seller: v.seller, type: v.type, res: v.res });
  history.replaceState(null, '', `#${p}`);
}
