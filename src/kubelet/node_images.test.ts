import { describe, expect, it } from 'vitest';
import { advance, at, newCluster, pod } from '../../test/helpers/cluster.js';

const MB = 1024 * 1024;

describe('node.status.images (setters.Images)', () => {
  it('reports a pulled image with its app model size at the next node status update', () => {
    const c = newCluster({ nodes: 2, apps: [{ key: 'docker.io/library/big:1', imageSize: 600 * MB }], timing: { imagePull: { min: 2000, max: 2000 } } });
    at(c, () => void c.api.create(pod('a', { image: 'docker.io/library/big:1', nodeName: 'node-1' })));
    advance(c, 5_000);
    // pulled by ~2s, published with the 10s status update
    expect(c.api.get('Node', undefined, 'node-1')!.status.images).toBeUndefined();
    advance(c, 6_000);
    expect(c.api.get('Node', undefined, 'node-1')!.status.images).toEqual([{ names: ['docker.io/library/big:1'], sizeBytes: 600 * MB }]);
    expect(c.api.get('Node', undefined, 'node-2')!.status.images).toBeUndefined();
  });

  it('ImageLocality then prefers the node that has the image', () => {
    const c = newCluster({ nodes: 2, apps: [{ key: 'docker.io/library/big:1', imageSize: 900 * MB }] });
    at(c, () => void c.api.create(pod('first', { image: 'docker.io/library/big:1', nodeName: 'node-2' })));
    advance(c, 15_000);
    // node-2 is busier (LeastAllocated: 95 against node-1's 97), but holds the 900Mi image:
    // ImageLocality 100 * (900M/2 - 23M) / (1000M - 23M) = 43 for node-2
    at(c, () => void c.api.create(pod('next', { image: 'docker.io/library/big:1' })));
    advance(c, 1_000);
    expect(c.api.get('Pod', 'default', 'next')!.spec.nodeName).toBe('node-2');
  });
});
