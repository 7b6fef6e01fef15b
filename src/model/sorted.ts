// In-place insertion and removal for the model's sorted arrays. Array.prototype.splice
// allocates the array of removed elements on every call, even an empty one, and the range
// table and page owners change on every allocation and free.

export function insertAt<T>(a: T[], i: number, v: T): void {
  let k = a.length;
  a.push(v);
  for (; k > i; k--) a[k] = a[k - 1] as T;
  a[i] = v;
}

export function removeAt<T>(a: T[], i: number): void {
  const last = a.length - 1;
  for (let k = i; k < last; k++) a[k] = a[k + 1] as T;
  a.pop();
}
