import type { LatencyRange } from '../engine/component.js';

// Behaviour models of container images: what the process in a container does. Keys are images
// or globs; the most specific key wins (exact image:tag, then exact image, then the longest glob).
// Unknown images: start at once, listen on their declared containerPorts, answer HTTP 200 with
// the pod's hostname, never exit, exit 0 promptly on SIGTERM (DESIGN §3).

export interface HttpAnswer {
  path: string;
  status: number;
  body?: string;
  afterRequests?: number;
  afterTimeMs?: number;
  /** time to answer; an answer slower than a probe's timeoutSeconds is a probe failure */
  latency?: LatencyRange;
}

/** Memory the process uses: `initial` at start, `growBy` more every `everyMs`, up to `max` (bytes). */
export interface MemoryModel {
  initial: number;
  growBy: number;
  everyMs: number;
  max?: number;
}

/** CPU the process uses (millicores): the last point at or before the current virtual time wins; 0 before the first. */
export interface CpuModel {
  points: { atMs: number; milli: number }[];
}

/** The image a tag points to from `atMs` on (a re-pointed `latest`): overrides of the model. */
export interface AppVersion {
  atMs: number;
  model: AppModel;
}

export interface AppModel {
  /** the key it came from, for messages ("default" for the built-in model) */
  key: string;
  /** process start -> listening on its containerPorts (a range is drawn per start) */
  startup: LatencyRange;
  /** the process exits by itself this long after it started */
  exitAfter?: LatencyRange;
  exitCode: number;
  /** only SIGKILL stops it */
  ignoreSigterm: boolean;
  /** time from SIGTERM to exit */
  shutdown: LatencyRange;
  http: HttpAnswer[];
  /** whether the process accepts TCP connections once started (default true) */
  tcp?: boolean;
  memory?: MemoryModel;
  /** CPU usage over virtual time, read by the metrics source of the HPA (src/controllers/podautoscaler/metrics.ts) */
  cpu?: CpuModel;
  /** files in the image: absolute path -> content */
  files?: Record<string, string>;
  /** the image cannot be pulled: true, or the registry's error text */
  pullError?: boolean | string;
  /** the image's size in bytes (node.status.images sizeBytes, read by ImageLocality) */
  imageSize?: number;
  /** later images behind the same tag, oldest first */
  versions?: AppVersion[];
  /** everything else the scenario declared (memory, files, ...): kept for later models */
  extra: Record<string, unknown>;
}

export const DEFAULT_APP: AppModel = {
  key: 'default',
  startup: { min: 0, max: 0 },
  exitCode: 0,
  ignoreSigterm: false,
  shutdown: { min: 0, max: 0 },
  http: [],
  extra: {},
};

interface Entry {
  key: string;
  model: AppModel;
  matcher: RegExp;
  exact: 'tag' | 'image' | 'glob';
}

export class AppRegistry {
  private readonly entries: Entry[];
  private readonly cache = new Map<string, AppModel>();

  constructor(models: AppModel[]) {
    this.entries = models.map((model) => ({
      key: model.key,
      model,
      matcher: globToRegExp(model.key),
      exact: model.key.includes('*') || model.key.includes('?') ? 'glob' : model.key.includes(':') ? 'tag' : 'image',
    }));
  }

  lookup(image: string): AppModel {
    const hit = this.cache.get(image);
    if (hit) return hit;
    const model = this.resolve(image);
    this.cache.set(image, model);
    return model;
  }

  private resolve(image: string): AppModel {
    const noTag = stripTag(image);
    const byTag = this.entries.find((e) => e.exact === 'tag' && e.key === image);
    if (byTag) return byTag.model;
    const byImage = this.entries.find((e) => e.exact === 'image' && e.key === noTag);
    if (byImage) return byImage.model;
    let best: Entry | undefined;
    for (const e of this.entries) {
      if (e.exact !== 'glob') continue;
      if (!e.matcher.test(image) && !e.matcher.test(noTag)) continue;
      if (!best || e.key.length > best.key.length) best = e;
    }
    return best?.model ?? DEFAULT_APP;
  }
}

/** The model of the image the tag points to at virtual time `t` (a re-pointed tag, seed S24). */
export function versionAt(model: AppModel, t: number): AppModel {
  let current = model;
  for (const v of model.versions ?? []) if (v.atMs <= t) current = v.model;
  return current;
}

/** Which version of the model this is: 0 for the first image, then 1, 2, ... */
export function versionIndex(model: AppModel, t: number): number {
  let i = 0;
  (model.versions ?? []).forEach((v, k) => {
    if (v.atMs <= t) i = k + 1;
  });
  return i;
}

function stripTag(image: string): string {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', slash + 1);
  return colon >= 0 ? ref.slice(0, colon) : ref;
}

function globToRegExp(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`);
}
