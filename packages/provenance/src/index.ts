export { canonicalJson } from './canonical-json.js';
export { hashBytes, hashJson, hashArray, hashFile, HASH_PREFIX } from './hash.js';
export * from './records.js';
export { resultKey, type KeyParts } from './result-key.js';
export { PARAMETER_SETS, resolveParams } from './parameter-sets.js';
export type { Sql } from './store/sql.js';
export { MIGRATIONS, migrate } from './store/migrations.js';
export { Store, type Job, type JobPayload } from './store/store.js';
export { openStore, type OpenStoreOptions } from './store/open-store.js';
