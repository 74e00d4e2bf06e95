// Worker threads do not inherit tsx's loader, so each thread registers it before loading its
// TypeScript entry (named in workerData.entry).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
