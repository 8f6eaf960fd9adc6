/**
 * A map that holds its first entry in two fields and makes a real `Map` only for a second: a
 * tunnel's session table usually holds one call or none, and a `Map` with its hash table costs
 * ~180 B against this object's 40 (issue 16: memory per tunnel + session). The subset of `Map`
 * the session tables use, iterating in insertion order as `Map` does. Values are objects that
 * are never themselves a `Map`.
 * @internal
 */
export class SmallMap<K, V extends object> {
  /** The one entry's key while `at` holds its value. */
  private k: K | undefined = undefined;
  /** Nothing, the one entry's value, or the `Map` of two entries or more. */
  private at: V | Map<K, V> | undefined = undefined;

  get size(): number {
    const at = this.at;
    return at === undefined ? 0 : at instanceof Map ? at.size : 1;
  }

  get(key: K): V | undefined {
    const at = this.at;
    if (at instanceof Map) return at.get(key);
    return at !== undefined && this.k === key ? at : undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    const at = this.at;
    if (at instanceof Map) at.set(key, value);
    else if (at === undefined || this.k === key) {
      this.k = key;
      this.at = value;
    } else {
      this.at = new Map<K, V>([[this.k as K, at]]).set(key, value);
      this.k = undefined;
    }
    return this;
  }

  delete(key: K): boolean {
    const at = this.at;
    if (at instanceof Map) {
      const gone = at.delete(key);
      if (at.size === 0) this.at = undefined;
      return gone;
    }
    if (at === undefined || this.k !== key) return false;
    this.k = undefined;
    this.at = undefined;
    return true;
  }

  clear(): void {
    this.k = undefined;
    this.at = undefined;
  }

  keys(): IterableIterator<K> {
    const at = this.at;
    if (at instanceof Map) return at.keys();
    return (at === undefined ? [] : [this.k as K]).values();
  }

  values(): IterableIterator<V> {
    const at = this.at;
    if (at instanceof Map) return at.values();
    return (at === undefined ? [] : [at]).values();
  }
}
