// Probe workers: one per (pod, container, probe type), as pkg/kubelet/prober/worker.go runs
// them (reference pod-lifecycle §1.2). The worker ticks every periodSeconds from the moment the
// kubelet first synced the pod (AddPod), probes only what the status manager reports as running,
// and changes its cached result only after failureThreshold/successThreshold consecutive results.
//
// Jitter: upstream sleeps rand[0, period) before the first tick only when the kubelet itself
// started less than a period ago. A scenario's cluster has been up before t=0, so workers start
// ticking at once; the jitter belongs to a kubelet restart, which is not modelled yet.

import type { Simulation, Timer } from '../engine/sim.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

/** What a handler (httpGet/tcpSocket/exec/grpc) answered, before thresholds. */
export interface HandlerOutcome {
  /** warning: a 3xx answer to httpGet, counted as success with a ProbeWarning event */
  result: 'success' | 'warning' | 'failure';
  output: string;
}

/** The probe spec with SetDefaults_Probe applied (pkg/apis/core/v1/defaults.go). */
export interface ProbeSpec {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  terminationGracePeriodSeconds?: number;
  handler: any;
}

/** SetDefaults_Probe: a default only where the field is 0 or missing */
export function defaultedProbe(p: any): ProbeSpec {
  const or = (v: unknown, d: number) => (typeof v === 'number' && v !== 0 ? v : d);
  return {
    initialDelaySeconds: typeof p.initialDelaySeconds === 'number' ? p.initialDelaySeconds : 0,
    periodSeconds: or(p.periodSeconds, 10),
    timeoutSeconds: or(p.timeoutSeconds, 1),
    successThreshold: or(p.successThreshold, 1),
    failureThreshold: or(p.failureThreshold, 3),
    terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
    handler: p,
  };
}

/** worker.go newWorker: readiness starts Failure, liveness Success, startup Unknown */
export function initialResult(type: ProbeType): ProbeResult {
  return type === 'readiness' ? 'Failure' : type === 'liveness' ? 'Success' : 'Unknown';
}

const TITLE: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

/** The threshold bookkeeping of worker.go doProbe, separate from timing for unit tests. */
export class ResultRun {
  result: ProbeResult;
  lastResult: ProbeResult = 'Unknown';
  resultRun = 0;
  onHold = false;

  constructor(
    readonly type: ProbeType,
    readonly spec: Pick<ProbeSpec, 'successThreshold' | 'failureThreshold'>,
  ) {
    this.result = initialResult(type);
  }

  /** a new containerID: back to the initial value, probing resumes */
  newContainer(): void {
    this.result = initialResult(this.type);
    this.onHold = false;
  }

  /** one probe's result; returns true when the cached result changed */
  observe(r: 'Success' | 'Failure'): boolean {
    if (r === this.lastResult) this.resultRun++;
    else {
      this.lastResult = r;
      this.resultRun = 1;
    }
    // below the threshold the cached result stays as it is
    if ((r === 'Failure' && this.resultRun < this.spec.failureThreshold) || (r === 'Success' && this.resultRun < this.spec.successThreshold)) return false;
    const before = this.result;
    this.result = r;
    if ((this.type === 'liveness' || this.type === 'startup') && r === 'Failure') {
      // the container will be restarted: stop probing it until a new one appears
      this.onHold = true;
      this.resultRun = 0;
    }
    return this.result !== before;
  }
}

/** What a probe worker sees of its container, through the status manager and the runtime. */
export interface ProbeSubject {
  /** the current instance's containerID, or undefined before the first creation */
  containerId(): string | undefined;
  /** reported state: 'running' only once postStart has returned */
  reportedState(): 'waiting' | 'running' | 'terminated' | undefined;
  startedAt(): number;
  /** status.containerStatuses[].started */
  started(): boolean;
  podDeleting(): boolean;
  podTerminal(): boolean;
  restartPolicy(): string;
  /** a `fault:` forcing this probe to fail now */
  forcedFailure(type: ProbeType): boolean;
  /** run the handler; `done` may be called later in virtual time (exec) */
  run(spec: ProbeSpec, done: (o: HandlerOutcome) => void): void;
  /** the cached result changed */
  onResult(type: ProbeType, result: ProbeResult): void;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export class ProbeWorker {
  readonly run: ResultRun;
  private containerId: string | undefined;
  private timer?: Timer;
  private stopped = false;
  private inFlight = false;

  constructor(
    private readonly sim: Simulation,
    readonly type: ProbeType,
    readonly spec: ProbeSpec,
    private readonly subject: ProbeSubject,
    private readonly source: string,
  ) {
    this.run = new ResultRun(type, spec);
  }

  get result(): ProbeResult {
    return this.run.result;
  }

  /** the results manager is keyed by containerID: a new container has no result yet */
  resultFor(containerId: string | undefined): ProbeResult | undefined {
    return containerId !== undefined && containerId === this.containerId ? this.run.result : undefined;
  }

  /** run(): doProbe at once, then on every tick of the period */
  start(): void {
    this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    if (!this.inFlight) this.doProbe();
    if (!this.stopped) this.timer = this.sim.schedule(this.spec.periodSeconds * 1000, this.source, () => this.tick());
  }

  /** the readiness fast path (prober_manager.go UpdatePodStatus -> manualTriggerCh) */
  trigger(): void {
    if (!this.stopped && !this.inFlight) this.doProbe();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private set(r: ProbeResult): void {
    if (this.run.result === r) return;
    this.run.result = r;
    this.subject.onResult(this.type, r);
  }

  /** worker.go doProbe */
  private doProbe(): void {
    const s = this.subject;
    if (s.podTerminal()) return this.stop();
    const id = s.containerId();
    if (id === undefined) return;
    if (id !== this.containerId) {
      this.containerId = id;
      const before = this.run.result;
      this.run.newContainer();
      if (this.run.result !== before) s.onResult(this.type, this.run.result);
    }
    if (this.run.onHold) return;
    const state = s.reportedState();
    if (state !== 'running') {
      this.set('Failure');
      if (state === 'terminated' && s.restartPolicy() === 'Never') this.stop();
      return;
    }
    if (s.podDeleting() && (this.type === 'liveness' || this.type === 'startup')) {
      this.set('Success');
      return this.stop();
    }
    // compared as truncated whole seconds, as upstream
    if (Math.floor((this.sim.now - s.startedAt()) / 1000) < this.spec.initialDelaySeconds) return;
    if (s.started()) {
      if (this.type === 'startup') return;
    } else if (this.type !== 'startup') return;
    this.inFlight = true;
    const probedId = id;
    s.run(this.spec, (o) => {
      this.inFlight = false;
      if (this.stopped || s.containerId() !== probedId) return;
      this.handle(o);
    });
  }

  private handle(o: HandlerOutcome): void {
    const s = this.subject;
    let result: 'Success' | 'Failure' = o.result === 'failure' ? 'Failure' : 'Success';
    let output = o.output;
    if (s.forcedFailure(this.type)) {
      result = 'Failure';
      output = `${this.type}Fails fault injected by the scenario`;
    }
    // prober.go probe: events for warnings and failures, on every probe
    if (result === 'Failure') s.event('Warning', 'Unhealthy', `${TITLE[this.type]} probe failed: ${output.replace(/\n+$/, '')}`);
    else if (o.result === 'warning') s.event('Warning', 'ProbeWarning', `${TITLE[this.type]} probe warning: ${output.replace(/\n+$/, '')}`);
    if (this.run.observe(result)) s.onResult(this.type, this.run.result);
  }
}
