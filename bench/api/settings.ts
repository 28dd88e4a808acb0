// The workload sizes of bench/api.ts.
import { randomBytes } from 'node:crypto';

/** Requests in flight for creates and gets (and the ceiling). */
export const clients = 64;
/** HTTP/2 sessions (TLS connections) the in-flight requests share, round-robin. */
export const sessions = 8;
/** Lists of 1,000 objects in flight: 64 only queues 1.3 MB responses behind one another. */
export const listClients = 8;
export const createTotal = 20_000;
export const getSeconds = 5;
export const listSeconds = 5;
export const listObjects = 1000;
export const watchers = 1000;
export const watchSessions = 4;
export const watchEvents = 200;
export const watchIntervalMs = 20;
export const rssObjects = 100_000;
/** ~1 KiB of data per ConfigMap (1,024 base64 characters). */
export const payload = randomBytes(768).toString('base64');

export const h2 = `HTTP/2 over TLS (node:http2), ${sessions} sessions, admin client cert`;
