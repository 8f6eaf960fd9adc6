/**
 * A map that holds its first entry in two fields and makes a real `Map` only for a second: a
 * tunnel's session table usually holds one call or none, and an empty `Map` with its table costs
 * ~180 B against this object's 48 (issue 16: memory per tunnel + session). The subset of `Map`
 * the session tables use, in insertion order as `Map` iterates. Values are never `undefined`.
 * @internal
 */
export class SmallMap<K, V> {
  private k: K | undefined = undefined;
  /** The one entry's value while there is no `m`; `undefined` for none. */
  private v: V | undefined = undefined;
  private m: Map<K, V> | undefined = undefined;

  get size(): number {
    return this.m !== undefined ? this.m.size : this.v === undefined ? 0 : 1;
  }

  get(key: K): V | undefined {
    if (this.m !== undefined) return this.m.get(key);
    return this.v !== undefined && this.k === key ? this.v : undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    if (this.m !== undefined) this.m.set(key, value);
    else if (this.v === undefined || this.k === key) {
      this.k = key;
      this.v = value;
    } else {
      this.m = new Map<K, V>([[this.k as K, this.v as V]]).set(key, value);
      this.k = undefined;
      this.v = undefined;
    }
    return this;
  }

  delete(key: K): boolean {
    const m = this.m;
    if (m !== undefined) {
      const gone = m.delete(key);
      if (m.size === 0) this.m = undefined;
      return gone;
    }
    if (this.v === undefined || this.k !== key) return false;
    this.k = undefined;
    this.v = undefined;
    return true;
  }

  clear(): void {
    this.k = undefined;
    this.v = undefined;
    this.m = undefined;
  }

  keys(): IterableIterator<K> {
    if (this.m !== undefined) return this.m.keys();
    return (this.v === undefined ? [] : [this.k as K]).values();
  }

  values(): IterableIterator<V> {
    if (this.m !== undefined) return this.m.values();
    return (this.v === undefined ? [] : [this.v]).values();
  }
}
