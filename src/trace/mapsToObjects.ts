// .vpt frames are decoded with their plain MessagePack maps as Map (codec.ts), because
// msgpackr, making a map into an object itself, renames a "__proto__" key to "__proto_" (its
// guard against prototype pollution) and the validators then name a key the file never held.
// Here a decoded value's Maps become plain objects, "__proto__" kept as an own key, so the
// validators refuse it by its real name, as they do in JSONL (where JSON.parse keeps it).
import { isPlainObject } from './structs.js';

/** `root` with every Map in it made an object, in place, and how many Maps there were. */
export function mapsToObjects(root: unknown): { readonly value: unknown; readonly maps: number } {
  const top: Record<string, unknown> = { value: root };
  // Slots to look at: a holder and its key. A worklist, not recursion: depth is the input's.
  const work: [Record<string, unknown> | unknown[], string | number][] = [[top, 'value']];
  let maps = 0;
  for (let slot = work.pop(); slot !== undefined; slot = work.pop()) {
    const [holder, key] = slot;
    let v = (holder as Record<string | number, unknown>)[key];
    if (v instanceof Map) {
      const o = objectOf(v);
      if (o === undefined) continue;
      (holder as Record<string | number, unknown>)[key] = o;
      v = o;
      maps++;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) work.push([v, i]);
    } else if (isPlainObject(v)) {
      for (const k in v) work.push([v, k]);
    }
  }
  return { value: top['value'], maps };
}

/** The map's entries as an object's own keys; undefined if a key is not a string. */
function objectOf(map: Map<unknown, unknown>): Record<string, unknown> | undefined {
  const o: Record<string, unknown> = {};
  for (const [k, v] of map) {
    if (typeof k !== 'string') return undefined;
    // `o[k] = v` with k "__proto__" would set o's prototype instead of adding a key.
    if (k === '__proto__') {
      Object.defineProperty(o, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else o[k] = v;
  }
  return o;
}
