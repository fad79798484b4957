import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { catalogApi, type CustomAttribute, type CustomAttributeRequest, type CustomType } from '../../api/catalog';
import { problemsOf, type FieldProblem } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { applyProblems, ProblemAlert } from '../../components/problems';
import { useT } from '../../i18n';

const TYPES: CustomType[] = ['string', 'number', 'boolean', 'date'];

/** 个性属性: the custom attributes of a meta-model, defined and changed by an operator. */
export function CustomAttributesCard({ model }: { model: string }) {
  const t = useT();
  const { message } = App.useApp();
  const { canOperate } = useAuth();
  const [items, setItems] = useState<CustomAttribute[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<CustomAttribute | 'new' | null>(null);
  const load = useCallback(() => {
    catalogApi
      .customAttributes(model)
      .then((found) => {
        setItems(found);
        setError(null);
      })
      .catch((e) => setError(problemsOf(e)[0].message));
  }, [model]);
  useEffect(load, [load]);

  const remove = async (a: CustomAttribute) => {
    try {
      await catalogApi.removeCustomAttribute(model, a.id);
      message.success(t('common.deleted', { name: a.name }));
      load();
    } catch (e) {
      message.error(problemsOf(e)[0].message, 8);
    }
  };

  return (
    <Card
      size="small"
      title={t('catalog.models.custom')}
      extra={
        canOperate && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('catalog.custom.new')}
          </Button>
        )
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      <Table<CustomAttribute>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={items}
        data-testid="custom-attributes"
        locale={{ emptyText: t('catalog.custom.none') }}
        columns={[
          { title: t('catalog.custom.name'), dataIndex: 'name', render: (n: string) => <code>{n}</code> },
          { title: t('catalog.custom.type'), dataIndex: 'type', render: (type: CustomType) => t(`catalog.custom.type.${type}`) },
          { title: t('catalog.custom.required'), dataIndex: 'required', render: (r: boolean) => (r ? t('common.yes') : t('common.no')) },
          {
            title: t('catalog.custom.allowedValues'),
            dataIndex: 'allowedValues',
            render: (values: string[]) => (values.length ? values.map((v) => <Tag key={v}>{v}</Tag>) : t('catalog.custom.any')),
          },
          { title: t('catalog.custom.description'), dataIndex: 'description', render: (d: string | null) => d ?? '–' },
          ...(canOperate
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, a: CustomAttribute) => (
                    <Space size={0}>
                      <Button
                        type="link"
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(a)}
                        aria-label={`${t('common.edit')} ${a.name}`}
                      >
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('catalog.custom.deleteConfirm', { name: a.name })}
                        onConfirm={() => remove(a)}
                        okText={t('common.delete')}
                        okButtonProps={{ danger: true }}
                      >
                        <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={`${t('common.delete')} ${a.name}`}>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <AttributeModal
        model={model}
        attribute={editing}
        onClose={() => setEditing(null)}
        onSaved={(name) => {
          setEditing(null);
          message.success(t('catalog.custom.saved', { name }));
          load();
        }}
      />
    </Card>
  );
}

function AttributeModal({
  model,
  attribute,
  onClose,
  onSaved,
}: {
  model: string;
  attribute: CustomAttribute | 'new' | null;
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<CustomAttributeRequest>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const type = Form.useWatch('type', form);
  const existing = attribute && attribute !== 'new' ? attribute : null;
  useEffect(() => {
    if (!attribute) return;
    setProblems([]);
    form.resetFields();
    if (existing) form.setFieldsValue(existing);
  }, [attribute, existing, form]);

  const save = async () => {
    const values = await form.validateFields();
    const request: CustomAttributeRequest = {
      name: values.name.trim(),
      type: values.type,
      required: !!values.required,
      allowedValues: values.type === 'string' || values.type === 'number' ? (values.allowedValues ?? []) : [],
      description: values.description?.trim() || null,
    };
    setBusy(true);
    try {
      if (existing) await catalogApi.updateCustomAttribute(model, existing.id, request);
      else await catalogApi.createCustomAttribute(model, request);
      onSaved(request.name);
    } catch (e) {
      setProblems(applyProblems(form, problemsOf(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!attribute}
      title={existing ? t('catalog.custom.editTitle', { name: existing.name }) : t('catalog.custom.new')}
      onCancel={onClose}
      onOk={save}
      okButtonProps={{ loading: busy }}
      forceRender
    >
      <Form form={form} layout="vertical" initialValues={{ type: 'string', required: false, allowedValues: [] }}>
        <Form.Item
          name="name"
          label={t('catalog.custom.name')}
          extra={existing ? t('catalog.custom.nameFixed') : undefined}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input maxLength={100} disabled={!!existing} />
        </Form.Item>
        <Form.Item name="type" label={t('catalog.custom.type')} rules={[{ required: true, message: t('form.required') }]}>
          <Select data-testid="custom-type" options={TYPES.map((v) => ({ value: v, label: t(`catalog.custom.type.${v}`) }))} />
        </Form.Item>
        <Form.Item name="required" label={t('catalog.custom.required')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {(type === 'string' || type === 'number') && (
          <Form.Item name="allowedValues" label={t('catalog.custom.allowedValues')} extra={t('catalog.custom.allowedHelp')}>
            <Select mode="tags" tokenSeparators={[',']} open={false} data-testid="custom-allowed" />
          </Form.Item>
        )}
        <Form.Item name="description" label={t('catalog.custom.description')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
      <ProblemAlert problems={problems} />
    </Modal>
  );
}
