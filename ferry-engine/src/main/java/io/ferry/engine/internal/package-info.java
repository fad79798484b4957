/**
 * The engine's machinery: channels, batch sizing, the row pipeline and transforms, dirty-row
 * counting, the reader retry. Public only so that {@code io.ferry.engine} can use it; the CLI, the
 * server and every other caller use {@code io.ferry.engine} alone (Engine, JobSpec and its loader,
 * JobRun, RunResult, RunListener, Progress, RunRecord, CheckpointStore, Settings...), which
 * ferry-architecture-tests enforces.
 */
package io.ferry.engine.internal;
