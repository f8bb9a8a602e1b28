// ImageLocality score plugin (weight 1), pkg/scheduler/framework/plugins/imagelocality/
// image_locality.go: nodes that already hold the pod's images score higher, in proportion to
// the images' sizes and scaled down by how few nodes have them (the "node heating" guard).
// - sumImageScores: for every init and regular container whose image (":latest" appended when
//   untagged, normalizedImageName) is on the node: int(size * nodesWithImage / totalNodes).
// - calculatePriority: the sum clamped to [23 MiB, 1000 MiB x containers], scaled to 0..100.
// The scheduler cache's image states (backend/cache addNodeImageStates) come from
// node.status.images: every reported name maps to the image's size and the nodes that have it.
// Names are matched exactly, as upstream does: a pod naming `busybox` does not match the
// `docker.io/library/busybox:latest` containerd reports (kubernetes#112699).

import type { KubeObject } from '../api/types.js';

const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;
export const MAX_NODE_SCORE = 100;

/** normalizedImageName: append ":latest" when the last path component has no tag */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** calculatePriority */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

/** scaledImageScore */
export function scaledImageScore(size: number, numNodes: number, totalNumNodes: number): number {
  return Math.trunc(size * (numNodes / totalNumNodes));
}

/** The cache's image states: name -> size and the nodes reporting it, kept per Node event. */
export class ImageStates {
  private readonly byName = new Map<string, { size: number; nodes: Set<string> }>();
  /** node -> the names it reported last (so an update removes what is gone) */
  private readonly byNode = new Map<string, Map<string, number>>();

  setNode(node: KubeObject): void {
    const nodeName = node.metadata.name!;
    const names = new Map<string, number>();
    for (const img of node.status?.images ?? []) {
      for (const n of img?.names ?? []) if (typeof n === 'string' && !names.has(n)) names.set(n, Number(img.sizeBytes ?? 0));
    }
    const old = this.byNode.get(nodeName);
    if (old && old.size === names.size && [...names].every(([n, s]) => old.get(n) === s)) return;
    this.removeNode(nodeName);
    if (names.size === 0) return;
    this.byNode.set(nodeName, names);
    for (const [n, size] of names) {
      let st = this.byName.get(n);
      if (!st) this.byName.set(n, (st = { size, nodes: new Set() }));
      st.size = size;
      st.nodes.add(nodeName);
    }
  }

  removeNode(nodeName: string): void {
    const old = this.byNode.get(nodeName);
    if (!old) return;
    this.byNode.delete(nodeName);
    for (const n of old.keys()) {
      const st = this.byName.get(n);
      if (!st) continue;
      st.nodes.delete(nodeName);
      if (st.nodes.size === 0) this.byName.delete(n);
    }
  }

  /** ImageLocality.Score for one node */
  score(pod: KubeObject, nodeName: string, totalNumNodes: number): number {
    return this.scoreImages(podImageNames(pod), nodeName, totalNumNodes);
  }

  /** ImageLocality.Score for one node, given the pod's normalised image names */
  scoreImages(images: readonly string[], nodeName: string, totalNumNodes: number): number {
    if (images.length === 0) return 0;
    const onNode = this.byNode.get(nodeName);
    let sum = 0;
    if (onNode) {
      for (const name of images) {
        if (!onNode.has(name)) continue;
        const st = this.byName.get(name)!;
        sum += scaledImageScore(st.size, st.nodes.size, totalNumNodes);
      }
    }
    return calculatePriority(sum, images.length);
  }
}

// stored objects are never changed in place: a pod object's normalised image names are kept,
// as Score asks once per feasible node
const imageNamesCache = new WeakMap<object, readonly string[]>();

/** the normalised image of each init container, then of each container */
function podImageNames(pod: KubeObject): readonly string[] {
  let names = imageNamesCache.get(pod);
  if (!names) {
    names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => normalizedImageName(String(c?.image ?? '')));
    imageNamesCache.set(pod, names);
  }
  return names;
}

/** whether a Node update changed nothing but status.images (no cluster event for the queue) */
export function onlyImagesChanged(old: KubeObject, cur: KubeObject): boolean {
  if (JSON.stringify(old.status?.images ?? null) === JSON.stringify(cur.status?.images ?? null)) return false;
  const strip = (n: KubeObject) => {
    const { images: _images, ...status } = n.status ?? {};
    return JSON.stringify({ spec: n.spec, labels: n.metadata.labels, annotations: n.metadata.annotations, status });
  };
  return strip(old) === strip(cur);
}
