// The Job controller (pkg/controller/job/job_controller.go, 1.31+ semantics; 1.30 where the
// cluster's kubernetesVersion says so). syncJob: list the job's pods, count newly finished ones
// (pods still carrying the batch.kubernetes.io/job-tracking finalizer), decide whether the job
// has failed (backoffLimit, activeDeadlineSeconds) or completed, otherwise create or delete
// pods towards min(parallelism, remaining completions) after the pod-failure back-off; then
// record finished pods in status.uncountedTerminatedPods, remove their finalizers, move them
// into succeeded/failed, and set the terminal condition once no pod is uncounted or terminating.

import type { Cluster, Component } from '../../engine/cluster.js';
import { WorkQueue, controllerQueue, controllerInformer } from '../../engine/component.js';
import { ItemExponentialFailureRateLimiter } from '../../engine/rate_limiters.js';
import type { KubeObject } from '../../api/types.js';
import type { WatchEvent } from '../../api/server.js';
import { controllerRef, getControllerOf } from '../../api/server.js';
import { objectKey } from '../../api/store.js';
import { selectorFromLabelSelector, type Selector } from '../../api/labels.js';
import { ApiError } from '../../api/errors.js';
import { timestamp } from '../../api/time.js';
import { BURST_REPLICAS, ControllerExpectations, podEventOwner, podMayConcern, SLOW_START_INITIAL_BATCH_SIZE, isPodActive, isPodReady, isPodTerminating } from '../controller_utils.js';
import { claimObjects } from '../controller_ref_manager.js';
import { newBackoffRecord, remainingBackoffMs, type BackoffRecord } from './backoff.js';
import {
  COMPLETION_INDEX_ANNOTATION,
  calculateSucceededIndexes,
  firstPendingIndexes,
  getCompletionIndex,
  intervalsHas,
  intervalsToString,
  intervalsTotal,
  podGenerateNameWithIndex,
  toIntervals,
  type Interval,
} from './indexed.js';
import {
  JOB_CONTROLLER_NAME,
  JOB_TRACKING_FINALIZER,
  findCondition,
  hasTrackingFinalizer,
  isComplete,
  isIndexedJob,
  isJobFinished,
  isPodFailed,
  jobSuspended,
  minorAtLeast,
  onlyReplaceFailedPods,
  pastActiveDeadline,
  pastBackoffLimitOnFailure,
  sortActivePods,
  wantActive as computeWantActive,
} from './util.js';

/** syncJobBatchPeriod: pod events are folded into one sync per second */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;
/** job_controller.go DefaultJobApiBackOff, MaxJobApiBackOff: the work queue's retry delays */
const DEFAULT_JOB_API_BACKOFF_MS = 1000;
const MAX_JOB_API_BACKOFF_MS = 60_000;
/** MaxUncountedPods */
const MAX_UNCOUNTED_PODS = 500;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface SyncCtx {
  job: KubeObject;
  pods: KubeObject[];
  activePods: KubeObject[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  finished?: Condition;
  backoff: BackoffRecord;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
}

export class JobController implements Component {
  readonly name = 'job-controller';
  private readonly queue: WorkQueue;
  private readonly expectations = new ControllerExpectations();
  private readonly backoff = new Map<string, BackoffRecord>();
  private readonly batched = new Set<string>();
  /** 1.31+: FailureTarget/SuccessCriteriaMet first, Complete/Failed once pods are gone (delayTerminalCondition) */
  private readonly delayTerminal: boolean;
  /** JobSuccessPolicy (beta in 1.31): the success condition carries reason CompletionsReached */
  private readonly successReason: boolean;

  constructor(private readonly cluster: Cluster) {
    const v = cluster.config.kubernetesVersion;
    this.delayTerminal = minorAtLeast(v, 31);
    this.successReason = minorAtLeast(v, 31);
    // the job controller's own limiter: per key 1 s doubling up to 1 min, no overall bucket
    this.queue = controllerQueue(cluster, this.name, (key) => this.processNextWorkItem(key), () => new ItemExponentialFailureRateLimiter(DEFAULT_JOB_API_BACKOFF_MS, MAX_JOB_API_BACKOFF_MS));
    controllerInformer(cluster, this.name, ['Job', 'Pod'], (ev) => this.onEvent(ev), podMayConcern('Job'));
  }

  private onEvent(ev: WatchEvent): void {
    const o = ev.object;
    if (o.kind === 'Job') {
      // job add/update/delete: enqueueSyncJobImmediately
      this.queue.add(objectKey('Job', o.metadata.namespace, o.metadata.name!));
      return;
    }
    // a pod: its job hears about it (batched); an orphan may be adopted by a manual-selector job
    const owner = podEventOwner(ev, 'Job', this.cluster.api.store, this.expectations, (k) => this.enqueueBatched(k));
    if (owner !== 'orphan') {
      if (owner) this.enqueueBatched(owner);
      return;
    }
    const ns = o.metadata.namespace;
    for (const job of this.cluster.api.store.iterate('Job', ns)) {
      if (job.spec?.manualSelector !== true) continue;
      const sel = safeSelector(job);
      if (sel && !sel.empty() && sel.matches(o.metadata.labels)) this.enqueueBatched(objectKey('Job', ns, job.metadata.name!));
    }
  }

  /** enqueueSyncJobBatched: at most one sync per job per syncJobBatchPeriod for pod events */
  private enqueueBatched(key: string): void {
    if (this.batched.has(key)) return;
    this.batched.add(key);
    this.cluster.sim.schedule(SYNC_JOB_BATCH_PERIOD_MS, `${this.name}/batch`, () => {
      this.batched.delete(key);
      this.queue.add(key);
    });
  }

  private event(job: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.cluster.api.recordEvent(job, type, reason, message, this.name);
  }

  /** the job's pods: those it controls (owner index), plus adoptable orphans for a manual selector */
  private podsForJob(job: KubeObject, selector: Selector): KubeObject[] {
    const api = this.cluster.api;
    if (job.spec?.manualSelector === true) {
      const candidates = [...api.store.iterate('Pod', job.metadata.namespace)];
      return claimObjects(api, job, selector, candidates, this.name);
    }
    const out: KubeObject[] = [];
    for (const k of api.store.dependentsOf(job.metadata.uid!)) {
      const p = api.store.getByKey(k);
      if (p && p.kind === 'Pod' && getControllerOf(p)?.uid === job.metadata.uid) out.push(p);
    }
    return out.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }

  /** processNextWorkItem: a sync whose pod creates or deletes failed is retried rate-limited */
  private processNextWorkItem(key: string): void {
    if (this.sync(key)) this.queue.addRateLimited(key);
    else this.queue.forget(key);
  }

  /** syncJob; returns manageJob's error, which makes upstream requeue the key rate-limited */
  private sync(key: string): ApiError | undefined {
    const api = this.cluster.api;
    const now = this.cluster.sim.now;
    const stored = api.store.getByKey(key);
    if (!stored) {
      this.expectations.delete(key);
      this.backoff.delete(key);
      return;
    }
    const managedBy = stored.spec?.managedBy;
    if (managedBy !== undefined && managedBy !== JOB_CONTROLLER_NAME) return;
    if (isJobFinished(stored)) {
      this.backoff.delete(key);
      return;
    }
    const mode = stored.spec?.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.event(stored, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const selector = safeSelector(stored);
    if (!selector) return;
    const job = structuredClone(stored) as KubeObject;
    job.status ??= {};
    const uncounted = job.status.uncountedTerminatedPods ?? {};
    const satisfied = this.expectations.satisfied(key, now);
    const pods = this.podsForJob(job, selector);
    const activePods = pods.filter(isPodActive);
    const ctx: SyncCtx = {
      job,
      pods,
      activePods,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter(isPodTerminating).length,
      succeeded: 0,
      failed: 0,
      uncountedSucceeded: new Set(uncounted.succeeded ?? []),
      uncountedFailed: new Set(uncounted.failed ?? []),
      backoff: { failuresAfterLastSuccess: 0 },
      prevSucceededIndexes: [],
      succeededIndexes: [],
    };
    let active = activePods.length;
    const [newSucceeded, newFailed] = this.newFinishedPods(ctx);
    ctx.succeeded = (job.status.succeeded ?? 0) + newSucceeded.length + ctx.uncountedSucceeded.size;
    ctx.failed = (job.status.failed ?? 0) + newFailed.length + ctx.uncountedFailed.size;
    if (!job.status.startTime && !jobSuspended(job)) job.status.startTime = timestamp(now);
    ctx.backoff = newBackoffRecord(this.backoff.get(key), newSucceeded, newFailed);

    const backoffLimit: number = job.spec?.backoffLimit ?? 6;
    const exceedsBackoffLimit = ctx.failed > backoffLimit;
    const scm = findCondition(job, 'SuccessCriteriaMet');
    if (scm?.status === 'True') ctx.finished = { type: 'SuccessCriteriaMet', status: 'True', reason: scm.reason, message: scm.message };
    if (!ctx.finished) {
      const ft = findCondition(job, 'FailureTarget');
      if (ft?.status === 'True') ctx.finished = { type: 'Failed', status: 'True', reason: ft.reason, message: ft.message };
    }
    if (!ctx.finished) {
      if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finished = this.failureCondition('BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      } else if (pastActiveDeadline(job, now)) {
        ctx.finished = this.failureCondition('DeadlineExceeded', 'Job was active longer than specified deadline');
      } else if (typeof job.spec?.activeDeadlineSeconds === 'number' && !jobSuspended(job)) {
        const start = Date.parse(job.status.startTime);
        this.queue.addAfter(key, Math.max(0, job.spec.activeDeadlineSeconds * 1000 - (now - start)));
      }
    }
    if (isIndexedJob(job)) {
      const { prev, all } = calculateSucceededIndexes(job, pods);
      ctx.prevSucceededIndexes = prev;
      ctx.succeededIndexes = all;
      ctx.succeeded = intervalsTotal(all);
    }

    let suspendChanged = false;
    let manageError: ApiError | undefined;
    if (ctx.finished) {
      const { deleted, deletedReady, error } = this.deleteActivePods(job, activePods);
      if (deleted !== active || !satisfied) ctx.finished = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageError = error;
    } else {
      let manageCalled = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        const r = this.manageJob(key, job, ctx);
        active = r.active;
        manageError = r.error;
        manageCalled = true;
      }
      if (isComplete(job, ctx.succeeded, active)) {
        ctx.finished = this.successCondition();
      } else if (manageCalled) {
        if (jobSuspended(job)) {
          if (ensureCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendChanged = true;
            this.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendChanged = true;
          this.event(job, 'Normal', 'Resumed', 'Job resumed');
          // ActiveDeadlineSeconds counts continuous activity: resuming restarts the clock
          job.status.startTime = timestamp(now);
        }
      }
    }
    const needsStatusUpdate = suspendChanged || active !== (job.status.active ?? 0) || ctx.ready !== job.status.ready || ctx.terminating !== job.status.terminating;
    job.status.active = active;
    job.status.ready = ctx.ready;
    job.status.terminating = ctx.terminating;
    this.trackJobStatusAndRemoveFinalizers(key, ctx, needsStatusUpdate);
    return manageError;
  }

  private failureCondition(reason: string, message: string): Condition {
    return { type: this.delayTerminal ? 'FailureTarget' : 'Failed', status: 'True', reason, message };
  }

  private successCondition(): Condition {
    const c: Condition = { type: this.delayTerminal ? 'SuccessCriteriaMet' : 'Complete', status: 'True' };
    if (this.successReason) {
      c.reason = 'CompletionsReached';
      c.message = 'Reached expected number of succeeded pods';
    }
    return c;
  }

  /** getNewFinishedPods: pods still holding the finalizer, not yet uncounted, that finished */
  private newFinishedPods(ctx: SyncCtx): [KubeObject[], KubeObject[]] {
    const succeeded: KubeObject[] = [], failed: KubeObject[] = [];
    const completions: number = ctx.job.spec?.completions ?? 0;
    for (const p of ctx.pods) {
      const uid = p.metadata.uid!;
      if (!hasTrackingFinalizer(p)) continue;
      if (isIndexedJob(ctx.job)) {
        const ix = getCompletionIndex(p);
        if (ix < 0 || ix >= completions) continue;
      }
      if (p.status?.phase === 'Succeeded' && !ctx.uncountedSucceeded.has(uid)) succeeded.push(p);
      else if (isPodFailed(p, ctx.job) && !ctx.uncountedFailed.has(uid)) failed.push(p);
    }
    return [succeeded, failed];
  }

  private manageJob(key: string, job: KubeObject, ctx: SyncCtx): { active: number; error?: ApiError } {
    const now = this.cluster.sim.now;
    let active = ctx.activePods.length;
    if (jobSuspended(job)) {
      const victims = this.activePodsForRemoval(job, ctx.activePods, active);
      this.expectations.expectDeletions(key, victims.length, now);
      const r = this.deleteJobPods(key, job, victims);
      ctx.terminating += r.deleted;
      ctx.ready -= r.deletedReady;
      return { active: active - r.deleted, error: r.error };
    }
    const want = computeWantActive(job, active, ctx.succeeded);
    const rmAtLeast = Math.max(0, active - want);
    const victims = this.activePodsForRemoval(job, ctx.activePods, rmAtLeast).slice(0, BURST_REPLICAS);
    if (victims.length > 0) {
      this.expectations.expectDeletions(key, victims.length, now);
      const r = this.deleteJobPods(key, job, victims);
      ctx.terminating += r.deleted;
      ctx.ready -= r.deletedReady;
      return { active: active - r.deleted, error: r.error };
    }
    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return { active };
    const remaining = remainingBackoffMs(ctx.backoff, now);
    if (remaining > 0) {
      this.queue.addAfter(key, Math.max(remaining, 1000));
      // upstream returns active = 0 on this path (a quirk kept for fidelity)
      return { active: 0 };
    }
    diff = Math.min(diff, BURST_REPLICAS);
    let indexes: number[] = [];
    if (isIndexedJob(job)) {
      const held = ctx.pods.filter((p) => isPodActive(p) || (onlyReplaceFailedPods(job) && isPodTerminating(p)));
      indexes = firstPendingIndexes(held, ctx.succeededIndexes, diff, job.spec?.completions ?? 0);
      diff = indexes.length;
    }
    this.expectations.expectCreations(key, diff, now);
    active += diff;
    let error: ApiError | undefined;
    let remainingToCreate = diff;
    for (let batch = Math.min(diff, SLOW_START_INITIAL_BATCH_SIZE); remainingToCreate > 0; batch = Math.min(2 * batch, remainingToCreate)) {
      let failedInBatch = 0;
      for (let i = 0; i < batch; i++) {
        const index = indexes.length ? indexes.shift()! : -1;
        try {
          const pod = this.cluster.api.create(podForJob(job, index));
          this.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          this.expectations.creationObserved(key);
          active--;
          failedInBatch++;
          error = e;
          this.event(job, 'Warning', 'FailedCreate', `Error creating: ${e.message}`);
        }
      }
      const skipped = remainingToCreate - batch;
      if (failedInBatch > 0 && skipped > 0) {
        active -= skipped;
        for (let i = 0; i < skipped; i++) this.expectations.creationObserved(key);
        break;
      }
      remainingToCreate -= batch;
    }
    return { active, error };
  }

  /** activePodsForRemoval: Indexed jobs first drop duplicate and out-of-range indexes */
  private activePodsForRemoval(job: KubeObject, pods: KubeObject[], rmAtLeast: number): KubeObject[] {
    const rm: KubeObject[] = [];
    let left = pods;
    if (isIndexedJob(job)) {
      const completions: number = job.spec?.completions ?? 0;
      left = [];
      const seen = new Set<number>();
      // keep the pod that ActivePods ranks last (the most advanced) for each index
      for (const p of sortActivePods(pods).reverse()) {
        const ix = getCompletionIndex(p);
        if (ix < 0 || ix >= completions || seen.has(ix)) rm.push(p);
        else {
          seen.add(ix);
          left.push(p);
        }
      }
    }
    if (rm.length < rmAtLeast) rm.push(...sortActivePods(left).slice(0, rmAtLeast - rm.length));
    return rm;
  }

  /** deleteJobPods: excess or suspended pods lose the finalizer first, so they are not counted as failed */
  private deleteJobPods(key: string, job: KubeObject, pods: KubeObject[]): { deleted: number; deletedReady: number; error?: ApiError } {
    const api = this.cluster.api;
    let deleted = 0, deletedReady = 0;
    let error: ApiError | undefined;
    for (const p of pods) {
      try {
        if (hasTrackingFinalizer(p)) this.removeFinalizer(p);
        api.delete('Pod', p.metadata.namespace, p.metadata.name!);
        this.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        deleted++;
        if (isPodReady(p)) deletedReady++;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.expectations.deletionObserved(key);
        if (e.reason !== 'NotFound') error = e;
        else deleted++;
      }
    }
    return { deleted, deletedReady, error };
  }

  /** deleteActivePods: a finished job's remaining pods are deleted, keeping their finalizers */
  private deleteActivePods(job: KubeObject, pods: KubeObject[]): { deleted: number; deletedReady: number; error?: ApiError } {
    let deleted = 0, deletedReady = 0;
    let error: ApiError | undefined;
    for (const p of pods) {
      try {
        this.cluster.api.delete('Pod', p.metadata.namespace, p.metadata.name!);
        this.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        deleted++;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.reason !== 'NotFound') error = e;
        else deleted++;
      }
      if (isPodReady(p)) deletedReady++;
    }
    return { deleted, deletedReady, error };
  }

  private removeFinalizer(pod: KubeObject): boolean {
    try {
      this.cluster.api.mutate('Pod', pod.metadata.namespace, pod.metadata.name!, (d) => {
        const f = (d.metadata.finalizers ?? []).filter((x) => x !== JOB_TRACKING_FINALIZER);
        if (f.length) d.metadata.finalizers = f;
        else delete d.metadata.finalizers;
      });
      return true;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      return e.reason === 'NotFound';
    }
  }

  /**
   * trackJobStatusAndRemoveFinalizers + flushUncountedAndRemoveFinalizers + enactJobFinished:
   * finished pods go into uncountedTerminatedPods (written first, so a crash cannot lose them),
   * their finalizers are removed, then they move into succeeded/failed; the terminal condition
   * follows once nothing is uncounted (and, 1.31+, no pod is terminating).
   */
  private trackJobStatusAndRemoveFinalizers(key: string, ctx: SyncCtx, needsFlushIn: boolean): void {
    const now = this.cluster.sim.now;
    const job = ctx.job;
    const status = job.status;
    let needsFlush = needsFlushIn;
    const indexed = isIndexedJob(job);
    const completions: number = job.spec?.completions ?? 0;
    const uncountedSucceeded: string[] = [...(status.uncountedTerminatedPods?.succeeded ?? [])];
    const uncountedFailed: string[] = [...(status.uncountedTerminatedPods?.failed ?? [])];
    const withFinalizer = new Set<string>();
    for (const p of ctx.pods) if (hasTrackingFinalizer(p)) withFinalizer.add(p.metadata.uid!);
    const setUncounted = () => {
      status.uncountedTerminatedPods = {
        ...(uncountedSucceeded.length ? { succeeded: [...uncountedSucceeded] } : {}),
        ...(uncountedFailed.length ? { failed: [...uncountedFailed] } : {}),
      };
    };
    // cleanUncountedPodsWithoutFinalizers
    const clean = (): boolean => {
      let changed = false;
      for (const [list, field] of [[uncountedSucceeded, 'succeeded'], [uncountedFailed, 'failed']] as const) {
        const keep = list.filter((u) => withFinalizer.has(u));
        if (keep.length !== list.length) {
          changed = true;
          status[field] = (status[field] ?? 0) + list.length - keep.length;
          list.splice(0, list.length, ...keep);
        }
      }
      return changed;
    };
    if (clean()) needsFlush = true;
    const toRemove: KubeObject[] = [];
    const newSucceededIndexes: number[] = [];
    const finishedNotSuccess = ctx.finished !== undefined && ctx.finished.type !== 'SuccessCriteriaMet' && ctx.finished.type !== 'Complete';
    let reachedMax = false;
    const pods = indexed ? [...ctx.pods].sort((a, b) => getCompletionIndex(a) - getCompletionIndex(b)) : ctx.pods;
    for (const p of pods) {
      if (!hasTrackingFinalizer(p)) continue;
      const uid = p.metadata.uid!;
      const failed = isPodFailed(p, job);
      // canRemoveFinalizer
      if (!(job.metadata.deletionTimestamp || ctx.finished || p.status?.phase === 'Succeeded' || failed)) continue;
      toRemove.push(p);
      if (p.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
        if (indexed) {
          const ix = getCompletionIndex(p);
          if (ix >= 0 && ix < completions && !intervalsHas(ctx.prevSucceededIndexes, ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!uncountedSucceeded.includes(uid)) {
          needsFlush = true;
          uncountedSucceeded.push(uid);
        }
      } else if (failed || finishedNotSuccess) {
        const ix = getCompletionIndex(p);
        if (!uncountedFailed.includes(uid) && (!indexed || (ix >= 0 && ix < completions))) {
          needsFlush = true;
          uncountedFailed.push(uid);
        }
      }
      if (newSucceededIndexes.length + uncountedSucceeded.length + uncountedFailed.length >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      const all = new Set<number>();
      for (const [a, b] of ctx.succeededIndexes) for (let i = a; i <= b; i++) all.add(i);
      for (const i of newSucceededIndexes) all.add(i);
      const iv = toIntervals(all);
      const s = intervalsToString(iv);
      if (s !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = intervalsTotal(iv);
      status.completedIndexes = s;
    }
    let finished = ctx.finished;
    const conditions: any[] = (status.conditions ??= []);
    if (finished?.type === 'FailureTarget') {
      conditions.push(newCondition(finished, now));
      needsFlush = true;
      finished = { ...finished, type: 'Failed' };
    }
    if (finished?.type === 'SuccessCriteriaMet') {
      if (!findCondition(job, 'SuccessCriteriaMet')) {
        conditions.push(newCondition(finished, now));
        needsFlush = true;
      }
      finished = { ...finished, type: 'Complete' };
    }
    // flush: the uncounted UIDs (and interim condition) are stored before finalizers go
    setUncounted();
    if (needsFlush) {
      this.writeStatus(job);
      this.backoff.set(key, ctx.backoff);
      needsFlush = false;
    }
    for (const p of toRemove) if (this.removeFinalizer(p)) withFinalizer.delete(p.metadata.uid!);
    if (clean()) needsFlush = true;
    setUncounted();
    // enactJobFinished
    let jobFinished = false;
    if (finished && !reachedMax && uncountedSucceeded.length + uncountedFailed.length === 0 && (!this.delayTerminal || ctx.terminating === 0)) {
      ensureCondition(job, finished.type, 'True', finished.reason, finished.message, now);
      if (finished.type === 'Complete') status.completionTime = timestamp(now);
      jobFinished = true;
      needsFlush = true;
    }
    if (needsFlush) this.writeStatus(job);
    if (jobFinished) {
      if (finished!.type === 'Complete') {
        if (job.spec?.completions != null && status.succeeded > job.spec.completions) {
          this.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
        }
        this.event(job, 'Normal', 'Completed', 'Job completed');
      } else {
        this.event(job, 'Warning', finished!.reason ?? 'Failed', finished!.message ?? '');
      }
    }
  }

  private writeStatus(job: KubeObject): void {
    const api = this.cluster.api;
    const fresh = api.get('Job', job.metadata.namespace, job.metadata.name!);
    if (!fresh || fresh.metadata.uid !== job.metadata.uid) return;
    const status = orderStatus(job.status);
    if (JSON.stringify(fresh.status ?? {}) === JSON.stringify(status)) return;
    api.update({ ...fresh, status }, 'status');
  }
}

/** JobStatus as the API serialises it: field order, omitempty counters, pointers kept at 0 */
function orderStatus(s: any): any {
  const out: any = {};
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.startTime) out.startTime = s.startTime;
  if (s.completionTime) out.completionTime = s.completionTime;
  for (const k of ['active', 'succeeded', 'failed']) if (s[k]) out[k] = s[k];
  if (s.terminating !== undefined) out.terminating = s.terminating;
  if (s.completedIndexes) out.completedIndexes = s.completedIndexes;
  out.uncountedTerminatedPods = s.uncountedTerminatedPods ?? {};
  if (s.ready !== undefined) out.ready = s.ready;
  return out;
}

function newCondition(c: Condition, now: number): any {
  return { type: c.type, status: c.status, lastProbeTime: timestamp(now), lastTransitionTime: timestamp(now), ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
}

/** ensureJobConditionStatus: add or replace a condition; true when something changed */
function ensureCondition(job: KubeObject, type: string, status: string, reason: string | undefined, message: string | undefined, now: number): boolean {
  const list: any[] = (job.status.conditions ??= []);
  const i = list.findIndex((x) => x.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status === status && c.reason === reason && c.message === message) return false;
    list[i] = newCondition({ type, status, reason, message }, now);
    return true;
  }
  // a condition that would be added as False is not added
  if (status === 'False') return false;
  list.push(newCondition({ type, status, reason, message }, now));
  return true;
}

/** GetPodFromTemplate + the Job's additions: tracking finalizer, completion index, hostname */
export function podForJob(job: KubeObject, index: number): KubeObject {
  const t = job.spec?.template ?? {};
  const meta = t.metadata ?? {};
  const spec = structuredClone(t.spec ?? {});
  const labels: Record<string, string> = { ...(meta.labels ?? {}) };
  const annotations: Record<string, string> = { ...(meta.annotations ?? {}) };
  const finalizers: string[] = [...(meta.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  let generateName = `${job.metadata.name}-`;
  if (index >= 0) {
    const ix = String(index);
    annotations[COMPLETION_INDEX_ANNOTATION] = ix;
    labels[COMPLETION_INDEX_ANNOTATION] = ix; // PodIndexLabel (GA 1.32, beta before)
    spec.hostname = `${job.metadata.name}-${index}`;
    generateName = podGenerateNameWithIndex(job.metadata.name!, index);
    // addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the annotation (downward API)
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const env: any[] = (c.env ??= []);
      if (!env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) {
        env.push({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` } } });
      }
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace: job.metadata.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
      finalizers,
      ownerReferences: [controllerRef(job)],
    },
    spec,
  };
}

function safeSelector(job: KubeObject): Selector | undefined {
  try {
    return selectorFromLabelSelector(job.spec?.selector);
  } catch {
    return undefined;
  }
}
