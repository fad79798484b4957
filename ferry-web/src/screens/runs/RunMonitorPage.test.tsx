import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProgressMessage } from '../../api/live';
import type { RerunCheck, Run } from '../../api/runs';
import type { Verification } from '../../api/verifications';
import type { Series } from '../../components/LiveChart';
import { renderScreen } from '../../test-utils';
import { RunMonitorPage } from './RunMonitorPage';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const RUN: Run = {
  id: 7,
  taskId: 3,
  taskName: 'orders',
  runKey: 'orders-1',
  state: 'STOPPED',
  startedBy: 'admin',
  createdAt: '2030-01-01T00:00:00Z',
  startedAt: '2030-01-01T00:00:00Z',
  endedAt: '2030-01-01T00:00:03Z',
  durationMillis: 3000,
  recordsRead: 30000,
  recordsWritten: 30000,
  bytesWritten: 1,
  dirtyRecords: 0,
  percent: 60,
  recordsPerSecond: 150,
  bytesPerSecond: 1,
  message: 'stopped',
  rerunOf: null,
};
const PROGRESS: ProgressMessage = {
  type: 'progress',
  runId: 7,
  runKey: 'orders-1',
  state: 'STOPPED',
  recordsRead: 30000,
  recordsWritten: 30000,
  bytesWritten: 1,
  dirtyRecords: 0,
  percent: 60,
  history: {
    samplesPerPoint: 1,
    points: [
      [T0, 100, 1048576],
      [T0 + 1000, 200, 2097152],
      [T0 + 2000, 150, 1572864],
    ],
  },
};

const CHANGES = {
  phase: 'STREAMING',
  position: '0/16B3748',
  lagMillis: 200,
  changesApplied: 3,
  tables: [
    { table: 'public.items', snapshot: 'DONE', snapshotRows: 50, snapshotPercent: 100, inserts: 1, updates: 1, deletes: 1, lagMillis: 200 },
  ],
};

const VERIFICATION: Verification = {
  id: 40,
  taskId: 3,
  taskName: 'orders',
  runId: 12,
  trigger: 'MANUAL',
  state: 'SUCCEEDED',
  mode: 'content',
  equal: false,
  method: 'checksum + keyed merge',
  sourceRows: 30,
  targetRows: 29,
  missing: 1,
  extra: 0,
  different: 1,
  sample: [
    { kind: 'missing', key: { id: '5' }, columns: [] },
    { kind: 'different', key: { id: '3' }, columns: [{ column: 'name', source: 'n3', target: 'changed' }] },
  ],
  notes: [],
  message: null,
  startedBy: 'admin',
  node: 'n1',
  startedAt: '2030-01-01T00:00:05Z',
  endedAt: '2030-01-01T00:00:06Z',
};
const verifyRun = vi.fn<(id: number) => Promise<Verification>>();
vi.mock('../../api/verifications', () => ({
  verificationsApi: {
    verifyRun: (id: number) => verifyRun(id),
    get: async () => VERIFICATION,
    reportUrl: (id: number) => `/api/verifications/${id}/report`,
  },
}));

const rerunCheck = vi.fn<(id: number) => Promise<RerunCheck>>();
const rerun = vi.fn<(id: number) => Promise<Run>>();
vi.mock('../../api/runs', () => ({
  FINAL_RUN_STATES: ['SUCCEEDED', 'FAILED', 'STOPPED'],
  runsApi: {
    get: async (id: number) => ({
      ...RUN,
      id,
      dirtyRecords: id === 9 ? 4 : 0,
      changes: id === 11 ? CHANGES : undefined,
      verification: id === 12 ? VERIFICATION : undefined,
    }),
    progress: async () => PROGRESS,
    log: async () => [],
    logDownloadUrl: (id: number) => `/api/runs/${id}/log/download`,
    dirty: () => dirty(),
    rerunCheck: (id: number) => rerunCheck(id),
    rerun: (id: number) => rerun(id),
  },
}));
vi.mock('../../api/live', () => ({ useLiveMessages: () => {} }));
vi.mock('./RunLog', () => ({ RunLog: () => null }));
const auth = { canOperate: true, canReadRows: true };
const dirty = vi.fn(async () => ({ items: [], total: 0, page: 0, size: 20 }));
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => auth }));
// Charts draw on a canvas, which jsdom does not have: the points as text instead.
vi.mock('../../components/LiveChart', () => ({
  LiveChart: ({ series }: { series: Series[] }) => <div data-testid="chart">{series[0].points.map((p) => p[1]).join(',')}</div>,
}));

describe('RunMonitorPage', () => {
  beforeEach(() => {
    auth.canOperate = true;
    auth.canReadRows = true;
    dirty.mockClear();
    rerunCheck.mockReset();
    rerun.mockReset();
    rerun.mockResolvedValue({ ...RUN, id: 8, state: 'QUEUED' });
  });

  it('shows the speeds of a run that has ended', async () => {
    renderScreen(<RunMonitorPage />, { route: '/runs/7', path: 'runs/:id' });
    const charts = await screen.findAllByTestId('chart');
    expect(charts.map((c) => c.textContent)).toEqual(['100,200,150', '1,2,1.5']);
    expect(screen.queryByText('The charts fill while the run executes.')).toBeNull();
    // a batch run has no change-capture figures
    expect(screen.queryByTestId('cdc-panel')).toBeNull();
  });

  it('shows the change-capture figures of a cdc run', async () => {
    renderScreen(<RunMonitorPage />, { route: '/runs/11', path: 'runs/:id' });
    expect(await screen.findByTestId('cdc-panel')).toBeInTheDocument();
    expect(screen.getByTestId('cdc-phase')).toHaveTextContent('Streaming');
    expect(screen.getByTestId('cdc-position')).toHaveTextContent('0/16B3748');
    expect(screen.getByText('public.items')).toBeInTheDocument();
  });

  it('warns before a rerun would insert the rows the run wrote a second time', async () => {
    rerunCheck.mockResolvedValue({
      runId: 7,
      recordsWritten: 30000,
      writeMode: 'insert',
      repeatsRows: true,
      writeModes: ['insert', 'upsert', 'replace', 'truncate-insert'],
    });
    renderScreen(<RunMonitorPage />, { route: '/runs/7', path: 'runs/:id' });
    fireEvent.click(await screen.findByTestId('run-rerun'));
    const warning = await screen.findByTestId('rerun-warning');
    expect(warning).toHaveTextContent('already wrote 30,000 rows in write mode insert');
    expect(warning).toHaveTextContent('this target offers upsert, replace, truncate-insert');
    expect(rerun).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Rerun anyway' }));
    await waitFor(() => expect(rerun).toHaveBeenCalledWith(7));
    // the new run's monitor
    expect(await screen.findByText(/Run #8/)).toBeInTheDocument();
  });

  it('asks plainly when a rerun repeats nothing', async () => {
    rerunCheck.mockResolvedValue({
      runId: 7,
      recordsWritten: 30000,
      writeMode: 'upsert',
      repeatsRows: false,
      writeModes: ['insert', 'upsert'],
    });
    renderScreen(<RunMonitorPage />, { route: '/runs/7', path: 'runs/:id' });
    fireEvent.click(await screen.findByTestId('run-rerun'));
    expect(await screen.findAllByText('Start run #7 again as a new run?')).not.toHaveLength(0);
    expect(screen.queryByTestId('rerun-warning')).toBeNull();
  });

  it('tells a viewer without the row-data grant why dirty rows are not shown, and loads none', async () => {
    auth.canOperate = false;
    auth.canReadRows = false;
    renderScreen(<RunMonitorPage />, { route: '/runs/9', path: 'runs/:id' });
    fireEvent.click(await screen.findByRole('tab', { name: 'Dirty rows (4)' }));
    expect(await screen.findByText(/which your user may not read/)).toBeInTheDocument();
    expect(screen.queryByRole('columnheader', { name: 'Reason' })).toBeNull();
    expect(dirty).not.toHaveBeenCalled();
  });

  it("shows the run's verification: counts and the first differences with their values", async () => {
    renderScreen(<RunMonitorPage />, { route: '/runs/12', path: 'runs/:id' });
    fireEvent.click(await screen.findByTestId('run-verification-tab'));
    expect(await screen.findByText('missing 1, extra 0, different 1')).toBeInTheDocument();
    expect(screen.getAllByTestId('verify-differs')).not.toHaveLength(0);
    const sample = screen.getByTestId('verify-sample');
    expect(sample).toHaveTextContent('id=3');
    expect(sample).toHaveTextContent("'n3' → 'changed'");
    expect(sample).toHaveTextContent('Missing');
  });

  it('verifies a run that ended on request and shows what it found', async () => {
    verifyRun.mockResolvedValue({ ...VERIFICATION, id: 41, runId: 7, state: 'RUNNING', equal: null });
    renderScreen(<RunMonitorPage />, { route: '/runs/7', path: 'runs/:id' });
    fireEvent.click(await screen.findByTestId('verify'));
    fireEvent.click(await screen.findByRole('button', { name: 'OK' }));
    await waitFor(() => expect(verifyRun).toHaveBeenCalledWith(7));
    fireEvent.click(await screen.findByTestId('run-verification-tab'));
    expect(await screen.findByText('missing 1, extra 0, different 1', {}, { timeout: 4000 })).toBeInTheDocument();
  });

  it('shows the dirty rows to a user with the grant', async () => {
    renderScreen(<RunMonitorPage />, { route: '/runs/9', path: 'runs/:id' });
    fireEvent.click(await screen.findByRole('tab', { name: 'Dirty rows (4)' }));
    expect(await screen.findByRole('columnheader', { name: 'Reason' })).toBeInTheDocument();
    await waitFor(() => expect(dirty).toHaveBeenCalled());
    expect(screen.queryByText(/which your user may not read/)).toBeNull();
  });
});
