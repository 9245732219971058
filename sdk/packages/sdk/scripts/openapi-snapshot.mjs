// The snapshot form of an OpenAPI document: without `servers` (the URL of whoever served it).
export function normalise(doc) {
  const copy = { ...doc };
  delete copy.servers;
  return copy;
}

/** JSON with sorted keys: equal documents give equal text whatever their key order. */
export function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}
