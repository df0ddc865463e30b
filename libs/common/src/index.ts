export { PlatformError, isPlatformError, errorMessage } from './lib/errors.js';
