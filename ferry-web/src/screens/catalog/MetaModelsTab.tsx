import { useEffect, useState } from 'react';
import { Alert, Card, Col, Menu, Row, Table, Tag, Typography } from 'antd';
import { catalogApi, type MetaModel, type ModelAttribute } from '../../api/catalog';
import { problemsOf } from '../../api/client';
import { useI18n, useT } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { CustomAttributesCard } from './CustomAttributesCard';

/**
 * 元模型: the built-in meta-models, each bound to its data-source types, with the technical
 * attributes it collects, the common attributes every model has and the custom attributes people
 * defined for it.
 */
export function MetaModelsTab() {
  const t = useT();
  const { lang } = useI18n();
  const [models, setModels] = useState<MetaModel[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    catalogApi
      .models()
      .then((all) => {
        setModels(all);
        setSelected((s) => s ?? all[0]?.id ?? null);
      })
      .catch((e) => setError(problemsOf(e)[0].message));
  }, []);
  const model = models.find((m) => m.id === selected);
  const label = (a: ModelAttribute) => (lang === 'zh' ? a.labelZh : a.label);
  const attributes = (items: ModelAttribute[], testId: string) => (
    <Table<ModelAttribute>
      rowKey={(a) => `${a.appliesTo}.${a.key}`}
      size="small"
      pagination={false}
      dataSource={items}
      data-testid={testId}
      columns={[
        { title: t('catalog.models.label'), key: 'label', render: (_, a) => label(a) },
        { title: t('catalog.models.key'), dataIndex: 'key', render: (k: string) => <code>{k}</code> },
        {
          title: t('catalog.models.appliesTo'),
          dataIndex: 'appliesTo',
          render: (to: string) => t(`catalog.models.appliesTo.${to}` as MessageKey),
        },
      ]}
    />
  );

  return (
    <>
      {error && <Alert type="error" showIcon title={error} />}
      <Row gutter={24}>
        <Col xs={24} md={8}>
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            onClick={({ key }) => setSelected(key)}
            style={{ border: '1px solid #f0f0f0', borderRadius: 8 }}
            items={models.map((m) => ({
              key: m.id,
              style: { height: 'auto', lineHeight: 1.5, padding: '8px 16px' },
              label: (
                <div data-testid={`model-${m.id}`}>
                  <div>{lang === 'zh' ? m.nameZh : m.name}</div>
                  <Typography.Text type="secondary" style={{ whiteSpace: 'normal' }}>
                    {m.connectors.length ? m.connectors.map((c) => <Tag key={c}>{c}</Tag>) : t('catalog.models.anyConnector')}
                  </Typography.Text>
                </div>
              ),
            }))}
          />
        </Col>
        <Col xs={24} md={16}>
          {model && (
            <>
              <Typography.Title level={5}>{lang === 'zh' ? model.nameZh : model.name}</Typography.Title>
              <Typography.Paragraph type="secondary">
                {t('catalog.models.reader')}: {t(`catalog.models.reader.${model.reader}` as MessageKey)}
              </Typography.Paragraph>
              <Card size="small" title={t('catalog.models.technical')} style={{ marginBottom: 16 }}>
                {attributes(model.technical, 'technical-attributes')}
              </Card>
              <Card size="small" title={t('catalog.models.common')} style={{ marginBottom: 16 }}>
                {attributes(model.common, 'common-attributes')}
              </Card>
              <CustomAttributesCard key={model.id} model={model.id} />
            </>
          )}
        </Col>
      </Row>
    </>
  );
}
