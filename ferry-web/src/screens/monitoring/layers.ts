import type { DependencyGraph } from '../../api/monitoring';

/** A node's place: its column (the longest chain of upstream tasks before it) and its row. */
export interface Place {
  column: number;
  row: number;
}

/**
 * Columns by dependency depth: a task with no upstream task is in column 0, any other one column
 * right of its deepest upstream task, so every edge points right. Rows keep the nodes' order within
 * a column. A cycle (which the schedule check does not let a user make, but an old store may hold)
 * cannot loop: a depth never exceeds the number of nodes.
 */
export function layers(graph: DependencyGraph): Map<number, Place> {
  const ids = graph.nodes.map((n) => n.taskId);
  const depth = new Map<number, number>(ids.map((id) => [id, 0]));
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const e of graph.edges) {
      const d = (depth.get(e.upstreamTaskId) ?? 0) + 1;
      if (depth.has(e.taskId) && d > depth.get(e.taskId)! && d < ids.length) {
        depth.set(e.taskId, d);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = new Map<number, number>();
  const places = new Map<number, Place>();
  for (const id of ids) {
    const column = depth.get(id)!;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    places.set(id, { column, row });
  }
  return places;
}
