import { useEffect, useRef } from 'react';
import type { Instance, RunState } from './runs';

/** A run's figures, at least once a second while it executes and at each state change. */
export interface ProgressMessage {
  type: 'progress';
  runId: number;
  taskId?: number | null;
  runKey: string | null;
  state: RunState;
  elapsedMillis?: number;
  recordsRead: number;
  recordsWritten: number;
  bytesWritten: number;
  dirtyRecords: number;
  filteredRecords?: number;
  estimatedRecords?: number;
  recordsPerSecond?: number;
  bytesPerSecond?: number;
  mbPerSecond?: number;
  percent: number | null;
  etaMillis?: number | null;
  splitsTotal?: number;
  splitsDone?: number;
  splits?: { id: string; state: string; recordsWritten: number }[];
  cpuTimeMillis?: number;
  message?: string | null;
  /** the run's speeds since it started (GET /api/runs/{id}/progress only, never on the socket) */
  history?: SpeedHistory;
  /** what a `kind: cdc` run captures and applies; absent for other runs */
  changes?: ChangeFigures;
}

/** A cdc run's figures: phase, the checkpointed log position, lag, and each captured table. */
export interface ChangeFigures {
  phase: 'SNAPSHOT' | 'STREAMING';
  /** the log position behind the last checkpoint, as the connector describes it */
  position: string | null;
  /** source commit of the last flushed change to its flush at the target */
  lagMillis: number;
  changesApplied: number;
  tables: ChangeTable[];
}

/** One captured table: its snapshot and the changes flushed to the target (over all attempts). */
export interface ChangeTable {
  table: string;
  snapshot: 'PENDING' | 'RUNNING' | 'DONE' | null;
  snapshotRows: number;
  /** -1 when unknown */
  snapshotPercent: number;
  inserts: number;
  updates: number;
  deletes: number;
  lagMillis: number;
}

/** A run's speeds over its life: evenly spaced points, [epoch millis, rows/s, bytes/s]. */
export interface SpeedHistory {
  /** samples (progress reports) averaged into each point; doubles as the run grows */
  samplesPerPoint: number;
  points: [number, number, number][];
}

/** The server's own figures, every second. Loads are 0..1. */
export interface ServerMessage {
  type: 'server';
  time: string;
  processCpuLoad?: number;
  systemCpuLoad?: number;
  availableProcessors: number;
  heapUsed: number;
  heapMax: number;
  threads: number;
  runsExecuting: number;
  runsQueued: number;
}

/** A scheduled instance changed state. */
export type InstanceMessage = { type: 'instance' } & Instance;

/** An alert's in-app notice, as it is stored (GET /api/notices). */
export interface NoticeMessage {
  type: 'notice';
  id: number;
  createdAt: string;
  event: 'firing' | 'repeat' | 'recovered' | 'test';
  ruleId: number | null;
  taskId: number | null;
  title: string;
  body: string | null;
}

export type LiveMessage = ProgressMessage | ServerMessage | InstanceMessage | NoticeMessage;

type Listener = (message: LiveMessage) => void;

/**
 * The WebSocket at /ws/progress, shared by every screen. Its handshake carries the session
 * cookie, so it is opened after the login; a dropped connection is opened again, waiting longer
 * each time (up to 10 s), until {@link close}.
 */
class LiveSocket {
  private socket: WebSocket | null = null;
  private listeners = new Set<Listener>();
  private wanted = false;
  private retryMillis = 1000;
  private timer: ReturnType<typeof setTimeout> | undefined;

  open() {
    this.wanted = true;
    if (!this.socket) this.connect();
  }

  close() {
    this.wanted = false;
    clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private connect() {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/ws/progress`);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMillis = 1000;
    };
    socket.onmessage = (event) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(event.data as string);
      } catch {
        return;
      }
      this.listeners.forEach((l) => l(message));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.wanted) {
        this.timer = setTimeout(() => this.wanted && this.connect(), this.retryMillis);
        this.retryMillis = Math.min(this.retryMillis * 2, 10_000);
      }
    };
  }
}

export const live = new LiveSocket();

/** Calls `handler` with every live message while the component is mounted. */
export function useLiveMessages(handler: Listener) {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => live.subscribe((m) => latest.current(m)), []);
}
