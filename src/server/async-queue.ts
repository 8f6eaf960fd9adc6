/**
 * A bounded push → async-iterator queue: what `lns.sessions()` and `session.frames()` hand out.
 * When full, the oldest item is dropped (counted), as a network would drop; `end()` finishes
 * every pending `next()`.
 * @internal
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private waiters: ((r: IteratorResult<T>) => void)[] = [];
  private ended = false;
  /** Items dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly limit: number,
    private readonly onReturn?: () => void,
  ) {}

  get done(): boolean {
    return this.ended;
  }

  push(item: T): void {
    if (this.ended) return;
    const w = this.waiters.shift();
    if (w !== undefined) {
      w({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.limit) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push(item);
  }

  /** No more items: pending and later `next()` calls end once the held items are taken. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length !== 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((res) => this.waiters.push(res));
  }

  /** `break` out of a `for await`: stop queueing and free what is held. */
  return(): Promise<IteratorResult<T>> {
    this.items = [];
    this.end();
    this.onReturn?.();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
