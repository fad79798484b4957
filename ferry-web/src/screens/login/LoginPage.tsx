import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Segmented, Typography } from 'antd';
import { ApiOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n, type Lang } from '../../i18n';

export function LoginPage() {
  const { login } = useAuth();
  const { lang, setLang, t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async ({ username, password }: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) {
        // Too many wrong passwords: the server refuses logins of this name or address for a while.
        setError(e.retryAfterSeconds != null ? t('login.throttled', { seconds: e.retryAfterSeconds }) : t('login.throttledNoTime'));
      } else {
        setError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Flex justify="flex-end" style={{ position: 'absolute', top: 16, right: 24 }}>
        <Segmented<Lang>
          value={lang}
          onChange={setLang}
          options={[
            { value: 'en', label: 'English' },
            { value: 'zh', label: '简体中文' },
          ]}
        />
      </Flex>
      <Card style={{ width: 360 }}>
        <Flex vertical align="center" style={{ marginBottom: 24 }}>
          <ApiOutlined style={{ fontSize: 36, color: '#1677ff' }} />
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            Ferry
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </Flex>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('form.required') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('form.required') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
