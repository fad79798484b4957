import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../../test-utils';
import { MetaModelsTab } from './MetaModelsTab';

vi.mock('../../auth/AuthProvider', () => ({ useAuth: () => ({ canOperate: true }) }));
const createCustomAttribute = vi.fn(async (model: string, r: object) => ({ id: 9, model, ...r }));
vi.mock('../../api/catalog', async (original) => ({
  ...(await original<typeof import('../../api/catalog')>()),
  catalogApi: {
    customAttributes: async (model: string) =>
      model === 'mysql'
        ? [
            {
              id: 1,
              model: 'mysql',
              name: 'sensitivity',
              type: 'string',
              required: true,
              allowedValues: ['public', 'secret'],
              description: null,
              createdAt: '',
              updatedAt: '',
            },
          ]
        : [],
    createCustomAttribute: (model: string, r: object) => createCustomAttribute(model, r),
    models: async () => [
      {
        id: 'mysql',
        name: 'MySQL / MariaDB',
        nameZh: 'MySQL / MariaDB',
        connectors: ['mysql'],
        reader: 'MYSQL',
        technical: [
          { key: 'engine', appliesTo: 'table', label: 'Engine', labelZh: '存储引擎' },
          { key: 'charset', appliesTo: 'column', label: 'Character set', labelZh: '字符集' },
        ],
        common: [{ key: 'owner', appliesTo: 'table', label: 'Owner', labelZh: '负责人' }],
      },
      {
        id: 'generic',
        name: 'Any connector with a catalog',
        nameZh: '任意带目录的连接器',
        connectors: [],
        reader: 'CATALOG_SPI',
        technical: [{ key: 'ferryType', appliesTo: 'column', label: 'Ferry type', labelZh: 'Ferry 类型' }],
        common: [],
      },
    ],
  },
}));

describe('MetaModelsTab', () => {
  it("lists the models with their data-source types and shows a model's attributes", async () => {
    renderScreen(<MetaModelsTab />);
    const technical = await screen.findByTestId('technical-attributes');
    expect(within(technical).getByText('Engine')).toBeInTheDocument();
    expect(within(technical).getByText('Column')).toBeInTheDocument();
    expect(within(screen.getByTestId('common-attributes')).getByText('Owner')).toBeInTheDocument();
    expect(screen.getByText('Any other connector with a catalog')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('model-generic'));
    expect(await within(screen.getByTestId('technical-attributes')).findByText('Ferry type')).toBeInTheDocument();
  });

  it('in Chinese', async () => {
    renderScreen(<MetaModelsTab />, { lang: 'zh' });
    expect(await screen.findByText('存储引擎')).toBeInTheDocument();
    expect(screen.getByText('技术属性')).toBeInTheDocument();
    expect(screen.getByText('通用属性')).toBeInTheDocument();
  });

  it("lists a model's custom attributes and defines a new one", async () => {
    renderScreen(<MetaModelsTab />);
    const custom = await screen.findByTestId('custom-attributes');
    expect(await within(custom).findByText('sensitivity')).toBeInTheDocument();
    expect(within(custom).getByText('secret')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /New custom attribute/ }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'retentionDays' } });
    fireEvent.mouseDown(within(within(dialog).getByTestId('custom-type')).getByRole('combobox'));
    const numbers = await screen.findAllByTitle('Number');
    fireEvent.click(numbers.find((el) => el.classList.contains('ant-select-item-option')) ?? numbers[numbers.length - 1]);
    fireEvent.click(within(dialog).getByRole('switch'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'OK' }));
    await waitFor(() =>
      expect(createCustomAttribute).toHaveBeenCalledWith('mysql', {
        name: 'retentionDays',
        type: 'number',
        required: true,
        allowedValues: [],
        description: null,
      }),
    );
  });
});
