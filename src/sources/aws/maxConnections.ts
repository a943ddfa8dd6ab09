/** The formula moved to core/policy/maxConnections.ts (one authority for max_connections); kept here for its importers. */
export { classMemoryBytes, defaultMaxConnections } from '../../core/policy/maxConnections.js';
