import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../../test-utils';
import { MetaModelsTab } from './MetaModelsTab';

vi.mock('../../api/catalog', async (original) => ({
  ...(await original<typeof import('../../api/catalog')>()),
  catalogApi: {
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
});
