import { useEffect, useState } from 'react';
import { Alert, Descriptions, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { dataSourcesApi, type Connector, type DataSource } from '../../api/datasources';
import { useT } from '../../i18n';

interface Props {
  /** the data source edited; null while it is created */
  dataSource: DataSource | null;
  connectors: Connector[];
}

/**
 * The shared-mining switch of a data source whose connector reads a change log
 * (docs/shared-mining.md). Switched on the first time, it asks for the mining-log store (a data
 * source that can keep one, and a table or collection name) and the retention; once chosen, the
 * store is only shown.
 */
export function SharedMiningFields({ dataSource, connectors }: Props) {
  const t = useT();
  const enabled = Form.useWatch(['sharedMining', 'enabled']);
  const [stores, setStores] = useState<DataSource[]>();
  const chosen = dataSource?.sharedMining?.logDatasource ? dataSource.sharedMining : null;

  useEffect(() => {
    if (!enabled || chosen || stores) return;
    const keeps = new Set(connectors.filter((c) => c.roles.miningLog).map((c) => c.name));
    dataSourcesApi
      .list({ page: 0, size: 500 })
      .then((p) => setStores(p.items.filter((d) => keeps.has(d.connector) && d.id !== dataSource?.id)))
      .catch(() => setStores([]));
  }, [enabled, chosen, stores, connectors, dataSource]);

  return (
    <div data-testid="ds-shared-mining">
      <Typography.Title level={5}>{t('ds.sharedMining')}</Typography.Title>
      <Form.Item
        name={['sharedMining', 'enabled']}
        label={t('ds.sharedMiningEnabled')}
        extra={t('ds.sharedMiningHelp')}
        valuePropName="checked"
      >
        <Switch data-testid="ds-shared-mining-switch" />
      </Form.Item>
      {enabled && chosen && (
        <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('ds.miningStore')}>{chosen.logDatasource}</Descriptions.Item>
          <Descriptions.Item label={t('ds.miningTable')}>{chosen.logTable}</Descriptions.Item>
        </Descriptions>
      )}
      {enabled && !chosen && (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('ds.miningStoreOnce')} />
          <Form.Item
            name={['sharedMining', 'logDatasource']}
            label={t('ds.miningStore')}
            extra={t('ds.miningStoreHelp')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Select
              showSearch
              loading={!stores}
              data-testid="ds-mining-store"
              notFoundContent={t('ds.miningNoStore')}
              options={(stores ?? []).map((d) => ({ value: d.alias, label: d.alias, title: d.connector }))}
            />
          </Form.Item>
          <Form.Item
            name={['sharedMining', 'logTable']}
            label={t('ds.miningTable')}
            extra={t('ds.miningTableHelp')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input maxLength={200} placeholder="mining_shop" data-testid="ds-mining-table" />
          </Form.Item>
        </>
      )}
      {enabled && (
        <Form.Item name={['sharedMining', 'retentionHours']} label={t('ds.miningRetention')} extra={t('ds.miningRetentionHelp')}>
          <InputNumber min={1} max={8784} precision={0} placeholder="72" style={{ width: 200 }} />
        </Form.Item>
      )}
    </div>
  );
}
