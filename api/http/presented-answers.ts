/**
 * JSON bodies of answers made from cached analysis reports. A cached report is answered again and
 * again (a backend polling its sellers); shaping and serialising it each time cost about as much as
 * the rest of the request. The body is kept with the report it was made from (a WeakMap: it goes
 * with the report when the cache lets go of it), one per shape of answer — the caller's key names
 * everything else the body depends on.
 */
export class PresentedAnswers {
  readonly #bodies = new WeakMap<object, Map<string, string>>();

  body(report: object, shape: string, make: () => string): string {
    let byShape = this.#bodies.get(report);
    if (byShape === undefined) {
      byShape = new Map();
      this.#bodies.set(report, byShape);
    }
    let body = byShape.get(shape);
    if (body === undefined) {
      body = make();
      byShape.set(shape, body);
    }
    return body;
  }
}
