import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Verification, VerifySchedule } from '../../api/verifications';
import { renderScreen } from '../../test-utils';
import { TaskVerificationsTab, VerificationDetail } from './VerificationPanel';

const V: Verification = {
  id: 3,
  taskId: 5,
  taskName: 'orders',
  runId: null,
  trigger: 'SCHEDULE',
  state: 'SUCCEEDED',
  mode: 'content',
  equal: false,
  method: 'keyed merge',
  sourceRows: 10,
  targetRows: 10,
  missing: 0,
  extra: 0,
  different: 1,
  // as a viewer without the row-data grant receives it: the column's name, no values
  sample: [{ kind: 'different', key: { id: '7' }, columns: [{ column: 'price' }] }],
  notes: ['1 rows differed at first but not when compared again 2.0 s later (they were changing); they are not reported'],
  message: null,
  startedBy: 'scheduler',
  node: 'n1',
  startedAt: '2030-01-01T00:00:00Z',
  endedAt: '2030-01-01T00:00:02Z',
};

const setSchedule = vi.fn<(taskId: number, s: VerifySchedule) => Promise<VerifySchedule>>();
vi.mock('../../api/verifications', () => ({
  verificationsApi: {
    list: async () => ({ items: [V], total: 1, page: 0, size: 20 }),
    schedule: async () => Promise.reject(new Error('404')),
    setSchedule: (taskId: number, s: VerifySchedule) => setSchedule(taskId, s),
    removeSchedule: async () => undefined,
    reportUrl: (id: number) => `/api/verifications/${id}/report`,
  },
}));
const auth = { canOperate: true, canReadRows: false };
vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => auth }));

describe('VerificationPanel', () => {
  beforeEach(() => {
    auth.canOperate = true;
    auth.canReadRows = false;
    setSchedule.mockReset();
  });

  it('shows keys and columns without values to a user without the row-data grant', async () => {
    renderScreen(<VerificationDetail v={V} />);
    expect(await screen.findByText(/which your user may not read/)).toBeInTheDocument();
    const sample = screen.getByTestId('verify-sample');
    expect(sample).toHaveTextContent('id=7');
    expect(sample).toHaveTextContent('price');
    expect(sample).not.toHaveTextContent('price: ');
    expect(screen.getByText(/differed at first/)).toBeInTheDocument();
    expect(screen.getByText('Schedule')).toBeInTheDocument();
    // Every difference, as the server's JSON Lines report (it leaves out values for this user).
    expect(screen.getByTestId('verify-report')).toHaveAttribute('href', '/api/verifications/3/report');
    expect(screen.getByTestId('verify-report')).toHaveTextContent('Download every difference');
  });

  it("lists a task's verifications and saves its verification schedule", async () => {
    setSchedule.mockResolvedValue({ taskId: 5, cron: '0 30 2 * * ?', zone: 'UTC' });
    renderScreen(<TaskVerificationsTab taskId={5} version={0} />);
    expect(await screen.findByText('missing 0, extra 0, different 1')).toBeInTheDocument();
    expect(screen.getByText('No verification schedule.')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('verify-cron'), { target: { value: '0 30 2 * * ?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save schedule' }));
    await waitFor(() => expect(setSchedule).toHaveBeenCalledWith(5, { cron: '0 30 2 * * ?' }));
    expect(await screen.findByText('Verified on the schedule 0 30 2 * * ? (UTC).')).toBeInTheDocument();
  });

  it('lets a viewer see the schedule but not change it', async () => {
    auth.canOperate = false;
    renderScreen(<TaskVerificationsTab taskId={5} version={0} />);
    expect(await screen.findByText('No verification schedule.')).toBeInTheDocument();
    expect(screen.queryByTestId('verify-cron')).toBeNull();
  });
});
