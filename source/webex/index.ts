export {createWebexClient} from './client.js';
export {WebexError, isWebexError} from './errors.js';
export {parseNextLink, paginate, collect} from './pagination.js';
export {parseRetryAfterMs, isRetryableFailure} from './retry.js';
export {userAgent} from './request.js';
export type * from './types.js';
