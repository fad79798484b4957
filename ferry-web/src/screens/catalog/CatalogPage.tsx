import { Tabs } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../components/PageHeader';
import { useT } from '../../i18n';
import { CatalogBrowseTab } from './CatalogBrowseTab';
import { CollectionTasksTab } from './CollectionTasksTab';
import { MetaModelsTab } from './MetaModelsTab';

/** 元数据: the collected catalog, the collection tasks and the meta-models (docs/catalog.md). */
export function CatalogPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'browse';
  return (
    <>
      <PageHeader title={t('nav.catalog')} />
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'browse', label: t('catalog.tab.browse'), children: <CatalogBrowseTab /> },
          { key: 'tasks', label: t('catalog.tab.tasks'), children: <CollectionTasksTab /> },
          { key: 'models', label: t('catalog.tab.models'), children: <MetaModelsTab /> },
        ]}
      />
    </>
  );
}
