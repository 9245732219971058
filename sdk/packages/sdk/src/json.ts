/**
 * `JSON.stringify` that ignores an `Array.prototype.toJSON` the page added. Prototype.js 1.6 (and
 * code of its time) defines one returning a string, so `JSON.stringify({items: [1, 2]})` gives
 * `{"items":"[1, 2]"}` and every array property would be stored and sent as a string. It is taken
 * off for the call and put back, as analytics libraries of that era did; when the page made it
 * impossible to remove, the browser's own behaviour stays.
 */
export function stringify(value: unknown): string {
  const proto = Array.prototype as unknown as { toJSON?: unknown };
  if (!Object.prototype.hasOwnProperty.call(proto, 'toJSON')) return JSON.stringify(value);
  const saved = proto.toJSON;
  try {
    delete proto.toJSON;
  } catch {
    return JSON.stringify(value);
  }
  try {
    return JSON.stringify(value);
  } finally {
    proto.toJSON = saved;
  }
}
