// The TTL-after-finished controller (pkg/controller/ttlafterfinished/ttlafterfinished_controller.go):
// a Job with spec.ttlSecondsAfterFinished is deleted that long after its Complete/Failed
// condition's lastTransitionTime, with Foreground propagation and a UID precondition, so its
// pods go first. It waits on a timer for the expiry rather than polling. A failed delete is
// retried rate-limited (handleErr: AddRateLimited, DefaultControllerRateLimiter, no retry limit).

import type { Cluster, Component } from '../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../engine/component.js';
import type { KubeObject } from '../api/types.js';
import { objectKey } from '../api/store.js';
import { ApiError } from '../api/errors.js';
import { parseTimestamp } from '../api/time.js';

/** jobFinishTime: the lastTransitionTime of the True Complete/Failed condition */
export function jobFinishTime(job: KubeObject): number | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return parseTimestamp(c.lastTransitionTime);
  }
  return undefined;
}

/** timeLeft: ms until expiry, or undefined when the job is not a candidate */
export function ttlTimeLeft(job: KubeObject, nowMs: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (typeof ttl !== 'number' || job.metadata.deletionTimestamp) return undefined;
  const finished = jobFinishTime(job);
  if (finished === undefined) return undefined;
  return finished + ttl * 1000 - nowMs;
}

export class TTLAfterFinishedController implements Component {
  readonly name = 'ttl-after-finished-controller';
  private readonly queue: WorkQueue;

  constructor(private readonly cluster: Cluster) {
    this.queue = controllerQueue(cluster, this.name, (key) => this.processNextWorkItem(key));
    controllerInformer(cluster, this.name, ['Job'], (ev) => {
      if (ev.type === 'DELETED') return;
      const o = ev.object;
      if (ttlTimeLeft(o, cluster.sim.now) !== undefined) this.queue.add(objectKey('Job', o.metadata.namespace, o.metadata.name!));
    });
  }

  /** processNextWorkItem + handleErr: a failed cleanup is retried rate-limited, with no limit */
  private processNextWorkItem(key: string): void {
    if (this.sync(key)) this.queue.addRateLimited(key);
    else this.queue.forget(key);
  }

  /** processJob; returns the delete error that makes upstream requeue the Job */
  private sync(key: string): ApiError | undefined {
    const api = this.cluster.api;
    const job = api.store.getByKey(key);
    if (!job) return undefined;
    const left = ttlTimeLeft(job, this.cluster.sim.now);
    if (left === undefined) return undefined;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return undefined;
    }
    // processTTL re-reads the job and checks again before deleting
    try {
      api.delete('Job', job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Foreground', preconditionUid: job.metadata.uid });
      return undefined;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      // NotFound and a UID Conflict too: the retry's sync finds the job gone or replaced
      return e;
    }
  }
}
