import { Analytics, init } from './tracking/index.js';
import { Management } from './management/client.js';
import { GrowthOSError } from './management/errors.js';
import { VERSION } from './version.js';

export { Analytics, init, Management, GrowthOSError, VERSION };
export { PageList } from './management/pagination.js';
export { backoffDelay, serverDelay } from './retry.js';
export { uuidv4 } from './uuid.js';
export type { Callback, CallOptions, JsonObject, KeyValueStorage, TrackingEvent, TrackingOptions } from './tracking/index.js';
export type { ManagementOptions, RawRequest } from './management/client.js';
export type { GrowthOSErrorDetail } from './management/errors.js';
export type { Page, RequestOptions, RouteSpec } from './management/types.js';
export type { ManagementResources } from './management/generated/routes.js';
export type { components, operations, paths } from './management/generated/openapi.js';

/** `import GrowthOS from '@growthos/sdk'`: `GrowthOS.init(...)`, `new GrowthOS.Management(...)`. */
const GrowthOS = { init, Analytics, Management, GrowthOSError, VERSION };
export default GrowthOS;
