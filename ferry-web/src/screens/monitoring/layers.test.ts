import { describe, expect, it } from 'vitest';
import type { DependencyGraph, GraphNode } from '../../api/monitoring';
import { layers } from './layers';

const node = (taskId: number): GraphNode => ({
  taskId,
  name: `t${taskId}`,
  scheduled: true,
  online: true,
  latestInstanceId: null,
  latestState: null,
  latestPlannedTime: null,
});

const graph = (ids: number[], edges: [number, number][]): DependencyGraph => ({
  nodes: ids.map(node),
  edges: edges.map(([upstreamTaskId, taskId]) => ({ upstreamTaskId, taskId })),
});

describe('layers', () => {
  it('puts each task one column right of its deepest upstream task', () => {
    // 1 → 2 → 3, and 1 → 3 directly: 3 is after 2, not beside it.
    const p = layers(
      graph(
        [3, 2, 1, 4],
        [
          [1, 2],
          [2, 3],
          [1, 3],
        ],
      ),
    );
    expect(p.get(1)).toEqual({ column: 0, row: 0 });
    expect(p.get(4)).toEqual({ column: 0, row: 1 });
    expect(p.get(2)).toEqual({ column: 1, row: 0 });
    expect(p.get(3)).toEqual({ column: 2, row: 0 });
  });

  it('ends on a cycle instead of looping', () => {
    const p = layers(
      graph(
        [1, 2],
        [
          [1, 2],
          [2, 1],
        ],
      ),
    );
    expect(p.size).toBe(2);
    for (const place of p.values()) expect(place.column).toBeLessThan(2);
  });
});
