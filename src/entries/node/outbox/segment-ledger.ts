/**
 * Which segments still matter. A segment is kept while it holds a put of a
 * record still waiting, or the latest retry state of one. It may go once
 * neither is true, it is not the one being written, and every older segment
 * whose puts its `done` entries cancel is gone already: deleting the `done`
 * first would bring those records back on the next recovery. Deleting in
 * ascending order lets a whole run of dead segments go in one pass.
 */
export class SegmentLedger {
  /** Per segment: live references, and the older segments its `done` entries cancel puts in. */
  readonly #segments = new Map<number, { live: number; cancels: Set<number> }>();

  add(segment: number): void {
    if (!this.#segments.has(segment)) this.#segments.set(segment, { live: 0, cancels: new Set() });
  }

  ref(segment: number): void {
    this.#segments.get(segment)!.live++;
  }

  unref(segment: number): void {
    this.#segments.get(segment)!.live--;
  }

  /** A `done` in `segment` cancels a put in `putSegment`. */
  cancels(segment: number, putSegment: number): void {
    if (putSegment !== segment) this.#segments.get(segment)!.cancels.add(putSegment);
  }

  /** The segments that may be deleted now, oldest first; they are forgotten here. */
  takeDead(active: number): number[] {
    const dead: number[] = [];
    for (const segment of [...this.#segments.keys()].sort((a, b) => a - b)) {
      const entry = this.#segments.get(segment)!;
      if (segment === active || entry.live > 0) continue;
      if ([...entry.cancels].some((older) => this.#segments.has(older))) continue;
      this.#segments.delete(segment);
      dead.push(segment);
    }
    return dead;
  }
}
