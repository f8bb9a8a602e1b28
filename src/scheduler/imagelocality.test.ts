import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { ImageStates, calculatePriority, normalizedImageName, onlyImagesChanged } from './imagelocality.js';
import { criImageName, nodeStatusImages } from '../kubelet/node_images.js';

const MB = 1024 * 1024;
const node = (name: string, images: { names: string[]; sizeBytes: number }[] = []): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { images } });
const pod = (images: string[], init: string[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })), initContainers: init.map((image, i) => ({ name: `i${i}`, image })) },
});

// image_locality_test.go fixtures
const node403002000 = [
  { names: ['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'], sizeBytes: 40 * MB },
  { names: ['gcr.io/300:latest', 'gcr.io/300:v1'], sizeBytes: 300 * MB },
  { names: ['gcr.io/2000:latest'], sizeBytes: 2000 * MB },
];
const node25010 = [
  { names: ['gcr.io/250:latest'], sizeBytes: 250 * MB },
  { names: ['gcr.io/10:latest', 'gcr.io/10:v1'], sizeBytes: 10 * MB },
];

function scores(p: KubeObject, nodes: KubeObject[]): number[] {
  const st = new ImageStates();
  for (const n of nodes) st.setNode(n);
  return nodes.map((n) => st.score(p, n.metadata.name!, nodes.length));
}

// pkg/scheduler/framework/plugins/imagelocality/image_locality_test.go TestImageLocalityPriority,
// with the per-container maximum (1000 MiB x containers) of current releases
describe('ImageLocality (TestImageLocalityPriority)', () => {
  it('two images spread on two nodes, prefer the larger image one', () => {
    // node1: 40M/2 < 23M -> 0; node2: 100 * (250M/2 - 23M) / (2000M - 23M) = 5
    expect(scores(pod(['gcr.io/40', 'gcr.io/250']), [node('node1', node403002000), node('node2', node25010)])).toEqual([0, 5]);
  });

  it('two images on one node, prefer this node', () => {
    // 100 * ((40M + 300M)/2 - 23M) / (2000M - 23M) = 7
    expect(scores(pod(['gcr.io/40', 'gcr.io/300']), [node('node1', node403002000), node('node2', node25010)])).toEqual([7, 0]);
  });

  it('if exceed limit, use limit', () => {
    // node1: 2000M/2 = 1000M -> 100 * 977 / 1977 = 49; node2: 10M/2 < 23M -> 0
    expect(scores(pod(['gcr.io/10', 'gcr.io/2000']), [node('node1', node403002000), node('node2', node25010)])).toEqual([49, 0]);
  });

  it('if exceed limit, use limit (with node which has no images present)', () => {
    // 2000M/3 -> 100 * (666.67M - 23M) / 1977M = 32
    expect(scores(pod(['gcr.io/10', 'gcr.io/2000']), [node('node1', node403002000), node('node2', node25010), node('node3')])).toEqual([32, 0, 0]);
  });

  it('counts init containers too', () => {
    // (300M/2)... one init + one regular container: max threshold 2000M; sum 300M/2 + 40M/2 = 170M -> 7
    expect(scores(pod(['gcr.io/40'], ['gcr.io/300']), [node('node1', node403002000), node('node2', node25010)])).toEqual([7, 0]);
  });

  it('calculatePriority clamps to the thresholds', () => {
    expect(calculatePriority(0, 1)).toBe(0);
    expect(calculatePriority(23 * MB, 1)).toBe(0);
    expect(calculatePriority(5000 * MB, 1)).toBe(100);
    expect(calculatePriority(5000 * MB, 3)).toBe(100);
  });

  it('normalizedImageName appends latest only to untagged names', () => {
    expect(normalizedImageName('gcr.io/40')).toBe('gcr.io/40:latest');
    expect(normalizedImageName('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizedImageName('nginx:1.25')).toBe('nginx:1.25');
  });

  it('forgets a node image when the node stops reporting it', () => {
    const st = new ImageStates();
    st.setNode(node('node1', node403002000));
    st.setNode(node('node2', node403002000));
    const p = pod(['gcr.io/2000']);
    expect(st.score(p, 'node1', 2)).toBe(100);
    st.setNode(node('node2'));
    // now on one node of two: 2000M/2 = 1000M of a 1000M maximum
    expect(st.score(p, 'node1', 2)).toBe(100);
    st.removeNode('node1');
    expect(st.score(p, 'node1', 2)).toBe(0);
  });

  it('a change of status.images alone is not a scheduling event', () => {
    const a = node('n');
    const b = node('n', node25010);
    expect(onlyImagesChanged(a, b)).toBe(true);
    expect(onlyImagesChanged(a, { ...b, spec: { unschedulable: true } })).toBe(false);
    expect(onlyImagesChanged(a, a)).toBe(false);
  });
});

// pkg/kubelet/nodestatus/setters.go Images and the CRI's normalized references
describe('node.status.images', () => {
  it('names images as containerd does', () => {
    expect(criImageName('busybox')).toBe('docker.io/library/busybox:latest');
    expect(criImageName('luksa/kubia:v2')).toBe('docker.io/luksa/kubia:v2');
    expect(criImageName('registry.k8s.io/pause:3.9')).toBe('registry.k8s.io/pause:3.9');
    expect(criImageName('localhost:5000/app')).toBe('localhost:5000/app:latest');
  });

  it('lists the largest images first, at most 50', () => {
    const held = Array.from({ length: 60 }, (_, i) => ({ image: `img${i}`, sizeBytes: i * MB }));
    const out = nodeStatusImages(held);
    expect(out.length).toBe(50);
    expect(out[0]).toEqual({ names: ['docker.io/library/img59:latest'], sizeBytes: 59 * MB });
    expect(out[49].sizeBytes).toBe(10 * MB);
  });

  it('a short image name in a pod does not match the qualified name nodes report (kubernetes#112699)', () => {
    const n = node('node1', nodeStatusImages([{ image: 'nginx', sizeBytes: 900 * MB }]));
    expect(scores(pod(['nginx']), [n])).toEqual([0]);
    // 100 * (900M - 23M) / (1000M - 23M) = 89
    expect(scores(pod(['docker.io/library/nginx']), [n])).toEqual([89]);
  });
});
