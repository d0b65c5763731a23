/**
 * The kinds of cluster Stellar knows: which engine, how it stores data, and how its node lists
 * are read. The registry stores them, the client and collector act on them, the API accepts and
 * answers them (src/shared/api/clusters.ts).
 */

export const DEPLOYMENT_MODES = ['shared_nothing', 'shared_data'] as const;
export const ENGINES = ['starrocks', 'doris'] as const;
export const NODE_LIST_SOURCES = ['http', 'mysql'] as const;

export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];
export type Engine = (typeof ENGINES)[number];
export type NodeListSource = (typeof NODE_LIST_SOURCES)[number];
