// node.status.images (pkg/kubelet/nodestatus/setters.go Images): the images the runtime holds,
// largest first, at most nodeStatusMaxImages (50), each with the names the CRI reports and its
// size. containerd reports fully qualified references (docker.io/library/busybox:latest); the
// repo digests it also lists are left out (the simulator models no digests). Sizes come from the
// app model's `imageSize`; an image without one is reported with 0 bytes. The list reaches the
// API server with the kubelet's next node status update (nodeStatusUpdateFrequency, 10s).

import type { ApiServer } from '../api/server.js';
import { ApiError } from '../api/errors.js';
import { shallowCopy } from '../api/clone.js';
import type { Simulation, Timer } from '../engine/sim.js';

export const NODE_STATUS_MAX_IMAGES = 50;
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;

/**
 * The reference containerd stores for an image (reference.ParseDockerRef): docker.io is the
 * default domain, `library/` the default path of single-name images, `latest` the default tag.
 */
export function criImageName(image: string): string {
  let name = image;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasDomain) name = `docker.io/${slash < 0 ? 'library/' : ''}${name}`;
  if (name.includes('@')) return name;
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

export interface HeldImage {
  image: string;
  sizeBytes: number;
}

/** setters.Images: largest first (a stable order for equal sizes: by name), capped */
export function nodeStatusImages(held: HeldImage[]): { names: string[]; sizeBytes: number }[] {
  const byName = new Map<string, number>();
  for (const h of held) byName.set(criImageName(h.image), h.sizeBytes);
  return [...byName.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, NODE_STATUS_MAX_IMAGES)
    .map(([name, sizeBytes]) => ({ names: [name], sizeBytes }));
}

/** Publishes a node's image list with the status update after each pull completes. */
export class NodeImageReporter {
  private pending: Timer | undefined;
  /** the latest pull completion not yet published */
  private wanted = -1;

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly nodeName: string,
    /** the images present at a time, and whether the kubelet reaches the API server */
    private readonly held: (now: number) => HeldImage[],
    private readonly reporting: () => boolean,
  ) {}

  /** an image finished pulling at `at`: report it at the status update tick after that */
  pulled(at: number): void {
    this.wanted = Math.max(this.wanted, at);
    if (this.pending) return;
    const tick = Math.ceil(Math.max(at, this.sim.now) / NODE_STATUS_UPDATE_FREQUENCY_MS) * NODE_STATUS_UPDATE_FREQUENCY_MS;
    this.pending = this.sim.scheduleAt(tick, `kubelet/${this.nodeName}/node-status`, () => {
      this.pending = undefined;
      this.publish();
      // a pull that ends after this tick is published with a later one
      if (this.wanted > this.sim.now) this.pulled(this.wanted);
    });
  }

  private publish(): void {
    if (!this.reporting()) return;
    const images = nodeStatusImages(this.held(this.sim.now));
    try {
      // a status write of the stored status with `images` set: what mutate would store, without
      // copying the whole Node first (only the status is the write's own; the API server copies it)
      const cur = this.api.get('Node', undefined, this.nodeName);
      if (!cur) return;
      const status = cur.status ? shallowCopy(cur.status) : {};
      status.images = images;
      this.api.update(Object.assign(shallowCopy(cur), { status }), 'status');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
}
