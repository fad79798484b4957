import { describe, expect, it } from 'vitest';
import type { Task } from '../../../api/tasks';
import { formField, fromTask, stepOfField, toWizard, type WizardValues } from './wizardModel';

const VALUES: WizardValues = {
  name: 'orders',
  source: { datasourceId: 1, schema: 'shop', table: 'orders', columns: ['id'], where: 'id > 3' },
  target: { datasourceId: 2, schema: 'public', table: 'orders', writeMode: 'upsert', createTable: true },
  settings: { channels: 2 },
};

describe('toWizard: sync mode', () => {
  it('keeps a full copy as it was', () => {
    const w = toWizard({ ...VALUES, syncMode: 'full' }, [{ from: 'id', to: 'id' }]);
    expect(w.syncMode).toBeUndefined();
    expect(w.source.options).toEqual({ columns: ['id'], where: 'id > 3' });
    expect(w.target.writeMode).toBe('upsert');
    expect(w.mapping).toEqual([{ from: 'id', to: 'id' }]);
  });

  it('makes a cdc task of the whole table, by name, applied by key', () => {
    const w = toWizard({ ...VALUES, syncMode: 'incremental' }, [{ from: 'id', to: 'id' }]);
    expect(w.syncMode).toBe('incremental');
    expect(w.source).toEqual({ datasourceId: 1, table: 'shop.orders', options: null });
    expect(w.target).toEqual({ datasourceId: 2, table: 'public.orders', writeMode: null, options: { createTable: true } });
    expect(w.mapping).toBeNull();
    expect(w.settings).toEqual({ channels: 2 });
  });
});

describe('toWizard: incremental reads', () => {
  it('sends the cursor, look-back and start of a batch task, and reads them back', () => {
    const w = toWizard({ ...VALUES, syncMode: 'full', incremental: { cursor: ' updated_at ', lookBack: '10m', start: '' } }, []);
    expect(w.incremental).toEqual({ cursor: 'updated_at', lookBack: '10m' });
    const task = { id: 1, name: 'orders', folderId: null, mode: 'wizard', wizard: w } as unknown as Task;
    expect(fromTask(task).values.incremental).toEqual({ cursor: 'updated_at', lookBack: '10m' });
  });

  it('sends none when nothing is filled in, and none for a cdc task', () => {
    expect(toWizard({ ...VALUES, syncMode: 'full', incremental: { cursor: '' } }, []).incremental).toBeNull();
    expect(toWizard({ ...VALUES, syncMode: 'incremental', incremental: { cursor: 'id' } }, []).incremental).toBeUndefined();
  });

  it('opens the source step for the problems of the incremental section', () => {
    expect(formField('wizard.incremental.cursor')).toBe('incremental.cursor');
    expect(stepOfField('wizard.incremental.cursor')).toBe('source');
    expect(stepOfField('incremental.lookBack')).toBe('source');
  });
});
