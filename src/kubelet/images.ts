// The node's images and the kubelet's image manager (pkg/kubelet/images/image_manager.go
// EnsureImageExists, puller.go): imagePullPolicy decides whether to pull (shouldPullImage), pulls
// are serialized per node (serializeImagePulls defaults to true), a failed pull backs off 10s ->
// 300s per (pod UID, image) (IsInBackOffSinceUpdate), and a present image is reused. The image a
// tag points to may change over time (app model `versions`), so the node remembers which version
// it pulled: a re-pointed `latest` reaches a container only through a new pull (seed S24).

import type { AppModel } from '../apps/registry.js';
import { versionAt, versionIndex } from '../apps/registry.js';
import { Backoff } from './backoff.js';

export type PullOutcome =
  | { kind: 'present'; model: AppModel; message: string; durationMs: 0; pullingMessage?: undefined }
  | { kind: 'pulled'; model: AppModel; message: string; pullingMessage: string; durationMs: number }
  | { kind: 'error'; reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull'; message: string; events: { type: 'Normal' | 'Warning'; reason: string; message: string }[]; durationMs: number; pullingMessage?: string };

/** Go's time.Duration String for whole milliseconds: 0s, 250ms, 3s, 1.5s, 1m30s */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, '')}s`;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sec}`;
}

export class NodeImages {
  /** image reference -> the version of the app model pulled */
  private readonly present = new Map<string, { model: AppModel; version: number; readyAt: number }>();
  /** serialized puller: the instant the pull queue is free */
  private freeAt = 0;
  private readonly backoff = new Backoff();

  /**
   * Plan EnsureImageExists for a container of pod `uid` at `now`: what happens, and how long the
   * start waits for it (pull time, including waiting behind other pulls).
   */
  ensure(uid: string, image: string, policy: string, base: AppModel, now: number, pullTime: number): PullOutcome {
    const have = this.present.get(image);
    const wanted = versionIndex(base, now);
    // an image still being pulled for another pod is waited for, as the serialized puller does
    const shouldPull = policy === 'Always' ? true : policy === 'Never' ? false : !have || have.readyAt > now;
    if (!shouldPull) {
      if (have) return { kind: 'present', model: have.model, durationMs: 0, message: `Container image "${image}" already present on machine` };
      const message = `Container image "${image}" is not present with pull policy of Never`;
      return { kind: 'error', reason: 'ErrImageNeverPull', message, durationMs: 0, events: [{ type: 'Warning', reason: 'ErrImageNeverPull', message }] };
    }
    const key = `${uid}_${image}`;
    if (this.backoff.isInBackOffSinceUpdate(key, now)) {
      const message = `Back-off pulling image "${image}"`;
      return { kind: 'error', reason: 'ImagePullBackOff', message, durationMs: 0, events: [{ type: 'Normal', reason: 'BackOff', message }] };
    }
    const model = versionAt(base, now);
    // a registry round trip for an image already here at the same digest moves no layers
    const download = have && have.version === wanted ? 0 : pullTime;
    const start = Math.max(now, this.freeAt);
    const end = start + download;
    this.freeAt = end;
    const pullingMessage = `Pulling image "${image}"`;
    if (model.pullError) {
      this.backoff.next(key, end, end);
      const err = typeof model.pullError === 'string'
        ? model.pullError
        : `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
      return { kind: 'error', reason: 'ErrImagePull', message: err, durationMs: end - now, pullingMessage, events: [{ type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": ${err}` }] };
    }
    this.present.set(image, { model, version: wanted, readyAt: end });
    this.onPulled?.(end);
    return {
      kind: 'pulled',
      model,
      durationMs: end - now,
      pullingMessage,
      // image_manager.go; the trailing "Image size: N bytes." is left out (no sizes are modelled)
      message: `Successfully pulled image "${image}" in ${goDuration(download)} (${goDuration(end - now)} including waiting)`,
    };
  }

  has(image: string): boolean {
    return this.present.has(image);
  }

  /** called with the completion time of every successful pull (node.status.images: node_images.ts) */
  onPulled: ((readyAt: number) => void) | undefined;

  /** the images pulled by `now`, with the app model's imageSize (0 when not given) */
  held(now: number): { image: string; sizeBytes: number }[] {
    const out: { image: string; sizeBytes: number }[] = [];
    for (const [image, h] of this.present) if (h.readyAt <= now) out.push({ image, sizeBytes: h.model.imageSize ?? 0 });
    return out;
  }
}
