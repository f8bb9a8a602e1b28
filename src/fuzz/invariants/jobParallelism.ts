// jobParallelism: a Job never runs more pods than it may (pkg/controller/job/job_controller.go
// manageJob): active pods <= spec.parallelism, and, with spec.completions, <= completions minus
// the pods that already succeeded; a suspended Job runs none. Active = not Succeeded/Failed and
// not being deleted (controller.IsPodActive). Lowering parallelism or suspending deletes the extra
// pods after the controller's latency, so an excess is a violation when it outlives 2s.

import type { InvariantDef, Violation } from './types.js';
import { GraceTracker, ownedPods, type Mismatch } from './util.js';
import { isPodActive } from '../../controllers/controller_utils.js';

export const JOB_PARALLELISM_GRACE_MS = 2_000;

export const jobParallelism: InvariantDef = {
  name: 'jobParallelism',
  summary: 'a Job runs at most min(parallelism, completions - succeeded) active pods (none while suspended), within 2s',
  kinds: ['Job', 'Pod'],
  create() {
    const grace = new GraceTracker(JOB_PARALLELISM_GRACE_MS);
    return {
      check({ api, now }): Violation | undefined {
        const mismatches: Mismatch[] = [];
        for (const job of api.list('Job')) {
          if (job.metadata.deletionTimestamp) continue;
          const pods = ownedPods(api, job);
          const active = pods.filter(isPodActive);
          const succeeded = Math.max(job.status?.succeeded ?? 0, pods.filter((p) => p.status?.phase === 'Succeeded').length);
          const parallelism: number = job.spec?.parallelism ?? 1;
          const completions: number | undefined = job.spec?.completions ?? undefined;
          let limit = job.spec?.suspend ? 0 : parallelism;
          let why = job.spec?.suspend ? 'the Job is suspended' : `parallelism ${parallelism}`;
          if (completions !== undefined && completions !== null && completions - succeeded < limit) {
            limit = Math.max(0, completions - succeeded);
            why = `completions ${completions} - succeeded ${succeeded}`;
          }
          if (active.length > limit) mismatches.push({ key: job.metadata.uid!, message: `job/${job.metadata.name} has ${active.length} active pods, above ${limit} (${why})`, involved: pods, kind: 'Pod' });
        }
        const v = grace.update(mismatches, now);
        return v ? { message: grace.describe(v, now), involved: { kind: v.m.kind, objects: v.m.involved } } : undefined;
      },
      wakeAt: () => grace.wakeAt(),
    };
  },
};
