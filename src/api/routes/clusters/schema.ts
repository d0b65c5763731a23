/**
 * Request schemas of /api/clusters. Unknown fields are rejected, so a typo such as `fe_port`
 * is a 400 naming it rather than a silently ignored value.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { DEPLOYMENT_MODES, ENGINES, NODE_LIST_SOURCES } from '../../../shared/api-types.js';
import { boolean, expecting, idParam, objectError, oneOf, text, wholeNumber } from '../../schema-fields.js';

const HOST_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function isHost(value: string): boolean {
  if (isIP(value) !== 0) return true;
  return value.length <= 253 && value.split('.').every((label) => HOST_LABEL.test(label));
}

const tag = text(64).refine((value) => !value.includes(','), 'must not contain commas');

/** Every settable field, without defaults: the update body is these, all optional. */
const fields = {
  name: text(100),
  description: z.string(expecting('a string')).trim().max(1000, 'must be at most 1000 characters'),
  fe_host: text(255).refine(isHost, 'must be a host name or IP address, without scheme, port or path (e.g. fe1.example.com or 10.0.0.5)'),
  fe_http_port: wholeNumber(1, 65535),
  fe_query_port: wholeNumber(1, 65535),
  username: text(128),
  password: z.string(expecting('a string')).max(1024, 'must be at most 1024 characters'),
  enable_ssl: boolean(),
  connection_timeout: wholeNumber(1, 300),
  collect_interval: wholeNumber(1, 86_400).nullable(),
  tags: z
    .array(tag, expecting('an array of strings'))
    .max(32, 'must have at most 32 tags')
    .transform((tags) => [...new Set(tags)]),
  deployment_mode: oneOf(DEPLOYMENT_MODES),
  engine: oneOf(ENGINES),
  node_list_source: oneOf(NODE_LIST_SOURCES),
};

export const ClusterCreateBody = z.strictObject(
  {
    name: fields.name,
    fe_host: fields.fe_host,
    username: fields.username,
    description: fields.description.default(''),
    fe_http_port: fields.fe_http_port.default(8030),
    fe_query_port: fields.fe_query_port.default(9030),
    password: fields.password.default(''),
    enable_ssl: fields.enable_ssl.default(false),
    connection_timeout: fields.connection_timeout.default(10),
    collect_interval: fields.collect_interval.default(null),
    tags: fields.tags.default([]),
    deployment_mode: fields.deployment_mode.default('shared_nothing'),
    engine: fields.engine.default('starrocks'),
    node_list_source: fields.node_list_source.default('http'),
  },
  objectError,
);

export const ClusterUpdateBody = z.strictObject(fields, objectError).partial();

export const ClusterIdParams = z.object({ id: idParam });
