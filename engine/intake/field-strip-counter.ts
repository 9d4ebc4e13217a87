/**
 * Counts the fields that data minimisation drops, by name for names that look like personal data
 * (the content is never looked at), and in one total for everything else.
 */
export class FieldStripCounter {
  #piiNames: ReadonlySet<string>;
  readonly piiByField = new Map<string, number>();
  unknownDropped = 0;

  constructor(piiNames: readonly string[]) {
    this.#piiNames = new Set(piiNames.map((n) => normalise(n)));
  }

  /** A new config version may change the list; the counts so far are kept. */
  setNames(piiNames: readonly string[]): void {
    this.#piiNames = new Set(piiNames.map((n) => normalise(n)));
  }

  count(fieldName: string): void {
    const norm = normalise(fieldName);
    if (this.#piiNames.has(norm)) this.piiByField.set(norm, (this.piiByField.get(norm) ?? 0) + 1);
    else this.unknownDropped++;
  }
}

/** "First_Name", "first-name" and "firstName" all become "firstname". */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
