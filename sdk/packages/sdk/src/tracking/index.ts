import { Analytics } from './client.js';
import type { TrackingOptions } from './types.js';

export { Analytics };
export type { Callback, CallOptions, JsonObject, KeyValueStorage, TrackingEvent, TrackingOptions } from './types.js';

/** `GrowthOS.init({writeKey, host})`: a tracking client (see {@link Analytics}). */
export function init(options: TrackingOptions): Analytics {
  return new Analytics(options);
}
