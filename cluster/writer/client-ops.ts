// The client operations the writer serves once it is the primary: mutations
// get an LSN, queries are served at the VDL read point.

import type { ClientRequest } from '../protocol/client-messages.js';

export type Mutation = Extract<ClientRequest, { t: 'write' | 'cas' | 'append' }>;
export type Query = Extract<ClientRequest, { t: 'read' | 'read-list' }>;
export type KeyOp = Mutation | Query;
