// The rolling-update bounds as upstream resolves them (pkg/controller/deployment/util/
// deployment_util.go ResolveFenceposts, MaxUnavailable, MaxSurge; reference workloads.md §2.2).
// Kept separate from the Deployment controller's own copy on purpose: an invariant is an
// independent oracle, not the controller checking itself.

export type IntOrPercent = number | string | undefined | null;

/** intstr.GetScaledValueFromIntOrPercent; undefined for a malformed value (validation rejects it). */
export function scaled(v: IntOrPercent, total: number, roundUp: boolean): number | undefined {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return undefined;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export interface Bounds {
  /** replicas - maxUnavailable */
  minAvailable: number;
  /** replicas + maxSurge */
  maxTotal: number;
  maxSurge: number;
  maxUnavailable: number;
}

/**
 * Bounds of a RollingUpdate Deployment. The API server defaults both fields to 25% (surge rounds
 * up, unavailable down); if both resolve to 0, unavailable becomes 1 (ResolveFenceposts), and
 * MaxUnavailable never exceeds replicas.
 */
export function rollingBounds(deployment: { spec?: any }): Bounds | undefined {
  const spec = deployment.spec ?? {};
  if ((spec.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return undefined;
  const replicas: number = spec.replicas ?? 1;
  const ru = spec.strategy?.rollingUpdate ?? {};
  const surge = scaled(ru.maxSurge ?? '25%', replicas, true);
  let unavailable = scaled(ru.maxUnavailable ?? '25%', replicas, false);
  if (surge === undefined || unavailable === undefined) return undefined;
  if (surge === 0 && unavailable === 0) unavailable = 1;
  const maxUnavailable = replicas === 0 ? 0 : Math.min(unavailable, replicas);
  return { minAvailable: replicas - maxUnavailable, maxTotal: replicas + surge, maxSurge: surge, maxUnavailable };
}
